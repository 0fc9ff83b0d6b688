"""The scheduler in its own process (`python -m campaigns scheduler`) keeps the time the office
set over HTTP with the demo clock, read from the service's database at every step."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from campaigns.config import Settings
from campaigns.main import spec
from campaigns.models import Phase
from campaigns.scheduler import run_standalone
from thidua_shared.platform import clock
from thidua_shared.platform.db import make_engine, make_sessionmaker
from thidua_shared.testing import RecordingBus, migrated_database, running_service

Body = Callable[..., dict[str, Any]]
ReadPhases = Callable[[UUID], Awaitable[list[str]]]
CLOCK = "/campaigns/ops/clock"
INTERVAL_SECONDS = 0.05


def start_a_new_process() -> None:
    """A new process starts on the operating system's clock, knowing nothing of earlier moves."""
    clock.set_clock(lambda: datetime.now(UTC))


@pytest.fixture(autouse=True)
def restore_clock() -> Iterator[None]:
    yield
    start_a_new_process()


@pytest.fixture
async def database() -> str:
    return await migrated_database(spec, "thidua_test_scheduler_demo_clock")


async def move_clock_over_http(database: str, moment: str) -> None:
    async with running_service(spec, database, RecordingBus(), demo_clock=True) as service:
        read = await service.client.get(CLOCK)
        moved = await service.client.put(
            CLOCK, json={"now": moment}, headers={"If-Match": read.headers["ETag"]}
        )
        assert moved.status_code == 200, moved.text


async def launch(database: str, body: dict[str, Any]) -> UUID:
    async with running_service(spec, database, RecordingBus(), demo_clock=True) as service:
        created = await service.client.post("/campaigns/campaigns", json=body)
        launched = await service.client.post(f"/campaigns/campaigns/{created.json()['id']}/launch")
        assert launched.status_code == 200, launched.text
        return UUID(created.json()["id"])


@pytest.fixture
async def phase_statuses(database: str) -> AsyncIterator[ReadPhases]:
    """Reads the phases straight from the database, as no service process is left running."""
    engine = make_engine(database, pool_size=1)
    sessionmaker = make_sessionmaker(engine)

    async def read(campaign_id: UUID) -> list[str]:
        async with sessionmaker() as session:
            statuses = await session.scalars(
                select(Phase.status).where(Phase.campaign_id == campaign_id).order_by(Phase.number)
            )
            return list(statuses)

    yield read
    await engine.dispose()


async def settles_on(
    read: ReadPhases, campaign_id: UUID, expected: list[str], steps: int = 10
) -> None:
    """The phases reach `expected` and stay there while the scheduler steps on."""
    async with asyncio.timeout(10):
        while await read(campaign_id) != expected:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    await asyncio.sleep(steps * INTERVAL_SECONDS)
    assert await read(campaign_id) == expected


async def test_the_standalone_scheduler_follows_the_clock_moved_over_http(
    database: str, new_campaign: Body, phase_statuses: ReadPhases
) -> None:
    await move_clock_over_http(database, "2018-01-10T08:00:00+07:00")
    campaign_id = await launch(database, new_campaign())
    # Each HTTP move above ran in this process; the scheduler's own process never saw them.
    start_a_new_process()
    settings = Settings(
        database_url=database, demo_clock=True, scheduler_interval_seconds=INTERVAL_SECONDS
    )
    scheduler = asyncio.create_task(run_standalone(settings))
    try:
        # On the operating system's clock every phase of 2018 would be over and closed.
        await settles_on(phase_statuses, campaign_id, ["open", "pending"])

        await move_clock_over_http(database, "2018-07-02T08:00:00+07:00")
        start_a_new_process()
        await settles_on(phase_statuses, campaign_id, ["closed", "open"])
    finally:
        scheduler.cancel()
        with pytest.raises(asyncio.CancelledError):
            await scheduler
