"""The pipeline benchmark's producer records its events with the change in one statement, or
neither: the stand-in must keep the outbox's promise, or the benchmark measures something the
product could not do."""

from collections.abc import AsyncIterator

import asyncpg
import pytest
from driver_writer import DriverWriter
from sqlalchemy import MetaData

from thidua_shared.contracts.envelope import EventData
from thidua_shared.platform.db import define_platform_tables, make_engine
from thidua_shared.platform.outbox import event_envelope
from thidua_shared.testing import fresh_database


class Written(EventData):
    event_type = "bench.written"
    seq: int


@pytest.fixture
async def dsn() -> str:
    url = await fresh_database("thidua_test_driver_writer")
    metadata = MetaData()
    define_platform_tables(metadata)
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()
    return url.replace("postgresql+asyncpg", "postgresql")


@pytest.fixture
async def connection(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(dsn)
    yield connection
    await connection.close()


async def _outbox(connection: asyncpg.Connection) -> list[tuple[str, str]]:
    rows = await connection.fetch("SELECT event_id::text, body FROM outbox ORDER BY id")
    return [(row["event_id"], row["body"]) for row in rows]


async def test_one_statement_writes_the_change_and_its_events_together(
    connection: asyncpg.Connection, dsn: str
) -> None:
    await connection.execute("CREATE TABLE changes (note text UNIQUE)")
    woken: list[bool] = []
    async with asyncpg.create_pool(dsn, min_size=1, max_size=1) as pool:
        writer = DriverWriter(pool, lambda: woken.append(True))
        events = [
            event_envelope(Written(seq=seq), source="/test", subject="O'Brien") for seq in (1, 2)
        ]
        await writer.execute_with_events("INSERT INTO changes VALUES ($1)", "made", events=events)
        assert woken == [True], "the relay is woken once the events are committed"
        assert await connection.fetchval("SELECT count(*) FROM changes") == 1
        assert await _outbox(connection) == [(e.id, e.model_dump_json()) for e in events]

        # The change fails: its events are not recorded either.
        again = [event_envelope(Written(seq=3), source="/test", subject=None)]
        with pytest.raises(asyncpg.UniqueViolationError):
            await writer.execute_with_events(
                "INSERT INTO changes VALUES ($1)", "made", events=again
            )
        assert len(await _outbox(connection)) == 2
        assert woken == [True]
