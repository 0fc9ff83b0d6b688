from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from pledges import covenant_document, covenants
from pledges.covenants import CovenantView
from pledges.schemas import CovenantCreate, CovenantRead, SignatureCreate, SignatureRead
from thidua_shared.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, render_docx, render_pdf
from thidua_shared.platform.auth import READERS, Principal, Role, allow
from thidua_shared.platform.downloads import file_response
from thidua_shared.platform.http import IdempotentPosts, SessionDep, etag

router = APIRouter(prefix="/covenants", tags=["covenants"], route_class=IdempotentPosts)

# The office writes covenants. Unit heads sign for their own unit (the service checks which)
# and, like the office, may sign; unit heads read their own cluster's covenants, readers all.
Creator = Annotated[Principal, allow(Role.OFFICE)]
Reader = Annotated[Principal, allow(Role.UNIT_HEAD, *READERS)]
Signer = Annotated[Principal, allow(Role.UNIT_HEAD, Role.OFFICE)]


def _read(view: CovenantView, response: Response) -> CovenantRead:
    response.headers["ETag"] = etag(view.covenant.version)
    return _covenant_read(view)


def _covenant_read(view: CovenantView) -> CovenantRead:
    covenant = view.covenant
    return CovenantRead(
        id=covenant.id,
        campaign_id=covenant.campaign_id,
        cluster=covenant.cluster,
        items=covenant.items,
        document_number=covenant.document_number,
        place=covenant.place,
        status=covenant.status,
        in_force_at=covenant.in_force_at,
        member_units=view.member_units,
        signatures=[SignatureRead.model_validate(s) for s in covenant.signatures],
        version=covenant.version,
    )


@router.post("", status_code=201, summary="Create a cluster's covenant (giao ước thi đua)")
async def create_covenant(
    principal: Creator,
    body: CovenantCreate,
    session: SessionDep,
    response: Response,
) -> CovenantRead:
    view = await covenants.create_covenant(session, body)
    response.headers["Location"] = f"/pledges/covenants/{view.covenant.id}"
    return _read(view, response)


@router.get("", summary="A campaign's covenants: a unit head sees its own cluster's")
async def list_covenants(
    principal: Reader,
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> list[CovenantRead]:
    views = await covenants.list_covenants(session, campaign_id, principal)
    return [_covenant_read(view) for view in views]


@router.get("/{covenant_id}", summary="Read a covenant and its signatures")
async def get_covenant(
    principal: Reader, covenant_id: UUID, session: SessionDep, response: Response
) -> CovenantRead:
    return _read(await covenants.get_covenant(session, covenant_id, principal), response)


@router.post(
    "/{covenant_id}/signatures", status_code=201, summary="Sign a covenant for a member unit"
)
async def sign_covenant(
    principal: Signer,
    covenant_id: UUID,
    body: SignatureCreate,
    session: SessionDep,
    response: Response,
) -> CovenantRead:
    return _read(await covenants.sign(session, covenant_id, body, principal), response)


@router.get(
    "/{covenant_id}/document.pdf",
    summary="The covenant document (văn bản giao ước thi đua), PDF",
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
async def covenant_pdf(principal: Reader, covenant_id: UUID, session: SessionDep) -> Response:
    document = await covenant_document.covenant_document(session, covenant_id, principal)
    return await file_response(
        partial(render_pdf, document),
        PDF_MEDIA_TYPE,
        f"giao-uoc-thi-dua-{covenant_id}.pdf",
        inline=True,
    )


@router.get(
    "/{covenant_id}/document.docx",
    summary="The covenant document (văn bản giao ước thi đua), DOCX",
    response_class=Response,
    responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}},
)
async def covenant_docx(principal: Reader, covenant_id: UUID, session: SessionDep) -> Response:
    document = await covenant_document.covenant_document(session, covenant_id, principal)
    return await file_response(
        partial(render_docx, document), DOCX_MEDIA_TYPE, f"giao-uoc-thi-dua-{covenant_id}.docx"
    )
