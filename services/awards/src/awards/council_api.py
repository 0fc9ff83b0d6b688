from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards import council
from awards.council_documents import session_minutes
from awards.council_schemas import Agenda, SessionCreate, SessionRead, VotesCreate
from thidua_shared.documents import PDF_MEDIA_TYPE, render_pdf
from thidua_shared.platform.auth import READERS, Role, allow
from thidua_shared.platform.downloads import file_response
from thidua_shared.platform.http import IdempotencyDep, SessionDep

router = APIRouter(prefix="/council", tags=["council"])

CampaignQuery = Annotated[UUID, Query(description="The campaign (phong trào thi đua).")]


@router.get(
    "/agenda",
    summary="Nominations before the council (compiled nominations and cluster leaders)",
    dependencies=[allow(*READERS)],
)
async def get_agenda(campaign_id: CampaignQuery, session: SessionDep) -> Agenda:
    return await council.agenda(session, campaign_id)


@router.post(
    "/sessions",
    status_code=201,
    summary="Open a council session (phiên họp hội đồng) with its members and attendance",
    dependencies=[allow(Role.OFFICE)],
)
async def create_session(
    body: SessionCreate, session: SessionDep, idempotency: IdempotencyDep, response: Response
) -> SessionRead:
    created = await council.create_session(session, body)
    response.headers["Location"] = f"/awards/council/sessions/{created.id}"
    read: SessionRead = await idempotency.remember(SessionRead.model_validate(created))
    return read


@router.get("/sessions", summary="Council sessions of a campaign", dependencies=[allow(*READERS)])
async def list_sessions(campaign_id: CampaignQuery, session: SessionDep) -> list[SessionRead]:
    sessions = await council.list_sessions(session, campaign_id)
    return [SessionRead.model_validate(s) for s in sessions]


@router.get(
    "/sessions/{session_id}",
    summary="A council session, its members and votes",
    dependencies=[allow(*READERS)],
)
async def get_session(session_id: UUID, session: SessionDep) -> SessionRead:
    return SessionRead.model_validate(await council.get_session(session, session_id))


@router.post(
    "/sessions/{session_id}/votes",
    summary="Record the council's votes per nomination (biểu quyết)",
    dependencies=[allow(Role.OFFICE, Role.COUNCIL_MEMBER)],
)
async def record_votes(session_id: UUID, body: VotesCreate, session: SessionDep) -> SessionRead:
    return SessionRead.model_validate(await council.record_votes(session, session_id, body))


@router.get(
    "/sessions/{session_id}/minutes.pdf",
    summary="Biên bản họp hội đồng (PDF)",
    dependencies=[allow(*READERS)],
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
async def session_minutes_pdf(
    session_id: UUID,
    session: SessionDep,
    agency: Annotated[
        str, Query(max_length=200, description="Cơ quan, printed at the top.")
    ] = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
) -> Response:
    council_session = await council.get_session(session, session_id)
    return await file_response(
        partial(render_pdf, session_minutes(council_session, agency)),
        PDF_MEDIA_TYPE,
        f"bien-ban-hop-{session_id}.pdf",
    )
