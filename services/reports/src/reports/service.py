"""Report use cases. They flush, never commit; each state change records its event."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from reports import events
from reports.models import Campaign, Participant, Phase, Report, ReportVersion
from reports.schemas import ReportCreate, ReportResubmit
from thidua_shared.contracts.campaigns import CampaignLaunched, PhaseClosed
from thidua_shared.platform.auth import Forbidden, Principal, Role
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable
from thidua_shared.platform.http import check_version


async def _lock_campaign(session: AsyncSession, campaign_id: UUID, phases_total: int) -> Campaign:
    """The campaign row, created as a stub if missing, locked so its events apply one at a time."""
    await session.execute(
        insert(Campaign)
        .values(id=campaign_id, title="", phases_total=phases_total)
        .on_conflict_do_nothing(index_elements=[Campaign.id])
    )
    query = (
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.phases), selectinload(Campaign.participants))
        .with_for_update(of=Campaign)
    )
    return (await session.execute(query)).scalar_one()


async def record_campaign_launched(session: AsyncSession, data: CampaignLaunched) -> None:
    campaign = await _lock_campaign(session, data.campaign_id, len(data.phases))
    campaign.title = data.title
    campaign.year = data.year
    campaign.phases_total = len(data.phases)
    campaign.launched_at = data.launched_at
    phases = {phase.number: phase for phase in campaign.phases}
    for snapshot in data.phases:
        phase = phases.get(snapshot.number)
        if phase is None:
            campaign.phases.append(Phase(number=snapshot.number, name=snapshot.name))
        else:
            # Only the name: a phase.closed that arrived first has already set the status.
            phase.name = snapshot.name
    participants = {unit.unit_code: unit for unit in campaign.participants}
    for unit in data.units:
        participant = participants.get(unit.code)
        if participant is None:
            campaign.participants.append(
                Participant(unit_code=unit.code, unit_name=unit.name, cluster=unit.cluster)
            )
        else:
            participant.unit_name = unit.name
            participant.cluster = unit.cluster
    await session.flush()


async def record_phase_closed(session: AsyncSession, data: PhaseClosed) -> None:
    campaign = await _lock_campaign(session, data.campaign_id, data.phases_total)
    if campaign.launched_at is None:
        campaign.phases_total = data.phases_total
    phase = next((p for p in campaign.phases if p.number == data.phase_number), None)
    if phase is None:
        campaign.phases.append(
            Phase(number=data.phase_number, status="closed", closed_at=data.closed_at)
        )
    elif phase.status == "pending":
        phase.status = "closed"
        phase.closed_at = data.closed_at
    await session.flush()


async def _lock_phase(session: AsyncSession, campaign_id: UUID, number: int) -> Phase | None:
    """Reports of one phase change one at a time: whoever holds this lock sees the others."""
    query = (
        select(Phase)
        .where(Phase.campaign_id == campaign_id, Phase.number == number)
        .with_for_update()
    )
    return (await session.execute(query)).scalar_one_or_none()


async def submit_report(session: AsyncSession, data: ReportCreate, principal: Principal) -> Report:
    if not principal.may_act_for(data.unit_code):
        raise Forbidden(
            f"A unit head reports for their own unit only, not {data.unit_code}.",
            field="unit_code",
        )
    campaign = (
        await session.execute(
            select(Campaign)
            .where(Campaign.id == data.campaign_id)
            .options(selectinload(Campaign.participants))
        )
    ).scalar_one_or_none()
    if campaign is None or campaign.launched_at is None:
        raise Conflict(
            f"Campaign {data.campaign_id} is not known here yet; reports open once it is launched.",
            field="campaign_id",
        )
    phase = await _lock_phase(session, campaign.id, data.phase_number)
    if phase is None:
        raise Unprocessable(
            f"The campaign has {campaign.phases_total} phases, not {data.phase_number}.",
            field="phase_number",
        )
    if phase.status == "pending":
        raise Conflict(
            f"Phase {phase.number} has not closed yet; its report comes after it closes.",
            field="phase_number",
        )
    if all(p.unit_code != data.unit_code for p in campaign.participants):
        raise Unprocessable(
            f"Unit {data.unit_code} does not take part in this campaign.", field="unit_code"
        )
    existing = await session.execute(
        select(Report.id).where(
            Report.campaign_id == campaign.id,
            Report.phase_number == phase.number,
            Report.unit_code == data.unit_code,
        )
    )
    if existing.first() is not None:
        raise Conflict(
            f"Unit {data.unit_code} already has a report for phase {phase.number}.",
            field="unit_code",
        )
    report = Report(
        campaign_id=campaign.id,
        phase_number=phase.number,
        unit_code=data.unit_code,
        kind="final" if phase.number == campaign.phases_total else "preliminary",
        status="submitted",
        submission=1,
        summary=data.summary,
        self_assessment=data.self_assessment,
        submitted_at=now(),
    )
    session.add(report)
    await session.flush()
    await _keep_submission(session, report)
    await events.report_submitted(session, report)
    return report


async def _keep_submission(session: AsyncSession, report: Report) -> None:
    session.add(
        ReportVersion(
            report_id=report.id,
            submission=report.submission,
            summary=report.summary,
            self_assessment=report.self_assessment,
            submitted_at=report.submitted_at,
        )
    )
    await session.flush()


async def get_report(
    session: AsyncSession, report_id: UUID, principal: Principal, *, lock: bool = False
) -> Report:
    """The report if the caller may see it; another unit's reads exactly as a missing one."""
    query = select(Report).where(Report.id == report_id)
    if lock:
        query = query.with_for_update()
    report = (await session.execute(query)).scalar_one_or_none()
    if report is None or not principal.may_act_for(report.unit_code):
        raise _not_found(report_id)
    return report


