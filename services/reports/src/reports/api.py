from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from reports import review, service
from reports.codes import ReportStatus
from reports.config import Settings
from reports.content_schemas import ReportContent
from reports.models import Report
from reports.schemas import (
    ReportApproval,
    ReportCreate,
    ReportPage,
    ReportRead,
    ReportReopen,
    ReportReturn,
    ReportVersionRead,
    UnitCode,
)
from thidua_shared.platform.auth import READERS, Principal, Role, allow
from thidua_shared.platform.http import (
    ExpectedVersion,
    IdempotentPosts,
    RequiredVersion,
    RuntimeDep,
    SessionDep,
    etag,
)
from thidua_shared.platform.pagination import DEFAULT_PAGE, MAX_PAGE
from thidua_shared.platform.validation import MAX_OFFSET

router = APIRouter(prefix="/reports", tags=["reports"], route_class=IdempotentPosts)

# Unit heads report for their own unit (the service checks which); the office may too and
# alone reviews. Unit heads read their own unit's reports, the readers every one.
Submitter = Annotated[Principal, allow(Role.UNIT_HEAD, Role.OFFICE)]
Reader = Annotated[Principal, allow(Role.UNIT_HEAD, *READERS)]
Reviewer = Annotated[Principal, allow(Role.OFFICE)]


async def report_due_days(runtime: RuntimeDep) -> int:
    settings = runtime.settings
    return settings.report_due_days if isinstance(settings, Settings) else service.DEFAULT_DUE_DAYS


DueDays = Annotated[int, Depends(report_due_days)]


def _read(report: Report, response: Response) -> ReportRead:
    response.headers["ETag"] = etag(report.version)
    return ReportRead.model_validate(report)


@router.post(
    "",
    status_code=201,
    summary="Submit a phase report, or save a draft (nộp báo cáo sơ kết, tổng kết)",
    description="Refused (409) before the phase closes unless `draft` is set, and for a unit "
    "without an approved registration. Results refer to the unit's approved commitments by "
    "position; the % of target is computed. Member evaluations belong in the final review.",
)
async def submit_report(
    principal: Submitter,
    body: ReportCreate,
    session: SessionDep,
    due_days: DueDays,
    response: Response,
) -> ReportRead:
    report = await service.create_report(session, body, principal, due_days)
    response.headers["Location"] = f"/reports/reports/{report.id}"
    return _read(report, response)


@router.get("", summary="List phase reports (danh sách báo cáo)")
async def list_reports(
    principal: Reader,
    session: SessionDep,
    campaign_id: UUID | None = None,
    phase_number: Annotated[int | None, Query(ge=1, le=24)] = None,
    unit_code: Annotated[UnitCode | None, Query()] = None,
    status: ReportStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ReportPage:
    items, total = await service.list_reports(
        session,
        principal,
        campaign_id=campaign_id,
        phase_number=phase_number,
        unit_code=unit_code,
        status=status,
        limit=limit,
        offset=offset,
    )
    return ReportPage(
        items=[ReportRead.model_validate(r) for r in items], total=total, limit=limit, offset=offset
    )


@router.get("/{report_id}", summary="Read a phase report (xem báo cáo)")
async def get_report(
    principal: Reader, report_id: UUID, session: SessionDep, response: Response
) -> ReportRead:
    return _read(await service.get_report(session, report_id, principal), response)


@router.put(
    "/{report_id}",
    summary="Change a draft or a returned report (sửa báo cáo)",
    description="Needs If-Match. The content is checked like a submission's, except that "
    "results and evaluations may still be missing.",
)
async def update_report(
    principal: Submitter,
    report_id: UUID,
    body: ReportContent,
    session: SessionDep,
    version: RequiredVersion,
    response: Response,
) -> ReportRead:
    report = await service.update_report(session, report_id, body, version, principal)
    return _read(report, response)


@router.post("/{report_id}/submit", summary="Submit a draft (nộp bản nháp)")
async def submit_draft(
    principal: Submitter,
    report_id: UUID,
    session: SessionDep,
    version: ExpectedVersion,
    due_days: DueDays,
    response: Response,
) -> ReportRead:
    report = await service.submit_draft(session, report_id, version, principal, due_days)
    return _read(report, response)


@router.get("/{report_id}/submissions", summary="Every submission of a report (các lần nộp)")
async def list_submissions(
    principal: Reader, report_id: UUID, session: SessionDep
) -> list[ReportVersionRead]:
    kept = await service.list_submissions(session, report_id, principal)
    return [ReportVersionRead.model_validate(v) for v in kept]


@router.post(
    "/{report_id}/approve",
    summary="Approve a report (phê duyệt); the phase's last approval reviews the phase",
)
async def approve_report(
    principal: Reviewer,
    report_id: UUID,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
    data: ReportApproval | None = None,
) -> ReportRead:
    approval = data or ReportApproval()
    approved = await review.approve_report(session, report_id, version, principal, approval)
    return _read(approved, response)


@router.post(
    "/{report_id}/return",
    summary="Return a report with reasons, overall and per item (trả lại báo cáo)",
)
async def return_report(
    principal: Reviewer,
    report_id: UUID,
    body: ReportReturn,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> ReportRead:
    report = await review.return_report(session, report_id, body, version, principal)
    return _read(report, response)


@router.post(
    "/{report_id}/reopen",
    summary="Withdraw an approval given by mistake, before the phase is reviewed (mở lại)",
)
async def reopen_report(
    principal: Reviewer,
    report_id: UUID,
    body: ReportReopen,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> ReportRead:
    report = await review.reopen_report(session, report_id, body.reason, version, principal)
    return _read(report, response)


@router.post(
    "/{report_id}/resubmit",
    summary="Submit a returned report again (nộp lại)",
    description="With the corrected content, or without a body to submit it as last changed.",
)
async def resubmit_report(
    principal: Submitter,
    report_id: UUID,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
    body: ReportContent | None = None,
) -> ReportRead:
    report = await service.resubmit_report(session, report_id, body, version, principal)
    return _read(report, response)
