from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards.council import service
from awards.council.documents import meeting_minutes
from awards.council.schemas import Agenda, SessionCreate, SessionRead, VotesCreate
from awards.read_model.models import Campaign
from thidua_shared.documents import (
    DOCX_MEDIA_TYPE,
    PDF_MEDIA_TYPE,
    AdministrativeDocument,
    render_docx,
    render_pdf,
)
from thidua_shared.platform.auth import READERS, Role, allow
from thidua_shared.platform.downloads import file_response
from thidua_shared.platform.http import IdempotentPosts, SessionDep

router = APIRouter(prefix="/council", tags=["council"], route_class=IdempotentPosts)

COUNCIL_AGENCY = "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"
CampaignQuery = Annotated[UUID, Query(description="The campaign (phong trào thi đua).")]


@router.get(
    "/agenda",
    summary="Nominations before the council (compiled nominations and cluster leaders)",
    dependencies=[allow(*READERS)],
)
async def get_agenda(campaign_id: CampaignQuery, session: SessionDep) -> Agenda:
    return await service.agenda(session, campaign_id)


@router.post(
    "/sessions",
    status_code=201,
    summary="Open a council session (phiên họp hội đồng) with its members and attendance",
    dependencies=[allow(Role.OFFICE)],
)
async def create_session(
    body: SessionCreate, session: SessionDep, response: Response
) -> SessionRead:
    created = await service.open_meeting(session, body)
    response.headers["Location"] = f"/awards/council/sessions/{created.id}"
    return SessionRead.model_validate(created)


@router.get("/sessions", summary="Council sessions of a campaign", dependencies=[allow(*READERS)])
async def list_sessions(campaign_id: CampaignQuery, session: SessionDep) -> list[SessionRead]:
    meetings = await service.list_meetings(session, campaign_id)
    return [SessionRead.model_validate(m) for m in meetings]


@router.get(
    "/sessions/{session_id}",
    summary="A council session, its members and votes",
    dependencies=[allow(*READERS)],
)
async def get_session(session_id: UUID, session: SessionDep) -> SessionRead:
    return SessionRead.model_validate(await service.get_meeting(session, session_id))


@router.post(
    "/sessions/{session_id}/votes",
    summary="Record the council's votes per nomination (biểu quyết)",
    dependencies=[allow(Role.OFFICE, Role.COUNCIL_MEMBER)],
)
async def record_votes(session_id: UUID, body: VotesCreate, session: SessionDep) -> SessionRead:
    return SessionRead.model_validate(await service.record_votes(session, session_id, body))


AgencyQuery = Annotated[
    str, Query(max_length=200, description="Who the minutes are of, under the campaign's agency.")
]


async def _minutes(session: SessionDep, session_id: UUID, agency: str) -> AdministrativeDocument:
    meeting = await service.get_meeting(session, session_id)
    campaign = await session.get(Campaign, meeting.campaign_id)
    number = await service.meeting_number(session, meeting)
    return meeting_minutes(meeting, agency, campaign, number)


@router.get(
    "/sessions/{session_id}/minutes.pdf",
    summary="Biên bản họp hội đồng (PDF)",
    dependencies=[allow(*READERS)],
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
async def session_minutes_pdf(
    session_id: UUID, session: SessionDep, agency: AgencyQuery = COUNCIL_AGENCY
) -> Response:
    document = await _minutes(session, session_id, agency)
    return await file_response(
        partial(render_pdf, document), PDF_MEDIA_TYPE, f"bien-ban-hop-{session_id}.pdf"
    )


@router.get(
    "/sessions/{session_id}/minutes.docx",
    summary="Biên bản họp hội đồng (DOCX)",
    dependencies=[allow(*READERS)],
    response_class=Response,
    responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}},
)
async def session_minutes_docx(
    session_id: UUID, session: SessionDep, agency: AgencyQuery = COUNCIL_AGENCY
) -> Response:
    document = await _minutes(session, session_id, agency)
    return await file_response(
        partial(render_docx, document), DOCX_MEDIA_TYPE, f"bien-ban-hop-{session_id}.docx"
    )
