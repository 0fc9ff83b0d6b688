"""What the reports service consumes (campaign plan, phase closing) and announces."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

# service imports this module for the publishers below; each side only uses the other at call
# time, so the cycle is harmless.
from reports import service
from reports.models import Campaign, Phase, Report
from thidua_shared.contracts.campaigns import CampaignLaunched, PhaseClosed
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.reports import (
    ApprovedReportRef,
    PhaseReviewed,
    ReportApproved,
    ReportReturned,
    ReportSubmitted,
)
from thidua_shared.platform.consumer import HandlerSpec
from thidua_shared.platform.outbox import record_event

SOURCE = "/thidua/reports"


async def on_campaign_launched(
    session: AsyncSession, payload: CampaignLaunched, envelope: Envelope
) -> None:
    await service.record_campaign_launched(session, payload)


async def on_phase_closed(session: AsyncSession, payload: PhaseClosed, envelope: Envelope) -> None:
    await service.record_phase_closed(session, payload)


HANDLERS: dict[str, HandlerSpec] = {
    CampaignLaunched.event_type: HandlerSpec(CampaignLaunched, on_campaign_launched),
    PhaseClosed.event_type: HandlerSpec(PhaseClosed, on_phase_closed),
}


def _subject(report: Report) -> str:
    return f"reports/{report.id}"


async def report_submitted(session: AsyncSession, report: Report) -> None:
    data = ReportSubmitted(
        report_id=report.id,
        campaign_id=report.campaign_id,
        phase_number=report.phase_number,
        unit_code=report.unit_code,
        version=report.submission,
        submitted_at=report.submitted_at,
    )
    await record_event(session, data, source=SOURCE, subject=_subject(report))


async def report_approved(session: AsyncSession, report: Report) -> None:
    assert report.approved_at is not None
    data = ReportApproved(
        report_id=report.id,
        campaign_id=report.campaign_id,
        phase_number=report.phase_number,
        unit_code=report.unit_code,
        version=report.submission,
        self_assessment=report.self_assessment,
        approved_at=report.approved_at,
    )
    await record_event(session, data, source=SOURCE, subject=_subject(report))


async def report_returned(session: AsyncSession, report: Report) -> None:
    assert report.returned_at is not None
    assert report.return_reason is not None
    data = ReportReturned(
        report_id=report.id,
        campaign_id=report.campaign_id,
        phase_number=report.phase_number,
        unit_code=report.unit_code,
        version=report.submission,
        reason=report.return_reason,
        returned_at=report.returned_at,
    )
    await record_event(session, data, source=SOURCE, subject=_subject(report))


async def phase_reviewed(
    session: AsyncSession,
    campaign: Campaign,
    phase: Phase,
    approved_reports: Sequence[tuple[str, UUID]],
) -> None:
    assert phase.reviewed_at is not None
    data = PhaseReviewed(
        campaign_id=campaign.id,
        phase_number=phase.number,
        phases_total=campaign.phases_total,
        approved_reports=[
            ApprovedReportRef(unit_code=unit_code, report_id=report_id)
            for unit_code, report_id in approved_reports
        ],
        reviewed_at=phase.reviewed_at,
    )
    subject = f"campaigns/{campaign.id}/phases/{phase.number}"
    await record_event(session, data, source=SOURCE, subject=subject)
