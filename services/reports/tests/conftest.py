from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
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
from thidua_shared.testing import RecordingBus, RunningService, migrated_database, running_service

UNITS = ("VP", "TTCNTT")


@pytest.fixture(scope="session")
async def reports_db() -> str:
    return await migrated_database(spec, "thidua_test_reports")


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
        *, units: Sequence[str] = UNITS, phases: int = 2, closed: Sequence[int] = (1,)
    ) -> UUID:
        campaign_id = uuid4()
        await reports.deliver(campaign_launched(campaign_id, units=units, phases=phases))
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
def launch_event() -> Callable[..., CampaignLaunched]:
    return campaign_launched


@pytest.fixture
def close_event() -> Callable[..., PhaseClosed]:
    return phase_closed
