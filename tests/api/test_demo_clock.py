"""The demo moves a service's time over HTTP; nowhere else can anyone do so. The time moved is
the service's state: a restarted process and a second one on the same database keep it. Moving
it needs If-Match, like every other PUT."""

import asyncio
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
JULY_2018 = "2018-07-02T08:00:00+07:00"
# Whatever the clock's setting is now (RFC 9110 13.1.1).
ANY_SETTING = {"If-Match": "*"}


@pytest.fixture(scope="module")
async def database() -> str:
    return await migrated_database(campaigns_spec, "thidua_test_demo_clock")


def start_a_new_process() -> None:
    """A new process starts on the operating system's clock, knowing nothing of earlier moves."""
    clock.set_clock(lambda: datetime.now(UTC))


@pytest.fixture(autouse=True)
def restore_clock() -> Iterator[None]:
    yield
    start_a_new_process()


def seconds_since(reading: dict[str, str], moment: str) -> float:
    elapsed = datetime.fromisoformat(reading["now"]) - datetime.fromisoformat(moment)
    return elapsed.total_seconds()


def year_of(reading: dict[str, str]) -> int:
    return datetime.fromisoformat(reading["now"]).year


async def test_the_office_moves_time_when_the_demo_clock_is_on(database: str) -> None:
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
        refused = await service.client.put(
            PATH,
            json={"now": JANUARY_2018},
            headers={**bearer(Role.UNIT_HEAD, "VP"), **ANY_SETTING},
        )
        moved = await service.client.put(PATH, json={"now": JANUARY_2018}, headers=ANY_SETTING)
        read = await service.client.get(PATH)

    assert refused.status_code == 403
    assert moved.status_code == 200
    assert read.json()["adjustable"] is True
    assert 0 <= seconds_since(read.json(), JANUARY_2018) < 60


async def test_a_restarted_service_comes_back_on_the_moved_clock(database: str) -> None:
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
        moved = await service.client.put(PATH, json={"now": JULY_2018}, headers=ANY_SETTING)
    assert moved.status_code == 200
    start_a_new_process()

    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as restarted:
        read = await restarted.client.get(PATH)

    assert 0 <= seconds_since(read.json(), JULY_2018) < 60


async def test_a_second_process_of_the_service_follows_within_about_a_second(
    database: str,
) -> None:
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as replica:
        async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
            moved = await service.client.put(PATH, json={"now": JANUARY_2018}, headers=ANY_SETTING)
        assert moved.status_code == 200
        # The replica runs in a process of its own, which the move above never reached.
        start_a_new_process()
        loop = asyncio.get_running_loop()
        started = loop.time()
        while year_of(read := (await replica.client.get(PATH)).json()) != 2018:
            assert loop.time() - started < 1.5, "the replica still runs on the OS clock"
            await asyncio.sleep(0.05)

    assert 0 <= seconds_since(read, JANUARY_2018) < 60


async def test_the_clock_cannot_be_moved_otherwise(database: str) -> None:
    async with run(campaigns_spec, database, RecordingBus()) as service:
        refused = await service.client.put(PATH, json={"now": JANUARY_2018}, headers=ANY_SETTING)
        naive = await service.client.put(
            PATH, json={"now": "2018-01-10T08:00:00"}, headers=ANY_SETTING
        )

    assert refused.status_code == 404
    assert "THIDUA_DEMO_CLOCK" in refused.json()["detail"]
    assert naive.status_code in (404, 422)
    assert clock.now().year > 2018


async def test_with_the_demo_clock_off_a_stored_offset_is_ignored(database: str) -> None:
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
        moved = await service.client.put(PATH, json={"now": JANUARY_2018}, headers=ANY_SETTING)
        assert moved.status_code == 200
    start_a_new_process()

    async with run(campaigns_spec, database, RecordingBus()) as production:
        await asyncio.sleep(1.2)
        read = await production.client.get(PATH)

    assert read.json()["adjustable"] is False
    assert year_of(read.json()) > 2018


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+07:00",
        "1999-12-31T23:59:59+00:00",
        "9999-12-31T23:00:00-07:00",
        "2100-01-01T00:00:00+07:00",
    ],
)
async def test_the_clock_stays_between_2000_and_ten_years_ahead(database: str, moment: str) -> None:
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
        before = (await service.client.get(PATH)).json()
        refused = await service.client.put(PATH, json={"now": moment}, headers=ANY_SETTING)
        after = (await service.client.get(PATH)).json()

    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert "now" in refused.text
    assert abs(seconds_since(after, before["now"])) < 60


async def test_moving_the_clock_needs_the_etag_of_the_setting_read(database: str) -> None:
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
        read = await service.client.get(PATH)
        unconditional = await service.client.put(PATH, json={"now": JANUARY_2018})
        moved = await service.client.put(
            PATH, json={"now": JANUARY_2018}, headers={"If-Match": read.headers["ETag"]}
        )
        stale = await service.client.put(
            PATH, json={"now": JULY_2018}, headers={"If-Match": read.headers["ETag"]}
        )
        weak = await service.client.put(
            PATH, json={"now": JULY_2018}, headers={"If-Match": f"W/{moved.headers['ETag']}"}
        )
        after = await service.client.get(PATH)
        unchanged = await service.client.get(PATH, headers={"If-None-Match": after.headers["ETag"]})

    assert unconditional.status_code == 428, unconditional.text
    assert unconditional.headers["content-type"] == "application/problem+json"
    assert unconditional.json()["field"] == "If-Match"
    assert moved.status_code == 200, moved.text
    assert moved.headers["ETag"] != read.headers["ETag"]
    for refused in (stale, weak):
        assert refused.status_code == 412, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["field"] == "If-Match"
    assert stale.json()["current_etag"] == moved.headers["ETag"]
    assert after.headers["ETag"] == moved.headers["ETag"]
    assert 0 <= seconds_since(after.json(), JANUARY_2018) < 60
    assert unchanged.status_code == 304


async def test_of_two_offices_moving_from_the_same_reading_one_is_refused(database: str) -> None:
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
        seen = {"If-Match": (await service.client.get(PATH)).headers["ETag"]}
        answers = await asyncio.gather(
            service.client.put(PATH, json={"now": JANUARY_2018}, headers=seen),
            service.client.put(PATH, json={"now": JULY_2018}, headers=seen),
        )

    assert sorted(a.status_code for a in answers) == [200, 412], [a.text for a in answers]
