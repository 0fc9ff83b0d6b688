from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from reports.main import spec
from thidua_shared.contracts.campaigns import (
    CampaignLaunched,
    ClusterSnapshot,
    PhaseClosed,
    PhaseSnapshot,
    UnitSnapshot,
)
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.pledges import Commitment, PledgeApproved, RegisteredMember
from thidua_shared.platform.clock import set_clock
from thidua_shared.testing import RecordingBus, RunningService, migrated_database, running_service

UNITS = ("VP", "TTCNTT")
# Within the 15 days after phase 1 closed (30/06/2018): reports are on time unless a test
# moves the clock.
ON_TIME = datetime(2018, 7, 5, 9, tzinfo=UTC)

# Commitments and members in the spirit of the seed plan 60/KH-STTTT.
SEED_COMMITMENTS = (
    Commitment(
        task_number=2,
        content="100% cán bộ, công chức chấp hành tốt chủ trương, chính sách, pháp luật",
        indicator="Tỷ lệ cán bộ hoàn thành tốt nhiệm vụ",
        unit_of_measure="%",
        target_value=100,
    ),
    Commitment(
        task_number=5,
        content="Giải quyết hồ sơ thủ tục hành chính đúng hạn",
        indicator="Số ngày giải quyết hồ sơ bình quân",
        unit_of_measure="ngày",
        target_value=5,
        lower_is_better=True,
    ),
    Commitment(task_number=3, content="Tham gia các quỹ do Bộ và tỉnh phát động"),
)
SEED_MEMBERS = (
    RegisteredMember(
        staff_code="CB01",
        full_name="Nguyễn Thị Hoà",
        gender="female",
        title_aimed="chien_si_thi_dua_co_so",
    ),
    RegisteredMember(
        staff_code="CB02", full_name="Trần Văn Đức", gender="male", title_aimed="lao_dong_tien_tien"
    ),
    RegisteredMember(staff_code="CB03", full_name="Lê Hoàng Ngọc", gender="male"),
)


@pytest.fixture(autouse=True)
def on_time_clock() -> Iterator[None]:
    set_clock(lambda: ON_TIME)
    yield
    set_clock(lambda: datetime.now(UTC))


@pytest.fixture(scope="session")
async def reports_db() -> str:
    return await migrated_database(spec, "thidua_test_reports", own_role=True)


@pytest.fixture
async def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture
async def reports(reports_db: str, bus: RecordingBus) -> AsyncIterator[RunningService]:
    async with running_service(spec, reports_db, bus) as service:
        yield service


def campaign_launched(
    campaign_id: UUID, *, units: Sequence[str] = UNITS, phases: int = 2
) -> CampaignLaunched:
    return CampaignLaunched(
        campaign_id=campaign_id,
        document_number="60/KH-STTTT",
        title="Kế hoạch phát động phong trào thi đua năm 2018",
        year=2018,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        rule_set="law-2013-decree-91-2017",
        phases=[
            PhaseSnapshot(
                number=n, name=f"Đợt {n}", starts_on=date(2018, 1, 1), ends_on=date(2018, 12, 31)
            )
            for n in range(1, phases + 1)
        ],
        units=[UnitSnapshot(code=code, name=f"Đơn vị {code}", cluster="Cụm 1") for code in units],
        clusters=[ClusterSnapshot(name="Cụm 1", unit_codes=list(units))],
        launched_at=datetime(2018, 1, 2, tzinfo=UTC),
    )


def phase_closed(campaign_id: UUID, number: int, *, phases_total: int = 2) -> PhaseClosed:
    return PhaseClosed(
        campaign_id=campaign_id,
        phase_number=number,
        phases_total=phases_total,
        is_last=number == phases_total,
        closed_at=datetime(2018, 6, 30, 17, tzinfo=UTC),
    )


def pledge_approved(
    campaign_id: UUID,
    unit_code: str,
    *,
    commitments: Sequence[Commitment] = (),
    members: Sequence[RegisteredMember] = (),
    version: int = 1,
    approved_at: datetime = datetime(2018, 1, 20, tzinfo=UTC),
) -> PledgeApproved:
    return PledgeApproved(
        registration_id=uuid4(),
        campaign_id=campaign_id,
        unit_code=unit_code,
        version=version,
        collective_title="tap_the_lao_dong_tien_tien",
        members=list(members),
        commitments=list(commitments),
        approved_at=approved_at,
    )


