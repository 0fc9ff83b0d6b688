from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards import decisions
from awards.decisions_documents import award_list_workbook, decision_document
from awards.decisions_schemas import (
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
from thidua_shared.platform.http import IdempotencyDep, SessionDep

router = APIRouter(prefix="/decisions", tags=["decisions"])
public_router = APIRouter(prefix="/public/decisions", tags=["public"])

Signers = [allow(Role.OFFICE, Role.DECISION_SIGNER)]


@router.post(
    "",
    status_code=201,
    summary="Issue a commendation decision (quyết định khen thưởng) on a disclosed list",
    dependencies=Signers,
)
async def issue_decision(
    body: DecisionCreate, session: SessionDep, idempotency: IdempotencyDep, response: Response
) -> DecisionRead:
    decision = await decisions.issue(session, body)
    response.headers["Location"] = f"/awards/public/decisions/{decision.id}"
    read: DecisionRead = await idempotency.remember(DecisionRead.model_validate(decision))
    return read


@router.post(
    "/{decision_id}/revocations",
    summary="Revoke an award of a decision, with the reason (hủy bỏ quyết định khen thưởng)",
    dependencies=Signers,
)
async def revoke_award(
    decision_id: UUID, body: RevocationCreate, session: SessionDep
) -> DecisionRead:
    return DecisionRead.model_validate(await decisions.revoke(session, decision_id, body))


@public_router.get("", summary="Decisions of a campaign", dependencies=[PUBLIC])
async def list_public_decisions(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> DecisionList:
    found = await decisions.list_decisions(session, campaign_id)
    return DecisionList(
        campaign_id=campaign_id, items=[DecisionSummary.model_validate(d) for d in found]
    )


@public_router.get("/{decision_id}", summary="A decision and its awards", dependencies=[PUBLIC])
async def get_public_decision(decision_id: UUID, session: SessionDep) -> DecisionRead:
    return DecisionRead.model_validate(await decisions.get_decision(session, decision_id))


@public_router.get(
    "/{decision_id}/decision.pdf",
    summary="The decision (PDF)",
    dependencies=[PUBLIC],
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
async def decision_pdf(decision_id: UUID, session: SessionDep) -> Response:
    decision = await decisions.get_decision(session, decision_id)
    return await file_response(
        partial(render_pdf, decision_document(decision)),
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
    decision = await decisions.get_decision(session, decision_id)
    return await file_response(
        partial(render_docx, decision_document(decision)),
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
    decision = await decisions.get_decision(session, decision_id)
    return await file_response(
        partial(award_list_workbook, decision),
        XLSX_MEDIA_TYPE,
        f"danh-sach-khen-thuong-{decision.id}.xlsx",
    )
