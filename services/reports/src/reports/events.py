"""What the reports service announces: report.submitted/approved/returned, phase.reviewed."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from reports.models import Campaign, Phase, Report
from thidua_shared.contracts.reports import (
    ApprovedReportRef,
    CommitmentResult,
    ItemReason,
    MemberEvaluation,
    MemberLeft,
    MissingUnit,
    PhaseReviewed,
    ReportApproved,
    ReportReturned,
    ReportSubmitted,
)
from thidua_shared.platform.outbox import record_event

SOURCE = "/thidua/reports"


def _subject(report: Report) -> str:
    return f"reports/{report.id}"


async def report_submitted(session: AsyncSession, report: Report) -> None:
    assert report.submitted_at is not None
    data = ReportSubmitted(
        report_id=report.id,
        campaign_id=report.campaign_id,
        phase_number=report.phase_number,
        unit_code=report.unit_code,
        version=report.submission,
        submitted_at=report.submitted_at,
        kind=report.kind,
        late=report.late,
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
        office_rating=report.office_rating,
        approved_at=report.approved_at,
        kind=report.kind,
        late=report.late,
        results=[CommitmentResult.model_validate(r) for r in report.results],
        member_evaluations=[MemberEvaluation.model_validate(e) for e in report.member_evaluations],
        members_left=[MemberLeft.model_validate(m) for m in report.members_left],
        summary=report.summary,
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
        item_reasons=[ItemReason.model_validate(i) for i in report.item_reasons],
    )
    await record_event(session, data, source=SOURCE, subject=_subject(report))


async def phase_reviewed(
    session: AsyncSession,
    campaign: Campaign,
    phase: Phase,
    approved_reports: Sequence[tuple[str, UUID, int]],
    missing_units: Sequence[tuple[str, str]],
) -> None:
    assert phase.reviewed_at is not None
    data = PhaseReviewed(
        campaign_id=campaign.id,
        phase_number=phase.number,
        phases_total=campaign.phases_total,
        approved_reports=[
            ApprovedReportRef(unit_code=unit_code, report_id=report_id, version=version)
            for unit_code, report_id, version in approved_reports
        ],
        missing_units=[
            MissingUnit(unit_code=unit_code, reason=reason) for unit_code, reason in missing_units
        ],
        reviewed_at=phase.reviewed_at,
        review_round=phase.review_round,
    )
    subject = f"campaigns/{campaign.id}/phases/{phase.number}"
    await record_event(session, data, source=SOURCE, subject=subject)
