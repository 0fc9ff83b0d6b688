from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest

from pledges.main import spec
from thidua_shared.contracts.campaigns import (
    CampaignLaunched,
    ClusterSnapshot,
    PhaseSnapshot,
    TargetSnapshot,
    TaskSnapshot,
    UnitSnapshot,
)
from thidua_shared.platform.clock import set_clock
from thidua_shared.testing import RecordingBus, RunningService, migrated_database, running_service

UNITS = (("VP", "Văn phòng Sở"), ("TTCNTT", "Trung tâm Công nghệ thông tin"))
# Tasks 1 and 2 of the seed plan: the first without a target, the second with its 100 %.
TASKS = [
    TaskSnapshot(
        number=1, content="Tuyên truyền tư tưởng Hồ Chí Minh về thi đua ái quốc", targets=[]
    ),
    TaskSnapshot(
        number=2,
        content="Cán bộ chấp hành tốt chủ trương, chính sách; hoàn thành tốt nhiệm vụ được giao",
        targets=[
            TargetSnapshot(
                indicator="Cán bộ hoàn thành tốt nhiệm vụ", unit_of_measure="%", target_value=100
            ),
            TargetSnapshot(
                indicator="Vụ việc vi phạm kỷ luật",
                unit_of_measure="vụ",
                target_value=0,
                lower_is_better=True,
            ),
        ],
    ),
]
# 01/02/2018 09:00 in Vietnam, before the test campaign's registration deadline (31/03/2018);
# kept in UTC like the real clock, so times read back from the database compare equal.
BEFORE_DEADLINE = datetime(2018, 2, 1, 9, 0, tzinfo=timezone(timedelta(hours=7))).astimezone(UTC)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    """Every test starts on 01/02/2018, while registration is open; a test may move the clock.

    The clock keeps running from there, so what is ordered by time stays in order.
    """
    started = datetime.now(UTC)
    set_clock(lambda: BEFORE_DEADLINE + (datetime.now(UTC) - started))
    yield
    set_clock(lambda: datetime.now(UTC))


@pytest.fixture(scope="session")
async def pledges_db() -> str:
    return await migrated_database(spec, "thidua_test_pledges", own_role=True)


@pytest.fixture
async def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture
async def pledges(pledges_db: str, bus: RecordingBus) -> AsyncIterator[RunningService]:
    async with running_service(spec, pledges_db, bus) as service:
        yield service


def campaign_launched(campaign_id: UUID | None = None) -> CampaignLaunched:
    return CampaignLaunched(
        campaign_id=campaign_id or uuid4(),
        document_number="60/KH-STTTT",
        title="Kế hoạch phát động phong trào thi đua năm 2018",
        year=2018,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        registration_deadline=date(2018, 3, 31),
        rule_set="law-2013-decree-91-2017",
        phases=[
            PhaseSnapshot(
                number=1, name="Đợt 1", starts_on=date(2018, 1, 1), ends_on=date(2018, 6, 30)
            ),
            PhaseSnapshot(
                number=2, name="Đợt 2", starts_on=date(2018, 7, 1), ends_on=date(2018, 12, 31)
            ),
        ],
        units=[UnitSnapshot(code=code, name=name, cluster="Cụm 1") for code, name in UNITS],
        clusters=[ClusterSnapshot(name="Cụm 1", unit_codes=[code for code, _ in UNITS])],
        launched_at=datetime(2018, 1, 5, 8, 0, tzinfo=UTC),
        issuing_agency="Sở Thông tin và Truyền thông",
        place_of_issue="Đồng Nai",
        tasks=TASKS,
    )


@pytest.fixture
def new_launch() -> Callable[..., CampaignLaunched]:
    return campaign_launched


@pytest.fixture
async def launched(pledges: RunningService) -> CampaignLaunched:
    event = campaign_launched()
    await pledges.deliver(event, source="/thidua/campaigns")
    return event


def members(*staff_codes: str, title: str | None = "lao_dong_tien_tien") -> list[dict[str, Any]]:
    return [
        {"staff_code": code, "full_name": f"Nguyễn Văn {code}", "title_aimed": title}
        for code in staff_codes
    ]


def registration_body(campaign_id: UUID, **overrides: object) -> dict[str, Any]:
    body: dict[str, Any] = {
        "campaign_id": str(campaign_id),
        "unit_code": "VP",
        "collective_title": "tap_the_lao_dong_xuat_sac",
        "members": members("NV001", "NV002"),
    }
    body.update(overrides)
    return body


@pytest.fixture
def new_members() -> Callable[..., list[dict[str, Any]]]:
    return members


@pytest.fixture
def new_registration() -> Callable[..., dict[str, Any]]:
    return registration_body
