from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from awards.exemplars import service
from awards.exemplars.schemas import ExemplarCreate, ExemplarList, ExemplarRead
from thidua_shared.platform.auth import PUBLIC, Role, allow
from thidua_shared.platform.http import IdempotentPosts, SessionDep

router = APIRouter(prefix="/exemplars", tags=["exemplars"], route_class=IdempotentPosts)
public_router = APIRouter(prefix="/public/exemplars", tags=["public"])


@router.post(
    "",
    status_code=201,
    summary="Publish an exemplar (điển hình tiên tiến) with its story",
    dependencies=[allow(Role.OFFICE)],
)
async def publish_exemplar(
    body: ExemplarCreate, session: SessionDep, response: Response
) -> ExemplarRead:
    exemplar = await service.publish(session, body)
    response.headers["Location"] = f"/awards/public/exemplars?campaign_id={exemplar.campaign_id}"
    return ExemplarRead.model_validate(exemplar)


@public_router.get("", summary="Exemplars of a campaign", dependencies=[PUBLIC])
async def list_public_exemplars(
    campaign_id: Annotated[UUID, Query(description="The campaign (phong trào thi đua).")],
    session: SessionDep,
) -> ExemplarList:
    found = await service.list_exemplars(session, campaign_id)
    return ExemplarList(
        campaign_id=campaign_id, items=[ExemplarRead.model_validate(e) for e in found]
    )
