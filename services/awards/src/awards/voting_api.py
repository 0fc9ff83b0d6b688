from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards import voting_service
from awards.models import Campaign
from awards.voting_schemas import ClusterVoteCreate, ClusterVoteRead
from thidua_shared.documents import PDF_MEDIA_TYPE, render_pdf
from thidua_shared.platform.auth import READERS, Role, allow
from thidua_shared.platform.downloads import file_response
from thidua_shared.platform.http import IdempotencyDep, SessionDep

router = APIRouter(prefix="/cluster-votes", tags=["cluster votes"])


@router.post(
    "",
    status_code=201,
    summary="Record a cluster's scoring and secret ballot (bình xét, suy tôn cờ thi đua)",
    dependencies=[allow(Role.OFFICE)],
)
async def record_cluster_vote(
    body: ClusterVoteCreate, session: SessionDep, idempotency: IdempotencyDep, response: Response
) -> ClusterVoteRead:
    vote = await voting_service.record_vote(session, body)
    response.headers["Location"] = f"/awards/cluster-votes/{vote.id}"
    read: ClusterVoteRead = await idempotency.remember(voting_service.vote_read(vote))
    return read


@router.get("", summary="Cluster votes of a campaign", dependencies=[allow(*READERS)])
async def list_cluster_votes(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> list[ClusterVoteRead]:
    votes = await voting_service.list_votes(session, campaign_id)
    return [voting_service.vote_read(vote) for vote in votes]


@router.get("/{vote_id}", summary="A cluster vote and its result", dependencies=[allow(*READERS)])
async def get_cluster_vote(vote_id: UUID, session: SessionDep) -> ClusterVoteRead:
    return voting_service.vote_read(await voting_service.get_vote(session, vote_id))


@router.get(
    "/{vote_id}/minutes.pdf",
    summary="Biên bản bình xét, suy tôn (PDF)",
    dependencies=[allow(*READERS)],
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
async def cluster_vote_minutes(vote_id: UUID, session: SessionDep) -> Response:
    vote = await voting_service.get_vote(session, vote_id)
    campaign = await session.get(Campaign, vote.campaign_id)
    document = voting_service.minutes(vote, campaign.year if campaign else None)
    return await file_response(
        partial(render_pdf, document), PDF_MEDIA_TYPE, f"bien-ban-{vote.id}.pdf"
    )
