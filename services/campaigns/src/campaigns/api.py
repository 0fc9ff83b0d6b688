from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from campaigns import service
from campaigns.models import Campaign
from campaigns.schemas import CampaignCreate, CampaignPage, CampaignRead, CampaignUpdate, PhaseClose
from thidua_shared.platform.auth import ANY_ROLE, Role, allow
from thidua_shared.platform.http import (
    ExpectedVersion,
    IdempotencyDep,
    RequiredVersion,
    SessionDep,
    etag,
)

router = APIRouter(prefix="/campaigns", tags=["campaigns"])

PhaseNumber = Annotated[int, Path(ge=1, le=24)]
# The office (thường trực hội đồng) manages campaigns; every role may read them.
OFFICE = [allow(Role.OFFICE)]
READERS = [allow(*ANY_ROLE)]


def _read(campaign: Campaign, response: Response) -> CampaignRead:
    response.headers["ETag"] = etag(campaign.version)
    return CampaignRead.model_validate(campaign)


@router.post(
    "", status_code=201, summary="Create a draft campaign (phong trào thi đua)", dependencies=OFFICE
)
async def create_campaign(
    body: CampaignCreate, session: SessionDep, idempotency: IdempotencyDep, response: Response
) -> CampaignRead:
    campaign = await service.create_campaign(session, body)
    response.headers["Location"] = f"/campaigns/campaigns/{campaign.id}"
    read: CampaignRead = await idempotency.remember(_read(campaign, response))
    return read


@router.get("", summary="List campaigns", dependencies=READERS)
async def list_campaigns(
    session: SessionDep,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    status: Literal["draft", "launched", "closed", "cancelled"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CampaignPage:
    items, total = await service.list_campaigns(
        session, year=year, status=status, limit=limit, offset=offset
    )
    return CampaignPage(
        items=[CampaignRead.model_validate(c) for c in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/{campaign_id}", summary="Read a campaign", dependencies=READERS)
async def get_campaign(campaign_id: UUID, session: SessionDep, response: Response) -> CampaignRead:
    return _read(await service.get_campaign(session, campaign_id), response)


@router.patch(
    "/{campaign_id}", summary="Edit a draft campaign (If-Match required)", dependencies=OFFICE
)
async def update_campaign(
    campaign_id: UUID,
    body: CampaignUpdate,
    session: SessionDep,
    version: RequiredVersion,
    response: Response,
) -> CampaignRead:
    return _read(await service.update_campaign(session, campaign_id, body, version), response)


@router.post(
    "/{campaign_id}/launch", summary="Launch: freeze the plan and announce it", dependencies=OFFICE
)
async def launch_campaign(
    campaign_id: UUID, session: SessionDep, version: ExpectedVersion, response: Response
) -> CampaignRead:
    return _read(await service.launch(session, campaign_id, version), response)


@router.post(
    "/{campaign_id}/phases/{phase_number}/open", summary="Open a phase (đợt)", dependencies=OFFICE
)
async def open_phase(
    campaign_id: UUID,
    phase_number: PhaseNumber,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> CampaignRead:
    return _read(await service.open_phase(session, campaign_id, phase_number, version), response)


@router.post(
    "/{campaign_id}/phases/{phase_number}/close",
    summary="Close a phase; early closing needs a reason",
    dependencies=OFFICE,
)
async def close_phase(
    campaign_id: UUID,
    phase_number: PhaseNumber,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
    body: PhaseClose | None = None,
) -> CampaignRead:
    reason = body.reason if body else None
    return _read(
        await service.close_phase(session, campaign_id, phase_number, reason, version), response
    )