def _not_found(report_id: UUID) -> NotFound:
    return NotFound(f"No report {report_id}.", field="report_id")


async def list_reports(
    session: AsyncSession,
    principal: Principal,
    *,
    campaign_id: UUID | None,
    phase_number: int | None,
    unit_code: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Report], int]:
    if principal.role is Role.UNIT_HEAD:
        # A unit head's list is always their own unit's, whatever the filter asks.
        if unit_code is not None and unit_code != principal.unit_code:
            raise Forbidden(
                f"A unit head lists their own unit's reports only, not {unit_code}.",
                field="unit_code",
            )
        unit_code = principal.unit_code
    query = select(Report)
    if campaign_id is not None:
        query = query.where(Report.campaign_id == campaign_id)
    if phase_number is not None:
        query = query.where(Report.phase_number == phase_number)
    if unit_code is not None:
        query = query.where(Report.unit_code == unit_code)
    if status is not None:
        query = query.where(Report.status == status)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await session.execute(
        query.order_by(Report.campaign_id, Report.phase_number, Report.unit_code)
        .limit(limit)
        .offset(offset)
    )
    return rows.scalars().all(), total


async def list_submissions(
    session: AsyncSession, report_id: UUID, principal: Principal
) -> Sequence[ReportVersion]:
    await get_report(session, report_id, principal)
    rows = await session.execute(
        select(ReportVersion)
        .where(ReportVersion.report_id == report_id)
        .order_by(ReportVersion.submission)
    )
    return rows.scalars().all()


async def approve_report(
    session: AsyncSession, report_id: UUID, expected_version: int | None, principal: Principal
) -> Report:
    # The phase is locked before anything else is read, so the last two approvals of a phase
    # cannot both miss each other and the phase is reviewed exactly once.
    phase = (
        await session.execute(
            select(Phase)
            .join(
                Report,
                and_(Report.campaign_id == Phase.campaign_id, Report.phase_number == Phase.number),
            )
            .where(Report.id == report_id)
            .with_for_update(of=Phase)
        )
    ).scalar_one_or_none()
    if phase is None:
        raise _not_found(report_id)
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    if report.status != "submitted":
        raise Conflict(
            f"The report is {report.status}; only a submitted one can be approved.", field="status"
        )
    if phase.reviewed_at is not None:
        raise Conflict(f"Phase {phase.number} is already reviewed.", field="phase_number")
    report.status = "approved"
    report.approved_at = now()
    await session.flush()
    await events.report_approved(session, report)
    await _review_phase_when_complete(session, phase)
    return report


async def _review_phase_when_complete(session: AsyncSession, phase: Phase) -> None:
    campaign = (
        await session.execute(
            select(Campaign)
            .where(Campaign.id == phase.campaign_id)
            .options(selectinload(Campaign.participants))
        )
    ).scalar_one()
    approved = await session.execute(
        select(Report.unit_code, Report.id).where(
            Report.campaign_id == phase.campaign_id,
            Report.phase_number == phase.number,
            Report.status == "approved",
        )
    )
    approved_by_unit = {row.unit_code: row.id for row in approved}
    units = [p.unit_code for p in campaign.participants]
    if not units or any(unit not in approved_by_unit for unit in units):
        return
    phase.status = "reviewed"
    phase.reviewed_at = now()
    await session.flush()
    await events.phase_reviewed(
        session, campaign, phase, [(unit, approved_by_unit[unit]) for unit in units]
    )


async def return_report(
    session: AsyncSession,
    report_id: UUID,
    reason: str,
    expected_version: int | None,
    principal: Principal,
) -> Report:
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    if report.status != "submitted":
        raise Conflict(
            f"The report is {report.status}; only a submitted one can be returned.", field="status"
        )
    returned_at = now()
    report.status = "returned"
    report.return_reason = reason
    report.returned_at = returned_at
    kept = (
        await session.execute(
            select(ReportVersion).where(
                ReportVersion.report_id == report.id,
                ReportVersion.submission == report.submission,
            )
        )
    ).scalar_one()
    kept.return_reason = reason
    kept.returned_at = returned_at
    await session.flush()
    await events.report_returned(session, report)
    return report


async def resubmit_report(
    session: AsyncSession,
    report_id: UUID,
    data: ReportResubmit,
    expected_version: int | None,
    principal: Principal,
) -> Report:
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    if report.status != "returned":
        raise Conflict(
            f"The report is {report.status}; only a returned one can be submitted again.",
            field="status",
        )
    report.status = "submitted"
    report.submission += 1
    report.summary = data.summary
    report.self_assessment = data.self_assessment
    report.submitted_at = now()
    report.return_reason = None
    report.returned_at = None
    await session.flush()
    await _keep_submission(session, report)
    await events.report_submitted(session, report)
    return report
