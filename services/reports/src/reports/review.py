"""The office's review: approve, return, reopen; and the phase's review, published once per round.

Every change that can complete a phase's review holds the phase row's lock while it checks,
so the last two approvals of a phase cannot both miss each other, nor both see themselves
last: phase.reviewed is published once per review round. A report's own row is locked first
and the phase's last, just before the check: approvals of different units do their work side
by side and queue only for that step (taking the phase first made a phase's approvals run one
at a time, whatever the number of reviewers).
"""

from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reports import events
from reports.codes import PhaseStatus, ReportStatus
from reports.models import Campaign, Participant, Phase, PhaseReviewGap, Report, ReportVersion
from reports.schemas import PhaseReopening, ReportApproval, ReportReturn, ReviewClosure
from reports.service import ensure_not_cancelled, get_report, lock_phase
from thidua_shared.contracts.vocabulary import ReportKind
from thidua_shared.platform.auth import Principal
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable
from thidua_shared.platform.http import check_version


async def _campaign(session: AsyncSession, campaign_id: UUID) -> Campaign:
    campaign = (
        await session.execute(select(Campaign).where(Campaign.id == campaign_id))
    ).scalar_one()
    ensure_not_cancelled(campaign)
    return campaign


async def _active_units(session: AsyncSession, campaign_id: UUID) -> list[str]:
    rows = await session.execute(
        select(Participant.unit_code)
        .where(Participant.campaign_id == campaign_id, Participant.active)
        .order_by(Participant.unit_code)
    )
    return list(rows.scalars())


async def _kept_version(session: AsyncSession, report: Report) -> ReportVersion:
    query = select(ReportVersion).where(
        ReportVersion.report_id == report.id, ReportVersion.submission == report.submission
    )
    return (await session.execute(query)).scalar_one()


async def approve_report(
    session: AsyncSession,
    report_id: UUID,
    expected_version: int | None,
    principal: Principal,
    approval: ReportApproval | None = None,
) -> Report:
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    await _campaign(session, report.campaign_id)
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict(
            f"The report is {report.status}; only a submitted one can be approved.", field="status"
        )
    office_rating = approval.office_rating if approval else None
    if office_rating is not None and report.kind != ReportKind.FINAL:
        raise Unprocessable(
            "The office rates a unit at the final review (tổng kết) only.", field="office_rating"
        )
    report.office_rating = office_rating
    report.status = ReportStatus.APPROVED
    report.approved_at = now()
    (await _kept_version(session, report)).approved_at = report.approved_at
    await session.flush()
    await events.report_approved(session, report)
    phase = await _phase_under_review(session, report)
    await review_phase_when_complete(session, phase, reviewer=principal.subject)
    return report


async def _phase_under_review(session: AsyncSession, report: Report) -> Phase:
    """The report's phase, locked (see the module's docstring), if its review is still open."""
    phase = await lock_phase(session, report.campaign_id, report.phase_number)
    assert phase is not None, "a report's phase is never deleted"
    if phase.status == PhaseStatus.REVIEWED:
        raise Conflict(
            f"Phase {phase.number} is already reviewed; the office reopens the phase for a "
            "correction.",
            field="phase_number",
        )
    return phase


async def return_report(
    session: AsyncSession,
    report_id: UUID,
    data: ReportReturn,
    expected_version: int | None,
    principal: Principal,
) -> Report:
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    await _campaign(session, report.campaign_id)
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict(
            f"The report is {report.status}; only a submitted one can be returned.", field="status"
        )
    items = {f"commitment:{r['commitment_number']}" for r in report.results}
    items |= {f"member:{e['staff_code']}" for e in report.member_evaluations}
    items |= {f"member:{m['staff_code']}" for m in report.members_left}
    for index, item in enumerate(data.item_reasons):
        if item.item not in items:
            raise Unprocessable(
                f"The report has no item {item.item}.", field=f"item_reasons[{index}].item"
            )
    await _mark_returned(
        session, report, data.reason, [i.model_dump(mode="json") for i in data.item_reasons]
    )
    return report


