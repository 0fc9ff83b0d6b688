"""Engines, sessions and the platform's own tables (outbox, inbox, idempotency, dead letters,
the demo clock's offset)."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Integer,
    Interval,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

OUTBOX_DIRTY = "outbox_dirty"
OUTBOX_CHANNEL = "thidua_outbox"

# A relay in another process learns of new outbox rows from this notification, sent once per
# committing transaction (PostgreSQL folds identical notifications), at no extra round trip.
OUTBOX_NOTIFY_DDL = (
    # Published rows are deleted (the broker's archive stream is the history), so the table only
    # ever holds pending rows and needs no index of its own for them.
    "DROP INDEX IF EXISTS ix_outbox_pending",
    "ALTER TABLE outbox DROP COLUMN IF EXISTS published_at",
    "CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN PERFORM pg_notify('{OUTBOX_CHANNEL}', ''); RETURN NULL; END $$",
    "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox "
    "FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()",
)
OUTBOX_NOTIFY_DROP = (
    "DROP TRIGGER IF EXISTS outbox_notify ON outbox",
    "DROP FUNCTION IF EXISTS outbox_notify()",
    "ALTER TABLE outbox ADD COLUMN published_at TIMESTAMP WITH TIME ZONE",
    "CREATE INDEX ix_outbox_pending ON outbox (id) WHERE published_at IS NULL",
)


def define_platform_tables(metadata: MetaData) -> None:
    """Adds the kit's tables to a service's metadata so its migrations create them."""
    Table(
        "outbox",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        # The exact CloudEvents JSON that goes on the wire, so the relay never re-serialises.
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    Table(
        "inbox",
        metadata,
        Column("event_id", Uuid, primary_key=True),
        Column("event_type", String(100), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    Table(
        "idempotency_keys",
        metadata,
        Column("scope", String(200), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=False),
        Column("response_body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    Table(
        "audit_log",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor", String(200), nullable=False),
        Column("role", String(40)),
        Column("unit", String(50)),
        Column("action", String(300), nullable=False),
        Column("target", String(500), nullable=False),
        Column("request_id", String(100), nullable=False),
        Column("outcome", Integer, nullable=False),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False),
    )
    Table(
        "dead_letters",
        metadata,
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("event_id", String(100), nullable=False),
        Column("event_type", String(100), nullable=False),
        Column("body", Text, nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    Table(
        "clock_offset",
        metadata,
        # One row at most: the service's time is one setting, shared by all its processes.
        Column("id", SmallInteger, primary_key=True),
        Column("offset_from_os", Interval, nullable=False),
        Column("set_at", DateTime(timezone=True), nullable=False),
        CheckConstraint("id = 1", name="one_row"),
    )


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def transaction(
    sessionmaker: async_sessionmaker[AsyncSession], on_outbox_commit: Callable[[], None]
) -> AsyncIterator[AsyncSession]:
    """The one place that commits: the HTTP request or the consumed message boundary."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        if session.info.pop(OUTBOX_DIRTY, False):
            on_outbox_commit()
