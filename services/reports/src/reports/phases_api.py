from functools import partial
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Path, Response

from reports import progress, review
from reports.api import DueDays
from reports.consolidated import consolidated_report
from reports.consolidated_xlsx import consolidated_xlsx
from reports.overview_schemas import CampaignProgress, ConsolidatedReport
from reports.schemas import PhaseRead, PhaseReopening, ReviewClosure
from thidua_shared.contracts.vocabulary import ReportKind
from thidua_shared.documents import XLSX_MEDIA_TYPE
from thidua_shared.platform.auth import READERS, Principal, Role, allow
from thidua_shared.platform.downloads import file_response
from thidua_shared.platform.http import IdempotentPosts, SessionDep

router = APIRouter(prefix="/campaigns", tags=["phases"], route_class=IdempotentPosts)

# The office alone closes and reopens reviews; the council and the other readers follow.
Reviewer = Annotated[Principal, allow(Role.OFFICE)]
Reader = Annotated[Principal, allow(*READERS)]
PhaseNumber = Annotated[int, Path(ge=1, le=24, description="The phase (đợt).")]
_XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}
}


@router.get("/{campaign_id}/phases", summary="The campaign's phases and their review (các đợt)")
async def list_phases(principal: Reader, campaign_id: UUID, session: SessionDep) -> list[PhaseRead]:
    campaign = await progress.known_campaign(session, campaign_id)
    return [PhaseRead.model_validate(phase) for phase in campaign.phases]


@router.get(
    "/{campaign_id}/progress",
    summary="Reports missing, late, submitted, returned, approved per phase (tiến độ báo cáo)",
)
async def campaign_progress(
    principal: Reader, campaign_id: UUID, session: SessionDep, due_days: DueDays
) -> CampaignProgress:
    return await progress.campaign_progress(session, campaign_id, due_days)


async def _xlsx(report: ConsolidatedReport) -> Response:
    review_name = "tong-ket" if report.kind == ReportKind.FINAL else "so-ket"
    name = f"bao-cao-{review_name}-dot-{report.phase_number}.xlsx"
    return await file_response(partial(consolidated_xlsx, report), XLSX_MEDIA_TYPE, name)


@router.get(
    "/{campaign_id}/phases/{phase_number}/consolidated",
    summary="Consolidated phase report for the council (báo cáo sơ kết / tổng kết)",
    description="JSON, or XLSX when the Accept header asks for "
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.",
    response_model=ConsolidatedReport,
    responses=_XLSX_RESPONSE,
)
async def consolidated(
    principal: Reader,
    campaign_id: UUID,
    phase_number: PhaseNumber,
    session: SessionDep,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> ConsolidatedReport | Response:
    report = await consolidated_report(session, campaign_id, phase_number)
    if accept is not None and XLSX_MEDIA_TYPE in accept:
        return await _xlsx(report)
    return report


@router.get(
    "/{campaign_id}/phases/{phase_number}/consolidated.xlsx",
    summary="Consolidated phase report as a workbook (báo cáo sơ kết / tổng kết, XLSX)",
    response_class=Response,
    responses=_XLSX_RESPONSE,
)
async def consolidated_workbook(
    principal: Reader, campaign_id: UUID, phase_number: PhaseNumber, session: SessionDep
) -> Response:
    return await _xlsx(await consolidated_report(session, campaign_id, phase_number))


@router.post(
    "/{campaign_id}/phases/{phase_number}/close-review",
    summary="Close a phase's review with units missing (kết thúc xét khi còn thiếu báo cáo)",
    description="Records who closed it and why, per missing unit, and publishes phase.reviewed "
    "with the gaps.",
)
async def close_review(
    principal: Reviewer,
    campaign_id: UUID,
    phase_number: PhaseNumber,
    body: ReviewClosure,
    session: SessionDep,
) -> PhaseRead:
    phase = await review.close_review(session, campaign_id, phase_number, body, principal)
    return PhaseRead.model_validate(phase)


@router.post(
    "/{campaign_id}/phases/{phase_number}/reopen",
    summary="Reopen a reviewed phase for a correction (mở lại đợt để điều chỉnh)",
    description="The named units' approved reports are returned with the reason; once they are "
    "approved again phase.reviewed is published with the next review_round.",
)
async def reopen_phase(
    principal: Reviewer,
    campaign_id: UUID,
    phase_number: PhaseNumber,
    body: PhaseReopening,
    session: SessionDep,
) -> PhaseRead:
    phase = await review.reopen_phase(session, campaign_id, phase_number, body, principal)
    return PhaseRead.model_validate(phase)