async def _mark_returned(
    session: AsyncSession, report: Report, reason: str, item_reasons: list[dict[str, str]]
) -> None:
    returned_at = now()
    report.status = ReportStatus.RETURNED
    report.return_reason = reason
    report.item_reasons = item_reasons
    report.returned_at = returned_at
    report.approved_at = None
    kept = await _kept_version(session, report)
    kept.return_reason = reason
    kept.item_reasons = item_reasons
    kept.returned_at = returned_at
    await session.flush()
    await events.report_returned(session, report)


async def reopen_report(
    session: AsyncSession,
    report_id: UUID,
    reason: str,
    expected_version: int | None,
    principal: Principal,
) -> Report:
    """An approval given by mistake is withdrawn: the report is submitted again, for review."""
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    await _campaign(session, report.campaign_id)
    if report.status != ReportStatus.APPROVED:
        raise Conflict(
            f"The report is {report.status}; only an approved one can be reopened.", field="status"
        )
    # Locked, so that a concurrent last approval either sees this one withdrawn or completed
    # the review first, and then this is refused.
    await _phase_under_review(session, report)
    report.status = ReportStatus.SUBMITTED
    report.approved_at = None
    kept = await _kept_version(session, report)
    kept.approved_at = None
    kept.approval_withdrawn_at = now()
    kept.approval_withdrawn_reason = reason
    await session.flush()
    return report


async def close_review(
    session: AsyncSession,
    campaign_id: UUID,
    phase_number: int,
    data: ReviewClosure,
    principal: Principal,
) -> Phase:
    """The office closes the phase's review with units missing, recording who and why."""
    phase = await _reviewable_phase(session, campaign_id, phase_number)
    await _campaign(session, campaign_id)
    approved = await _approved_by_unit(session, phase)
    missing = [unit for unit in await _active_units(session, campaign_id) if unit not in approved]
    reasons = {unit.unit_code: unit.reason for unit in data.units}
    for index, unit in enumerate(data.units):
        if unit.unit_code not in missing:
            raise Unprocessable(
                f"Unit {unit.unit_code} is not missing from phase {phase_number}'s review.",
                field=f"units[{index}].unit_code",
            )
    if not missing:
        raise Conflict(f"No unit is missing from phase {phase_number}'s review.", field="status")
    recorded_at = now()
    await session.execute(
        delete(PhaseReviewGap).where(
            PhaseReviewGap.campaign_id == campaign_id, PhaseReviewGap.phase_number == phase_number
        )
    )
    session.add_all(
        PhaseReviewGap(
            campaign_id=campaign_id,
            phase_number=phase_number,
            unit_code=unit,
            reason=reasons.get(unit, data.reason),
            recorded_by=principal.subject,
            recorded_at=recorded_at,
        )
        for unit in missing
    )
    await session.flush()
    await review_phase_when_complete(session, phase, reviewer=principal.subject)
    return phase


async def reopen_phase(
    session: AsyncSession,
    campaign_id: UUID,
    phase_number: int,
    data: PhaseReopening,
    principal: Principal,
) -> Phase:
    """A reviewed phase reopens for a correction: the named units' approved reports go back.

    Once they are approved again (or the review is closed again with gaps) phase.reviewed is
    published with the next review_round.
    """
    phase = await lock_phase(session, campaign_id, phase_number)
    if phase is None:
        raise NotFound(f"No phase {phase_number} of campaign {campaign_id}.", field="phase_number")
    await _campaign(session, campaign_id)
    if phase.status != PhaseStatus.REVIEWED:
        raise Conflict(
            f"Phase {phase_number} is {phase.status}; only a reviewed phase is reopened.",
            field="status",
        )
    reports = {
        r.unit_code: r
        for r in (
            await session.execute(
                select(Report)
                .where(
                    Report.campaign_id == campaign_id,
                    Report.phase_number == phase_number,
                    Report.unit_code.in_(data.unit_codes),
                )
                .with_for_update()
            )
        ).scalars()
    }
    for index, unit in enumerate(data.unit_codes):
        # A report submitted after the review (by a unit the review closed without) may be
        # reopened too, so that it can be approved in the next round.
        if unit not in reports or reports[unit].status not in (
            ReportStatus.APPROVED,
            ReportStatus.SUBMITTED,
        ):
            raise Unprocessable(
                f"Unit {unit} has no approved or submitted report for phase {phase_number}.",
                field=f"unit_codes[{index}]",
            )
    phase.status = PhaseStatus.REOPENED
    phase.reopened_at = now()
    phase.reopen_reason = data.reason
    for report in reports.values():
        if report.status == ReportStatus.APPROVED:
            await _mark_returned(session, report, data.reason, [])
    await session.flush()
    return phase


