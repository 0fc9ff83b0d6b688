"""The services run as roles of their own that the migrations grant what a service needs and no
more (docs/adr/0016): such a role writes the business tables and appends to the audit trail,
but cannot change or remove audit records, disable their trigger, move the schema or its
version, nor act as a superuser. Roles belong to the server: the run's role is made when
missing (thidua_shared.testing.RUNTIME_ROLE), and a role made here is dropped again."""

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from campaigns.main import spec as campaigns_spec
from thidua_shared.platform.migrations import ensure_role, grant_runtime_role
from thidua_shared.platform.settings import ServiceSettings
from thidua_shared.testing import (
    RUNTIME_ROLE,
    SERVER_URL,
    RecordingBus,
    migrated_database,
    owner_url,
    running_service,
)

PLAN = {
    "document_number": "62/KH-STTTT",
    "title": "Kế hoạch thi đua chuyên đề",
    "year": 2018,
    "period_start": "2018-01-01",
    "period_end": "2018-12-31",
    "phases": [{"name": "Đợt 1", "starts_on": "2018-01-01", "ends_on": "2018-12-31"}],
    "units": [{"code": "VP", "name": "Văn phòng Sở"}],
}
REFUSED = (
    "SET session_replication_role = replica",
    "DELETE FROM audit_log",
    "UPDATE audit_log SET actor = 'someone else'",
    "TRUNCATE audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    "DROP TABLE audit_log",
    "UPDATE alembic_version SET version_num = 'x'",
    "TRUNCATE outbox",
    "CREATE TABLE smuggled (note text)",
)


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="module")
async def database() -> str:
    return await migrated_database(campaigns_spec, "thidua_test_least_privilege", own_role=True)


@pytest.fixture
async def as_service(database: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(_dsn(database))
    yield connection
    await connection.close()


async def test_the_service_runs_as_its_own_role_and_appends_to_the_audit_trail(
    database: str, as_service: asyncpg.Connection
) -> None:
    assert make_url(database).username == RUNTIME_ROLE
    async with running_service(campaigns_spec, database, RecordingBus()) as service:
        assert (await service.client.post("/campaigns/campaigns", json=PLAN)).status_code == 201
    role = await as_service.fetchrow(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
        "WHERE rolname = current_user"
    )
    assert not any(role.values()), dict(role)
    assert await as_service.fetchval("SELECT count(*) FROM audit_log") >= 1
    owners = await as_service.fetch(
        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
    )
    assert RUNTIME_ROLE not in {o["tableowner"] for o in owners}


@pytest.mark.parametrize("statement", REFUSED)
async def test_the_service_role_is_refused_what_would_rewrite_or_bypass_the_trail(
    as_service: asyncpg.Connection, statement: str
) -> None:
    # Refused for want of the privilege, before any trigger would have to say no.
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await as_service.execute(statement)


async def test_the_refusals_are_the_role_s_not_the_statements(database: str) -> None:
    owner = await asyncpg.connect(_dsn(owner_url(database)))
    try:
        await owner.execute("SET session_replication_role = replica")
        await owner.execute("RESET session_replication_role")
    finally:
        await owner.close()


async def test_grants_are_repeatable_and_a_role_of_a_run_of_its_own_is_dropped_after(
    database: str,
) -> None:
    role = f"thidua_test_privilege_{uuid4().hex[:12]}"
    owner = owner_url(database)
    await ensure_role(SERVER_URL, role)
    await ensure_role(SERVER_URL, role)  # made when missing only
    try:
        await grant_runtime_role(owner, role)
        await grant_runtime_role(owner, role)
        own = await asyncpg.connect(_dsn(make_url(database).set(username=role).render_as_string()))
        try:
            await own.execute("DELETE FROM outbox WHERE false")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await own.execute("DELETE FROM audit_log")
        finally:
            await own.close()
    finally:
        admin = await asyncpg.connect(_dsn(owner))
        try:
            # Its grants first: a role holding rights in a database cannot be dropped.
            await admin.execute(f'DROP OWNED BY "{role}"')
            await admin.execute(f'DROP ROLE "{role}"')
        finally:
            await admin.close()


def test_migrations_take_the_owner_url_and_the_service_its_own(tmp_path: Path) -> None:
    (tmp_path / "owner").write_text("owner-secret\n")
    (tmp_path / "service").write_text("service-secret\n")
    settings = ServiceSettings(
        service_name="campaigns",
        database_url="postgresql+asyncpg://campaigns@db:5432/thidua_campaigns",
        migration_database_url="postgresql+asyncpg://campaigns_owner@db:5432/thidua_campaigns",
        database_password_file=tmp_path / "service",
        migration_database_password_file=tmp_path / "owner",
    )
    assert make_url(settings.resolved_database_url()).password == "service-secret"
    owner = make_url(settings.resolved_migration_database_url())
    assert (owner.username, owner.password) == ("campaigns_owner", "owner-secret")
    server = ServiceSettings(
        service_name="pledges",
        server_database_url="postgresql+asyncpg://pledges@db:5432/postgres",
        server_migration_database_url="postgresql+asyncpg://thidua@db:5432/postgres",
    )
    assert make_url(server.resolved_migration_database_url()).database == "thidua_pledges"
    alone = ServiceSettings(service_name="awards", database_url="postgresql://a@db/thidua_awards")
    assert alone.resolved_migration_database_url() == alone.resolved_database_url()
    elsewhere = settings.model_copy(
        update={"migration_database_url": "postgresql+asyncpg://o@db:5432/thidua_pledges"}
    )
    with pytest.raises(ValueError, match="thidua_pledges"):
        elsewhere.resolved_migration_database_url()
