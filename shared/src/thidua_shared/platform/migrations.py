"""Alembic, applied by a command: a service's env.py calls `run_env`, operators `migrate`.

Migrations run as the database's owner. The service runs as a role of its own that the
migration grants, after every upgrade, what the service needs and no more (docs/adr/0016):
reading and writing the tables, but only reading and appending to the audit trail and only
reading Alembic's version. Not owning the tables, it can neither alter them nor disable their
triggers, and not being a superuser it cannot `SET session_replication_role`.
"""

import asyncio
from collections.abc import Iterable
from pathlib import Path

import asyncpg
from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine


def run_env(metadata: MetaData) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is set by migrate()"

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(run_async())


# Tables a service may read and append to, never change: the audit trail.
APPEND_ONLY = ("audit_log",)
# Tables a service may only read: the schema's version, which the migrations alone move.
READ_ONLY = ("alembic_version",)


async def ensure_database(url: str) -> None:
    """Creates the service's database on the server when it is missing."""
    target = make_url(url)
    try:
        # The owner of an existing database need not reach the server's `postgres` database.
        conn = await asyncpg.connect(
            target.set(drivername="postgresql").render_as_string(hide_password=False)
        )
    except asyncpg.InvalidCatalogNameError:
        pass
    else:
        await conn.close()
        return
    admin = target.set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        exists = await conn.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", target.database
        )
        if not exists:
            await conn.execute(f'CREATE DATABASE "{target.database}"')
    finally:
        await conn.close()


def alembic_config(script_location: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def runtime_grants(database: str, role: str, tables: Iterable[str]) -> list[str]:
    """What the owner runs so that `role` holds exactly the service's rights; safe to repeat."""
    who = _quoted(role)
    present = set(tables)
    statements = [
        f"GRANT CONNECT ON DATABASE {_quoted(database)} TO {who}",
        f"GRANT USAGE ON SCHEMA public TO {who}",
        # From nothing, so that a right given by hand or by an older release does not linger.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
    ]
    statements += [
        f"REVOKE UPDATE, DELETE ON {_quoted(table)} FROM {who}"
        for table in APPEND_ONLY
        if table in present
    ]
    statements += [
        f"REVOKE INSERT, UPDATE, DELETE ON {_quoted(table)} FROM {who}"
        for table in READ_ONLY
        if table in present
    ]
    return statements


async def grant_runtime_role(owner_url: str, role: str) -> None:
    """Gives the service's role its rights on the tables the migrations left."""
    owner = make_url(owner_url).set(drivername="postgresql")
    conn = await asyncpg.connect(owner.render_as_string(hide_password=False))
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        async with conn.transaction():
            for statement in runtime_grants(
                owner.database or "", role, (t["tablename"] for t in tables)
            ):
                await conn.execute(statement)
    finally:
        await conn.close()


async def ensure_role(admin_url: str, role: str) -> None:
    """Creates a login role without any right of its own when it is missing (the all-in-one
    mode's and the tests' servers; deployments declare their roles)."""
    # Roles are the server's: made from its `postgres` database, the service's may not exist yet.
    admin = make_url(admin_url).set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await conn.execute(
            "DO $$ BEGIN "
            f"CREATE ROLE {_quoted(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION; "
            # Two processes creating it at once: the loser finds it made.
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    finally:
        await conn.close()


def migrate(
    script_location: Path, url: str, revision: str = "heads", *, runtime_url: str | None = None
) -> None:
    """Blocking; call it from a command or a thread, not from a running event loop.

    `url` is the owner's; with `runtime_url` naming another role, that role is granted the
    service's rights afterwards."""
    asyncio.run(ensure_database(url))
    command.upgrade(alembic_config(script_location, url), revision)
    role = make_url(runtime_url).username if runtime_url else None
    if role and role != make_url(url).username:
        asyncio.run(grant_runtime_role(url, role))
