"""Writing a report: drafts, submission, correction after a return. They flush, never commit."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from reports import events
from reports.codes import PhaseStatus, ReportStatus
from reports.content import StoredContent, checked_content, content_of
from reports.content_schemas import ReportContent
from reports.models import Campaign, Participant, Phase, Registration, Report, ReportVersion
from reports.schemas import ReportCreate
from thidua_shared.contracts.vocabulary import ReportKind
from thidua_shared.platform.auth import Forbidden, Principal, Role
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable
from thidua_shared.platform.http import check_version

DEFAULT_DUE_DAYS = 15


async def create_report(
    session: AsyncSession, data: ReportCreate, principal: Principal, due_days: int
) -> Report:
    if not principal.may_act_for(data.unit_code):
        raise Forbidden(
            f"A unit head reports for their own unit only, not {data.unit_code}.",
            field="unit_code",
        )
    campaign = await session.get(Campaign, data.campaign_id)
    if campaign is None or campaign.launched_at is None:
        raise Conflict(
            f"Campaign {data.campaign_id} is not known here yet; reports open once it is launched.",
            field="campaign_id",
        )
    ensure_not_cancelled(campaign)
    phase = await lock_phase(session, campaign.id, data.phase_number, shared=True)
    if phase is None:
        raise Unprocessable(
            f"The campaign has {campaign.phases_total} phases, not {data.phase_number}.",
            field="phase_number",
        )
    if not data.draft:
        _ensure_closed(phase)
    # The one participant row, not the campaign's thousands: a report's cost must not grow
    # with the province.
    participant = await session.get(Participant, (campaign.id, data.unit_code))
    if participant is None or not participant.active:
        raise Unprocessable(
            f"Unit {data.unit_code} does not take part in this campaign.", field="unit_code"
        )
    registration = await approved_registration(session, campaign.id, data.unit_code)
    existing = await session.execute(
        select(Report.id).where(
            Report.campaign_id == campaign.id,
            Report.phase_number == phase.number,
            Report.unit_code == data.unit_code,
        )
    )
    if existing.first() is not None:
        raise _already_reported(data.unit_code, phase.number)
    kind = ReportKind.FINAL if phase.number == campaign.phases_total else ReportKind.PRELIMINARY
    content = checked_content(data, registration, kind=kind, complete=not data.draft)
    report = Report(
        campaign_id=campaign.id,
        phase_number=phase.number,
        unit_code=data.unit_code,
        kind=kind,
        status=ReportStatus.DRAFT,
        submission=0,
    )
    _write_content(report, data, content)
    try:
        if data.draft:
            session.add(report)
            await session.flush()
        else:
            await _submit(session, report, late=is_late(phase, now(), due_days))
    except IntegrityError as exc:
        # The same unit's report sent twice at once: both passed the check above under the
        # phase's share lock, the second insert waited for the first and found it.
        if "uq_reports_campaign_id" not in str(exc):
            raise
        # (from the request: the failed flush expired what the session had loaded)
        raise _already_reported(data.unit_code, data.phase_number) from exc
    return report


def _already_reported(unit_code: str, phase_number: int) -> Conflict:
    return Conflict(
        f"Unit {unit_code} already has a report for phase {phase_number}.", field="unit_code"
    )


async def update_report(
    session: AsyncSession,
    report_id: UUID,
    data: ReportContent,
    expected_version: int | None,
    principal: Principal,
) -> Report:
    """Rewrites a draft, or a returned report before it is submitted again."""
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise Conflict(
            f"The report is {report.status}; only a draft or a returned one can be changed.",
            field="status",
        )
    await ensure_campaign_open(session, report.campaign_id)
    registration = await approved_registration(session, report.campaign_id, report.unit_code)
    content = checked_content(data, registration, kind=report.kind, complete=False)
    _write_content(report, data, content)
    await session.flush()
    return report


async def submit_draft(
    session: AsyncSession,
    report_id: UUID,
    expected_version: int | None,
    principal: Principal,
    due_days: int,
) -> Report:
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    if report.status != ReportStatus.DRAFT:
        raise Conflict(
            f"The report is {report.status}; only a draft is submitted this way.", field="status"
        )
    await ensure_campaign_open(session, report.campaign_id)
    phase = await lock_phase(session, report.campaign_id, report.phase_number, shared=True)
    assert phase is not None
    _ensure_closed(phase)
    await _recheck_complete(session, report)
    await _submit(session, report, late=is_late(phase, now(), due_days))
    return report


async def resubmit_report(
    session: AsyncSession,
    report_id: UUID,
    data: ReportContent | None,
    expected_version: int | None,
    principal: Principal,
) -> Report:
    """Submits a returned report again, with new content or as last changed (PUT)."""
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    if report.status != ReportStatus.RETURNED:
        raise Conflict(
            f"The report is {report.status}; only a returned one can be submitted again.",
            field="status",
        )
    await ensure_campaign_open(session, report.campaign_id)
    registration = await approved_registration(session, report.campaign_id, report.unit_code)
    data = data or content_of(report)
    content = checked_content(data, registration, kind=report.kind, complete=True)
    _write_content(report, data, content)
    report.return_reason = None
    report.item_reasons = []
    report.returned_at = None
    await _submit(session, report)
    return report


async def _recheck_complete(session: AsyncSession, report: Report) -> None:
    """A draft's content against the registration as it is now, complete this time."""
    registration = await approved_registration(session, report.campaign_id, report.unit_code)
    given = content_of(report)
    content = checked_content(given, registration, kind=report.kind, complete=True)
    _write_content(report, given, content)