def report_body(campaign_id: UUID, **overrides: object) -> dict[str, Any]:
    body: dict[str, Any] = {
        "campaign_id": str(campaign_id),
        "phase_number": 1,
        "unit_code": "VP",
        "summary": "Đơn vị đã hoàn thành các chỉ tiêu thi đua của đợt 1.",
        "self_assessment": "tot",
    }
    body.update(overrides)
    return body


@pytest.fixture
def new_campaign(reports: RunningService) -> Callable[..., Awaitable[UUID]]:
    """Announces a launched campaign to the service and closes the given phases."""

    async def launch(
        *,
        units: Sequence[str] = UNITS,
        phases: int = 2,
        closed: Sequence[int] = (1,),
        registered: Sequence[str] | None = None,
        commitments: Sequence[Commitment] = (),
        members: Sequence[RegisteredMember] = (),
    ) -> UUID:
        """Every unit (or those in `registered`) has an approved registration."""
        campaign_id = uuid4()
        await reports.deliver(campaign_launched(campaign_id, units=units, phases=phases))
        for unit in units if registered is None else registered:
            await reports.deliver(
                pledge_approved(campaign_id, unit, commitments=commitments, members=members)
            )
        for number in closed:
            await reports.deliver(phase_closed(campaign_id, number, phases_total=phases))
        return campaign_id

    return launch


@pytest.fixture
def published(
    reports: RunningService, bus: RecordingBus
) -> Callable[[str, UUID], Awaitable[list[Envelope]]]:
    """The events of one type about one campaign, once the outbox has been relayed."""

    async def of_type(event_type: str, campaign_id: UUID) -> list[Envelope]:
        await reports.drain_outbox()
        return [e for e in bus.of_type(event_type) if e.data["campaign_id"] == str(campaign_id)]

    return of_type


@pytest.fixture
def new_report() -> Callable[..., dict[str, Any]]:
    return report_body


@pytest.fixture
def approval_event() -> Callable[..., PledgeApproved]:
    return pledge_approved


@pytest.fixture
def launch_event() -> Callable[..., CampaignLaunched]:
    return campaign_launched


@pytest.fixture
def close_event() -> Callable[..., PhaseClosed]:
    return phase_closed


@pytest.fixture
def seed_campaign(new_campaign: Callable[..., Awaitable[UUID]]) -> Callable[..., Awaitable[UUID]]:
    """A campaign whose units registered the seed's commitments and members."""

    async def launch(**options: Any) -> UUID:
        return await new_campaign(commitments=SEED_COMMITMENTS, members=SEED_MEMBERS, **options)

    return launch


def seed_results() -> list[dict[str, Any]]:
    return [
        {
            "commitment_number": 1,
            "achieved_value": 95,
            "narrative": "19/20 cán bộ hoàn thành tốt nhiệm vụ",
            "evidence": ["Biên bản họp xét 12/BB-VP"],
        },
        {"commitment_number": 2, "achieved_value": 4, "narrative": "Rút ngắn thời gian xử lý"},
        {"commitment_number": 3, "narrative": "Ủng hộ Quỹ Vì người nghèo"},
    ]


def seed_evaluations() -> list[dict[str, Any]]:
    return [
        {
            "staff_code": "CB01",
            "task_rating": "xuat_sac",
            "initiatives": [
                {
                    "identifier": "SK-2018-014",
                    "title": "Số hoá hồ sơ một cửa",
                    "level": "grassroots",
                    "year": 2018,
                }
            ],
            "counted_leave_days": 120,
            "notes": "Nghỉ thai sản 4 tháng",
        },
        {"staff_code": "CB02", "task_rating": "tot"},
        {
            "staff_code": "CB03",
            "task_rating": "hoan_thanh",
            "discipline": "khien_trach",
            "discipline_from": "2018-03-01",
            "discipline_to": "2019-02-28",
        },
    ]


@pytest.fixture
def results() -> Callable[[], list[dict[str, Any]]]:
    return seed_results


@pytest.fixture
def evaluations() -> Callable[[], list[dict[str, Any]]]:
    return seed_evaluations
