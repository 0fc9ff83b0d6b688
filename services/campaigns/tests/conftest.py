from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime

import pytest

from campaigns.main import spec
from thidua_shared.platform.clock import set_clock
from thidua_shared.testing import RecordingBus, RunningService, migrated_database, running_service


@pytest.fixture(scope="session")
async def campaigns_db() -> str:
    return await migrated_database(spec, "thidua_test_campaigns", own_role=True)


@pytest.fixture
async def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture
async def campaigns(campaigns_db: str, bus: RecordingBus) -> AsyncIterator[RunningService]:
    async with running_service(spec, campaigns_db, bus) as service:
        yield service


def campaign_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "document_number": "60/KH-STTTT",
        "title": "Kế hoạch phát động phong trào thi đua năm 2018",
        "year": 2018,
        "period_start": "2018-01-01",
        "period_end": "2018-12-31",
        "registration_deadline": "2018-03-31",
        "phases": [
            {
                "name": "Đợt 1",
                "starts_on": "2018-01-01",
                "ends_on": "2018-06-30",
                "dedication": "Mừng Đảng, mừng Xuân",
            },
            {
                "name": "Đợt 2",
                "starts_on": "2018-07-01",
                "ends_on": "2018-12-31",
                "dedication": "Chào mừng Quốc khánh 2/9",
            },
        ],
        "units": [
            {"code": "VP", "name": "Văn phòng Sở", "cluster": "Cụm 1"},
            {"code": "TTCNTT", "name": "Trung tâm Công nghệ thông tin", "cluster": "Cụm 1"},
        ],
    }
    body.update(overrides)
    return body


@pytest.fixture
def new_campaign() -> object:
    return campaign_body


@pytest.fixture
def clock() -> Iterator[Callable[[datetime], None]]:
    """Moves the injected clock to a moment; real time again after the test."""
    moment = [datetime.now(UTC)]
    set_clock(lambda: moment[0])
    yield lambda to: moment.__setitem__(0, to)
    set_clock(lambda: datetime.now(UTC))
