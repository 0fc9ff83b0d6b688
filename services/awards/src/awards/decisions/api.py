from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards.decisions import service
from awards.decisions.document_inputs import revoked_award, unit_names
from awards.decisions.documents import award_list_workbook, decision_document
from awards.decisions.revocation_document import revocation_document
from awards.decisions.schemas import (
    DecisionCreate,
    DecisionList,
    DecisionRead,
    DecisionSummary,
    RevocationCreate,
)
from thidua_shared.documents import (
    DOCX_MEDIA_TYPE,
    PDF_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    render_docx,
    render_pdf,
)
from thidua_shared.platform.auth import PUBLIC, Role, allow
from thidua_shared.platform.downloads import file_response
from thidua_shared.platform.http import IdempotentPosts, SessionDep

router = APIRouter(prefix="/decisions", tags=["decisions"], route_class=IdempotentPosts)
public_router = APIRouter(prefix="/public/decisions", tags=["public"])

Signers = [allow(Role.OFFICE, Role.DECISION_SIGNER)]


@router.post(
    "",
    status_code=201,
    summary="Issue a commendation decision (quyết định khen thưởng) on a disclosed list",
    dependencies=Signers,
)
async def issue_decision(
    body: DecisionCreate, session: SessionDep, response: Response
) -> DecisionRead:
    decision = await service.issue(session, body)
    response.headers["Location"] = f"/awards/public/decisions/{decision.id}"
    return DecisionRead.model_validate(decision)


@router.post(
    "/{decision_id}/revocations",
    summary="Revoke an award of a decision, with the reason (hủy bỏ quyết định khen thưởng)",
    dependencies=Signers,
)
async def revoke_award(
    decision_id: UUID, body: RevocationCreate, session: SessionDep
) -> DecisionRead:
    return DecisionRead.model_validate(await service.revoke(session, decision_id, body))


@public_router.get("", summary="Decisions of a campaign", dependencies=[PUBLIC])
async def list_public_decisions(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> DecisionList:
    found = await service.list_decisions(session, campaign_id)
    return DecisionList(
        campaign_id=campaign_id, items=[DecisionSummary.model_validate(d) for d in found]
    )


@public_router.get("/{decision_id}", summary="A decision and its awards", dependencies=[PUBLIC])
async def get_public_decision(decision_id: UUID, session: SessionDep) -> DecisionRead:
    return DecisionRead.model_validate(await service.get_decision(session, decision_id))


@public_router.get(
    "/{decision_id}/decision.pdf",
    summary="The decision (PDF)",
    dependencies=[PUBLIC],
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
async def decision_pdf(decision_id: UUID, session: SessionDep) -> Response:
    decision = await service.get_decision(session, decision_id)
    units = await unit_names(session, decision.campaign_id)
    return await file_response(
        partial(render_pdf, decision_document(decision, units)),
        PDF_MEDIA_TYPE,
        f"quyet-dinh-{decision.id}.pdf",
    )


@public_router.get(
    "/{decision_id}/decision.docx",
    summary="The decision (DOCX)",
    dependencies=[PUBLIC],
    response_class=Response,
    responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}},
)
async def decision_docx(decision_id: UUID, session: SessionDep) -> Response:
    decision = await service.get_decision(session, decision_id)
    units = await unit_names(session, decision.campaign_id)
    return await file_response(
        partial(render_docx, decision_document(decision, units)),
        DOCX_MEDIA_TYPE,
        f"quyet-dinh-{decision.id}.docx",
    )


@public_router.get(
    "/{decision_id}/awards.xlsx",
    summary="The decision's award list (XLSX)",
    dependencies=[PUBLIC],
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}},
)
async def award_list_xlsx(decision_id: UUID, session: SessionDep) -> Response:
    decision = await service.get_decision(session, decision_id)
    return await file_response(
        partial(award_list_workbook, decision),
        XLSX_MEDIA_TYPE,
        f"danh-sach-khen-thuong-{decision.id}.xlsx",
    )


@public_router.get(
    "/{decision_id}/revocations/{award_id}/decision.pdf",
    summary="The decision revoking an award, with the bonus to recover (PDF)",
    dependencies=[PUBLIC],
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
async def revocation_pdf(decision_id: UUID, award_id: UUID, session: SessionDep) -> Response:
    decision, award, campaign = await revoked_award(session, decision_id, award_id)
    units = await unit_names(session, decision.campaign_id)
    return await file_response(
        partial(render_pdf, revocation_document(decision, award, campaign, units)),
        PDF_MEDIA_TYPE,
        f"quyet-dinh-huy-bo-{award.id}.pdf",
    )


@public_router.get(
    "/{decision_id}/revocations/{award_id}/decision.docx",
    summary="The decision revoking an award, with the bonus to recover (DOCX)",
    dependencies=[PUBLIC],
    response_class=Response,
    responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}},
)
async def revocation_docx(decision_id: UUID, award_id: UUID, session: SessionDep) -> Response:
    decision, award, campaign = await revoked_award(session, decision_id, award_id)
    units = await unit_names(session, decision.campaign_id)
    return await file_response(
        partial(render_docx, revocation_document(decision, award, campaign, units)),
        DOCX_MEDIA_TYPE,
        f"quyet-dinh-huy-bo-{award.id}.docx",
    )