async def _reviewable_phase(session: AsyncSession, campaign_id: UUID, number: int) -> Phase:
    phase = await lock_phase(session, campaign_id, number)
    if phase is None:
        raise NotFound(f"No phase {number} of campaign {campaign_id}.", field="phase_number")
    if phase.status not in (PhaseStatus.CLOSED, PhaseStatus.REOPENED):
        raise Conflict(
            f"Phase {number} is {phase.status}; only a closed phase's review is closed.",
            field="status",
        )
    return phase


async def _approved_by_unit(session: AsyncSession, phase: Phase) -> dict[str, tuple[UUID, int]]:
    """Each unit's approved report and the version approved."""
    approved = await session.execute(
        select(Report.unit_code, Report.id, Report.submission).where(
            Report.campaign_id == phase.campaign_id,
            Report.phase_number == phase.number,
            Report.status == ReportStatus.APPROVED,
        )
    )
    return {row.unit_code: (row.id, row.submission) for row in approved}


async def _surely_outstanding(session: AsyncSession, phase: Phase) -> bool:
    """Whether fewer of the phase's reports are approved, and units excused, than units take
    part: then one of them is neither. Counted from two indexes at every approval (an
    anti-join of the phase's units with its reports was planned as a nested loop over both,
    200 ms at 2,000 units). Equal counts prove nothing (a unit no longer taking part may have
    an approved report), so the caller then checks unit by unit, once or twice a phase."""
    approved = (
        select(func.count())
        .select_from(Report)
        .where(
            Report.campaign_id == phase.campaign_id,
            Report.phase_number == phase.number,
            Report.status == ReportStatus.APPROVED,
        )
        .scalar_subquery()
    )
    excused = (
        select(func.count())
        .select_from(PhaseReviewGap)
        .where(
            PhaseReviewGap.campaign_id == phase.campaign_id,
            PhaseReviewGap.phase_number == phase.number,
        )
        .scalar_subquery()
    )
    taking_part = (
        select(func.count())
        .select_from(Participant)
        .where(Participant.campaign_id == phase.campaign_id, Participant.active)
        .scalar_subquery()
    )
    return (await session.execute(select(approved + excused < taking_part))).scalar_one()


async def review_phase_when_complete(session: AsyncSession, phase: Phase, *, reviewer: str) -> None:
    """Publishes phase.reviewed when every active unit is approved or recorded missing.

    The caller holds the phase row's lock (or the campaign's, for the consumers).
    """
    if phase.status not in (PhaseStatus.CLOSED, PhaseStatus.REOPENED):
        return
    # Counted by the database first: reading the whole phase at every approval made each one
    # cost more than the last.
    if await _surely_outstanding(session, phase):
        return
    campaign = (
        await session.execute(select(Campaign).where(Campaign.id == phase.campaign_id))
    ).scalar_one()
    approved = await _approved_by_unit(session, phase)
    gaps = {
        gap.unit_code: gap.reason
        for gap in (
            await session.execute(
                select(PhaseReviewGap).where(
                    PhaseReviewGap.campaign_id == phase.campaign_id,
                    PhaseReviewGap.phase_number == phase.number,
                )
            )
        ).scalars()
    }
    units = await _active_units(session, phase.campaign_id)
    if not units or any(unit not in approved and unit not in gaps for unit in units):
        return
    phase.status = PhaseStatus.REVIEWED
    phase.reviewed_at = now()
    phase.reviewed_by = reviewer
    phase.review_round += 1
    await session.flush()
    await events.phase_reviewed(
        session,
        campaign,
        phase,
        [(unit, *approved[unit]) for unit in units if unit in approved],
        [(unit, gaps[unit]) for unit in units if unit not in approved],
    )
