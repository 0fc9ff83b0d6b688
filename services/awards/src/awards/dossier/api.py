"""The dossier API: draft a dossier to a higher authority, send it, record its return for more
documents and the authority's decision (JSON or workbook), and download its documents."""

from datetime import date
from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from awards.dossier import service
from awards.dossier.contents import dossier_contents
from awards.dossier.decision_import import MAX_BYTES, decision_template, parse_decision
from awards.dossier.documents import DOCUMENT_NAMES, dossier_archive, render_part
from awards.dossier.schemas import (
    DossierCreate,
    DossierList,
    DossierRead,
    DossierReturned,
    DossierSent,
    DossierSummary,
    HigherDecisionCreate,
)
from thidua_shared.documents import XLSX_MEDIA_TYPE, file_kind, file_request_body
from thidua_shared.platform.auth import Role, allow
from thidua_shared.platform.downloads import file_response
from thidua_shared.platform.errors import NotFound
from thidua_shared.platform.http import IdempotentPosts, SessionDep, read_upload

router = APIRouter(prefix="/dossiers", tags=["dossiers"], route_class=IdempotentPosts)

Signers = [allow(Role.OFFICE, Role.DECISION_SIGNER)]
# The signer signs the tờ trình and records what the higher level did with it, so reads the
# dossier and its documents; the observer reads them too, and changes nothing.
Readers = [allow(Role.OFFICE, Role.DECISION_SIGNER, Role.OBSERVER)]
ZIP_MEDIA_TYPE = "application/zip"


@router.post(
    "",
    status_code=201,
    summary="Draft a dossier (hồ sơ đề nghị) to a higher authority from a disclosed list",
    description="Takes the disclosed nominations whose titles the authority decides under the "
    "campaign's rule set (dossier/authority/*.yaml), those the agency does not decide itself.",
    dependencies=Signers,
)
async def draft_dossier(
    body: DossierCreate, session: SessionDep, response: Response
) -> DossierRead:
    dossier = await service.draft(session, body)
    response.headers["Location"] = f"/awards/dossiers/{dossier.id}"
    return DossierRead.model_validate(dossier)


@router.get("", summary="A campaign's dossiers", dependencies=Readers)
async def list_dossiers(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> DossierList:
    found = await service.list_dossiers(session, campaign_id)
    return DossierList(
        campaign_id=campaign_id, items=[DossierSummary.model_validate(d) for d in found]
    )


@router.get("/{dossier_id}", summary="A dossier and where it stands", dependencies=Readers)
async def get_dossier(dossier_id: UUID, session: SessionDep) -> DossierRead:
    return DossierRead.model_validate(await service.get_dossier(session, dossier_id))


@router.post("/{dossier_id}/sent", summary="Record the dossier as sent", dependencies=Signers)
async def send_dossier(dossier_id: UUID, body: DossierSent, session: SessionDep) -> DossierRead:
    return DossierRead.model_validate(await service.send(session, dossier_id, body))


@router.post(
    "/{dossier_id}/returns",
    summary="Record the dossier returned for more documents (trả lại, bổ sung hồ sơ)",
    dependencies=Signers,
)
async def return_dossier(
    dossier_id: UUID, body: DossierReturned, session: SessionDep
) -> DossierRead:
    return DossierRead.model_validate(await service.return_for_documents(session, dossier_id, body))


@router.post(
    "/{dossier_id}/decision",
    summary="Record the higher authority's decision on the dossier",
    description="Granted awards go into the award history and are announced as award.decided "
    "with the authority and the fund that pays; each bonus is the multiplier × the base salary "
    "in force on the decision's date.",
    dependencies=Signers,
)
async def record_decision(
    dossier_id: UUID, body: HigherDecisionCreate, session: SessionDep
) -> DossierRead:
    return DossierRead.model_validate(await service.record_decision(session, dossier_id, body))


@router.get(
    "/{dossier_id}/decision-template.xlsx",
    summary="The workbook to record the higher decision in, one row per proposal",
    dependencies=Signers,
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}},
)
async def decision_workbook(dossier_id: UUID, session: SessionDep) -> Response:
    dossier = await service.get_dossier(session, dossier_id)
    return await file_response(
        partial(decision_template, dossier), XLSX_MEDIA_TYPE, f"ket-qua-{dossier.id}.xlsx"
    )


@router.post(
    "/{dossier_id}/decision/import",
    summary="Record the higher authority's decision from its workbook (XLSX or CSV)",
    description="Rows: Đối tượng, Mã, Danh hiệu, Kết quả (Khen thưởng / Không khen thưởng), "
    "Lý do, as the decision template has them. All or nothing: a bad row answers 422 naming it.",
    dependencies=Signers,
    openapi_extra=file_request_body(
        "The decision template filled in: Kết quả for every proposal, Lý do for a refusal."
    ),
)
async def import_decision(
    dossier_id: UUID,
    request: Request,
    session: SessionDep,
    number: Annotated[str, Query(min_length=1, max_length=50, description="Số quyết định.")],
    decided_on: Annotated[date, Query(description="Ngày ký; the base salary of this day.")],
    signer_title: Annotated[str, Query(min_length=1, max_length=200)],
    signer_name: Annotated[str, Query(min_length=1, max_length=200)],
) -> DossierRead:
    body = await read_upload(request, MAX_BYTES)
    kind = file_kind(request.headers.get("content-type"), body)
    decision = await run_in_threadpool(
        parse_decision,
        body,
        kind,
        {
            "number": number,
            "decided_on": decided_on.isoformat(),
            "signer_title": signer_title,
            "signer_name": signer_name,
        },
    )
    return DossierRead.model_validate(await service.record_decision(session, dossier_id, decision))


@router.get(
    "/{dossier_id}/dossier.zip",
    summary="The whole dossier: tờ trình, lists, minutes, reports, initiatives (PDF and DOCX)",
    dependencies=Readers,
    response_class=Response,
    responses={200: {"content": {ZIP_MEDIA_TYPE: {}}}},
)
async def dossier_zip(dossier_id: UUID, session: SessionDep) -> Response:
    contents = await dossier_contents(session, dossier_id)
    return await file_response(
        partial(dossier_archive, contents), ZIP_MEDIA_TYPE, f"ho-so-{dossier_id}.zip"
    )


@router.get(
    "/{dossier_id}/documents/{name}",
    summary="One document of the dossier, e.g. to-trinh.pdf or danh-sach-sang-kien.docx",
    dependencies=Readers,
    response_class=Response,
)
async def dossier_document(
    dossier_id: UUID,
    name: Annotated[
        str,
        Path(
            pattern=r"^[a-z0-9-]+\.(pdf|docx)$",
            max_length=120,
            description="The document's file name, as the dossier's zip lists it.",
        ),
    ],
    session: SessionDep,
) -> Response:
    stem, _, extension = name.rpartition(".")
    contents = await dossier_contents(session, dossier_id)
    if extension not in DOCUMENT_NAMES or stem not in contents.documents():
        raise NotFound(f"The dossier has no document {name}.", field="name")
    media_type, render = render_part(contents, stem, extension)
    return await file_response(render, media_type, name)
