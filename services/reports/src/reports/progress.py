"""Per campaign and phase: how many reports are missing, late, submitted, returned, approved."""

from collections import Counter
from datetime import timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from reports.codes import ReportStatus, UnitReportStatus
from reports.models import Campaign, Phase, Report
from reports.overview_schemas import CampaignProgress, OverdueUnit, PhaseProgress
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import NotFound


async def known_campaign(session: AsyncSession, campaign_id: UUID) -> Campaign:
    campaign = (
        await session.execute(
            select(Campaign)
            .where(Campaign.id == campaign_id)
            .options(selectinload(Campaign.phases), selectinload(Campaign.participants))
        )
    ).scalar_one_or_none()
    if campaign is None or campaign.launched_at is None:
        raise NotFound(f"No campaign {campaign_id} here.", field="campaign_id")
    return campaign


async def campaign_progress(
    session: AsyncSession, campaign_id: UUID, due_days: int
) -> CampaignProgress:
    campaign = await known_campaign(session, campaign_id)
    reports = (
        await session.execute(select(Report).where(Report.campaign_id == campaign_id))
    ).scalars()
    by_phase: dict[int, dict[str, Report]] = {}
    for report in reports:
        by_phase.setdefault(report.phase_number, {})[report.unit_code] = report
    return CampaignProgress(
        campaign_id=campaign.id,
        title=campaign.title,
        report_due_days=due_days,
        phases=[
            _phase_progress(campaign, phase, by_phase.get(phase.number, {}), due_days)
            for phase in campaign.phases
        ],
    )


def _phase_progress(
    campaign: Campaign, phase: Phase, reports: dict[str, Report], due_days: int
) -> PhaseProgress:
    units = [p for p in campaign.participants if p.active]
    statuses = Counter(
        reports[p.unit_code].status if p.unit_code in reports else UnitReportStatus.MISSING
        for p in units
    )
    due_at = phase.closed_at + timedelta(days=due_days) if phase.closed_at else None
    overdue: list[OverdueUnit] = []
    if due_at is not None and now() > due_at:
        for participant in units:
            report = reports.get(participant.unit_code)
            if report is None or report.status == ReportStatus.DRAFT:
                overdue.append(
                    OverdueUnit(
                        unit_code=participant.unit_code,
                        unit_name=participant.unit_name,
                        cluster=participant.cluster,
                        status=UnitReportStatus.MISSING
                        if report is None
                        else UnitReportStatus.DRAFT,
                    )
                )
    return PhaseProgress(
        phase_number=phase.number,
        name=phase.name,
        status=phase.status,
        closed_at=phase.closed_at,
        due_at=due_at,
        review_round=phase.review_round,
        units=len(units),
        missing=statuses[UnitReportStatus.MISSING] + statuses[UnitReportStatus.DRAFT],
        drafts=statuses[UnitReportStatus.DRAFT],
        submitted=statuses[UnitReportStatus.SUBMITTED],
        returned=statuses[UnitReportStatus.RETURNED],
        approved=statuses[UnitReportStatus.APPROVED],
        late=sum(1 for p in units if p.unit_code in reports and reports[p.unit_code].late),
        overdue_units=sorted(overdue, key=lambda u: (u.cluster or "", u.unit_code)),
    )
