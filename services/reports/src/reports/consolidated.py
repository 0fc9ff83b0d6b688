"""The consolidated phase report (báo cáo sơ kết / tổng kết) the office gives the council.

Drafts are the unit's own work in progress: a unit with only a draft counts as missing.
"""

from collections import Counter
from collections.abc import Iterable
from statistics import fmean
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reports.codes import ReportStatus, UnitReportStatus
from reports.content_schemas import ResultRead
from reports.models import Campaign, Participant, PhaseReviewGap, Report
from reports.overview_schemas import (
    ConsolidatedReport,
    ConsolidatedTotals,
    UnitConsolidated,
)
from reports.progress import known_campaign
from thidua_shared.contracts.vocabulary import TASK_RATINGS, Discipline, ReportKind
from thidua_shared.platform.errors import NotFound


async def consolidated_report(
    session: AsyncSession, campaign_id: UUID, phase_number: int
) -> ConsolidatedReport:
    campaign = await known_campaign(session, campaign_id)
    phase = next((p for p in campaign.phases if p.number == phase_number), None)
    if phase is None:
        raise NotFound(f"Campaign {campaign_id} has no phase {phase_number}.", field="phase_number")
    reports = {
        r.unit_code: r
        for r in (
            await session.execute(
                select(Report).where(
                    Report.campaign_id == campaign_id,
                    Report.phase_number == phase_number,
                    Report.status != ReportStatus.DRAFT,
                )
            )
        ).scalars()
    }
    gaps = {
        g.unit_code: g.reason
        for g in (
            await session.execute(
                select(PhaseReviewGap).where(
                    PhaseReviewGap.campaign_id == campaign_id,
                    PhaseReviewGap.phase_number == phase_number,
                )
            )
        ).scalars()
    }
    final = phase_number == campaign.phases_total
    units = [
        _unit(participant, reports.get(participant.unit_code), gaps, final=final)
        for participant in _reporting_units(campaign, reports)
    ]
    return ConsolidatedReport(
        campaign_id=campaign.id,
        campaign_title=campaign.title,
        phase_number=phase.number,
        phase_name=phase.name,
        kind=ReportKind.FINAL if final else ReportKind.PRELIMINARY,
        phase_status=phase.status,
        review_round=phase.review_round,
        units=units,
        totals=_totals(units, final=final),
    )


def _reporting_units(campaign: Campaign, reports: dict[str, Report]) -> list[Participant]:
    """Active units, and units taken out of the plan that reported anyway, by cluster."""
    chosen = [p for p in campaign.participants if p.active or p.unit_code in reports]
    return sorted(chosen, key=lambda p: (p.cluster or "", p.unit_code))


def _unit(
    participant: Participant, report: Report | None, gaps: dict[str, str], *, final: bool
) -> UnitConsolidated:
    results = [ResultRead.model_validate(r) for r in report.results] if report else []
    percents = [r.percent_of_target for r in results if r.percent_of_target is not None]
    evaluations = report.member_evaluations if report else []
    counted = final and report is not None
    return UnitConsolidated(
        unit_code=participant.unit_code,
        unit_name=participant.unit_name,
        cluster=participant.cluster,
        report_id=report.id if report else None,
        status=UnitReportStatus.MISSING if report is None else UnitReportStatus(report.status),
        late=report.late if report else False,
        self_assessment=report.self_assessment if report else None,
        results=results,
        commitments=len(results),
        targets_met=sum(1 for p in percents if p >= 100),
        average_percent=round(fmean(percents), 2) if percents else None,
        member_ratings=_ratings(e["task_rating"] for e in evaluations) if counted else None,
        members_disciplined=(
            sum(1 for e in evaluations if e["discipline"] != Discipline.NONE) if counted else None
        ),
        initiatives=sum(len(e["initiatives"]) for e in evaluations) if counted else None,
        missing_reason=gaps.get(participant.unit_code) if report is None else None,
    )


def _ratings(ratings: Iterable[str]) -> dict[str, int]:
    counts = Counter(ratings)
    return {code: counts.get(code, 0) for code in TASK_RATINGS}


def _totals(units: list[UnitConsolidated], *, final: bool) -> ConsolidatedTotals:
    statuses = Counter(u.status for u in units)
    ratings: dict[str, int] | None = None
    if final:
        ratings = dict.fromkeys(TASK_RATINGS, 0)
        for unit in units:
            for code, count in (unit.member_ratings or {}).items():
                ratings[code] += count
    return ConsolidatedTotals(
        units=len(units),
        missing=statuses[UnitReportStatus.MISSING],
        submitted=statuses[UnitReportStatus.SUBMITTED],
        returned=statuses[UnitReportStatus.RETURNED],
        approved=statuses[UnitReportStatus.APPROVED],
        late=sum(1 for u in units if u.late),
        commitments=sum(u.commitments for u in units),
        targets_met=sum(u.targets_met for u in units),
        member_ratings=ratings,
        members_disciplined=sum(u.members_disciplined or 0 for u in units) if final else None,
        initiatives=sum(u.initiatives or 0 for u in units) if final else None,
    )
