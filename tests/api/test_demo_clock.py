"""The demo moves a service's time over HTTP; nowhere else can anyone do so."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from campaigns.main import spec as campaigns_spec
from thidua_shared.platform import clock
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, bearer, migrated_database
from thidua_shared.testing import running_service as run

PATH = "/campaigns/ops/clock"
JANUARY_2018 = "2018-01-10T08:00:00+07:00"


@pytest.fixture(scope="module")
async def database() -> str:
    return await migrated_database(campaigns_spec, "thidua_test_demo_clock")


@pytest.fixture(autouse=True)
def restore_clock() -> Iterator[None]:
    yield
    clock.set_clock(lambda: datetime.now(UTC))


async def test_the_office_moves_time_when_the_demo_clock_is_on(database: str) -> None:
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
        refused = await service.client.put(
            PATH, json={"now": JANUARY_2018}, headers=bearer(Role.UNIT_HEAD, "VP")
        )
        moved = await service.client.put(PATH, json={"now": JANUARY_2018})
        read = await service.client.get(PATH)

    assert refused.status_code == 403
    assert moved.status_code == 200
    assert read.json()["adjustable"] is True
    elapsed = datetime.fromisoformat(read.json()["now"]) - datetime.fromisoformat(JANUARY_2018)
    assert 0 <= elapsed.total_seconds() < 60


async def test_the_clock_cannot_be_moved_otherwise(database: str) -> None:
    async with run(campaigns_spec, database, RecordingBus()) as service:
        refused = await service.client.put(PATH, json={"now": JANUARY_2018})
        naive = await service.client.put(PATH, json={"now": "2018-01-10T08:00:00"})

    assert refused.status_code == 404
    assert "THIDUA_DEMO_CLOCK" in refused.json()["detail"]
    assert naive.status_code in (404, 422)
    assert clock.now().year > 2018
