#!/bin/sh
# Run once by the postgres image when its data volume is first created
# (/docker-entrypoint-initdb.d): per service, the role that owns its database and runs its
# migrations (<name>_owner) and the role the service runs as (<name>), each with the password of
# its secret file, and the database thidua_<name> owned by the first. The migrate job grants the
# second its rights; it owns nothing and is no superuser (docs/adr/0016).
set -eu
for service in campaigns pledges reports awards; do
  owner_password=$(cat "/run/secrets/database_${service}_owner_password")
  service_password=$(cat "/run/secrets/database_${service}_password")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v service="$service" -v owner="${service}_owner" -v database="thidua_${service}" \
    -v owner_password="$owner_password" -v service_password="$service_password" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"service" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'service_password';
CREATE DATABASE :"database" OWNER :"owner";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
done