def _write_content(report: Report, data: ReportContent, content: StoredContent) -> None:
    report.summary = data.summary
    report.self_assessment = data.self_assessment
    report.results = content.results
    report.member_evaluations = content.member_evaluations
    report.members_left = content.members_left


async def _submit(session: AsyncSession, report: Report, *, late: bool | None = None) -> None:
    """A new submission, kept as a version; lateness is judged at the first one only."""
    submitted_at = now()
    if late is not None:
        report.late = late
    report.status = ReportStatus.SUBMITTED
    report.submission += 1
    report.submitted_at = submitted_at
    # A new report is inserted here, in one statement with its submission (its ETag is "1").
    session.add(report)
    await session.flush()
    session.add(
        ReportVersion(
            report_id=report.id,
            submission=report.submission,
            summary=report.summary,
            self_assessment=report.self_assessment,
            results=report.results,
            member_evaluations=report.member_evaluations,
            members_left=report.members_left,
            submitted_at=submitted_at,
        )
    )
    await session.flush()
    await events.report_submitted(session, report)


def is_late(phase: Phase, at: datetime, due_days: int) -> bool:
    return phase.closed_at is not None and at > phase.closed_at + timedelta(days=due_days)


def _ensure_closed(phase: Phase) -> None:
    if phase.status == PhaseStatus.PENDING:
        raise Conflict(
            f"Phase {phase.number} has not closed yet; its report is submitted after it closes "
            "(a draft may be saved before).",
            field="phase_number",
        )


def ensure_not_cancelled(campaign: Campaign) -> None:
    if campaign.cancelled_at is not None:
        raise Conflict(
            f"Campaign {campaign.id} was cancelled; its reports are frozen.", field="campaign_id"
        )


async def ensure_campaign_open(session: AsyncSession, campaign_id: UUID) -> None:
    campaign = (
        await session.execute(select(Campaign).where(Campaign.id == campaign_id))
    ).scalar_one()
    ensure_not_cancelled(campaign)


async def approved_registration(
    session: AsyncSession, campaign_id: UUID, unit_code: str
) -> Registration:
    registration = (
        await session.execute(
            select(Registration).where(
                Registration.campaign_id == campaign_id, Registration.unit_code == unit_code
            )
        )
    ).scalar_one_or_none()
    if registration is None:
        raise Conflict(
            f"Unit {unit_code} has no approved registration (đăng ký thi đua) for this campaign; "
            "a unit reports against what it registered.",
            field="unit_code",
        )
    return registration


async def lock_phase(
    session: AsyncSession, campaign_id: UUID, number: int, *, shared: bool = False
) -> Phase | None:
    """The phase, locked until the transaction ends.

    What changes the phase or may complete its review (an approval's last step, closing,
    reopening) takes the exclusive lock: whoever holds it sees the others' committed changes.
    Writing a unit's own report takes the shared one, so that the units' reports go in side by
    side while the phase cannot change under them.
    """
    query = (
        select(Phase)
        .where(Phase.campaign_id == campaign_id, Phase.number == number)
        .with_for_update(read=shared)
        # What another transaction committed while we waited for the lock wins over a copy
        # this session loaded before.
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def get_report(
    session: AsyncSession, report_id: UUID, principal: Principal, *, lock: bool = False
) -> Report:
    """The report if the caller may see it; another unit's reads exactly as a missing one."""
    query = select(Report).where(Report.id == report_id)
    if lock:
        query = query.with_for_update()
    report = (await session.execute(query)).scalar_one_or_none()
    if report is None or not principal.may_act_for(report.unit_code):
        raise NotFound(f"No report {report_id}.", field="report_id")
    return report


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
