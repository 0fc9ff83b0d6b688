from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards.read_model.models import Campaign
from awards.voting import service
from awards.voting.documents import minutes
from awards.voting.schemas import ClusterVoteCreate, ClusterVoteRead
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

router = APIRouter(prefix="/cluster-votes", tags=["cluster votes"], route_class=IdempotentPosts)


@router.post(
    "",
    status_code=201,
    summary="Record a cluster's scoring and secret ballot (bình xét, suy tôn cờ thi đua)",
    dependencies=[allow(Role.OFFICE)],
)
async def record_cluster_vote(
    body: ClusterVoteCreate, session: SessionDep, response: Response
) -> ClusterVoteRead:
    vote = await service.record_vote(session, body)
    response.headers["Location"] = f"/awards/cluster-votes/{vote.id}"
    return service.vote_read(vote)


@router.get("", summary="Cluster votes of a campaign", dependencies=[allow(*READERS)])
async def list_cluster_votes(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> list[ClusterVoteRead]:
    votes = await service.list_votes(session, campaign_id)
    return [service.vote_read(vote) for vote in votes]


@router.get("/{vote_id}", summary="A cluster vote and its result", dependencies=[allow(*READERS)])
async def get_cluster_vote(vote_id: UUID, session: SessionDep) -> ClusterVoteRead:
    return service.vote_read(await service.get_vote(session, vote_id))


async def _minutes(session: SessionDep, vote_id: UUID) -> tuple[UUID, AdministrativeDocument]:
    vote = await service.get_vote(session, vote_id)
    return vote.id, minutes(vote, await session.get(Campaign, vote.campaign_id))


@router.get(
    "/{vote_id}/minutes.pdf",
    summary="Biên bản bình xét, suy tôn (PDF)",
    dependencies=[allow(*READERS)],
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
async def cluster_vote_minutes(vote_id: UUID, session: SessionDep) -> Response:
    found, document = await _minutes(session, vote_id)
    return await file_response(
        partial(render_pdf, document), PDF_MEDIA_TYPE, f"bien-ban-{found}.pdf"
    )


@router.get(
    "/{vote_id}/minutes.docx",
    summary="Biên bản bình xét, suy tôn (DOCX)",
    dependencies=[allow(*READERS)],
    response_class=Response,
    responses={200: {"content": {DOCX_MEDIA_TYPE: {}}}},
)
async def cluster_vote_minutes_docx(vote_id: UUID, session: SessionDep) -> Response:
    found, document = await _minutes(session, vote_id)
    return await file_response(
        partial(render_docx, document), DOCX_MEDIA_TYPE, f"bien-ban-{found}.docx"
    )
