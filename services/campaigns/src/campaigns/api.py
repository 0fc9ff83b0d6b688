from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from campaigns import service
from campaigns.codes import CampaignStatus
from campaigns.models import Campaign
from campaigns.schemas import (
    CampaignCreate,
    CampaignPage,
    CampaignRead,
    CampaignUpdate,
    PhaseClose,
)
from thidua_shared.contracts.vocabulary import CampaignKind
from thidua_shared.platform.auth import ANY_ROLE, Role, allow
from thidua_shared.platform.http import (
    ExpectedVersion,
    IdempotentPosts,
    RequiredVersion,
    SessionDep,
    etag,
)
from thidua_shared.platform.pagination import DEFAULT_PAGE, MAX_PAGE
from thidua_shared.platform.validation import MAX_OFFSET

router = APIRouter(prefix="/campaigns", tags=["campaigns"], route_class=IdempotentPosts)

PhaseNumber = Annotated[int, Path(ge=1, le=24)]
# The office (thường trực hội đồng) manages campaigns; every role may read them.
OFFICE = [allow(Role.OFFICE)]
READERS = [allow(*ANY_ROLE)]


def read_campaign(campaign: Campaign, response: Response) -> CampaignRead:
    response.headers["ETag"] = etag(campaign.version)
    return CampaignRead.model_validate(campaign)


@router.post(
    "", status_code=201, summary="Create a draft campaign (phong trào thi đua)", dependencies=OFFICE
)
async def create_campaign(
    body: CampaignCreate, session: SessionDep, response: Response
) -> CampaignRead:
    campaign = await service.create_campaign(session, body)
    response.headers["Location"] = f"/campaigns/campaigns/{campaign.id}"
    return read_campaign(campaign, response)


@router.get(
    "",
    summary="List campaigns, filtered by year, kind, status or participating unit",
    dependencies=READERS,
)
async def list_campaigns(
    session: SessionDep,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    kind: CampaignKind | None = None,
    status: CampaignStatus | None = None,
    unit: Annotated[
        str | None, Query(max_length=50, description="A participating unit's code (đơn vị).")
    ] = None,
    document_number: Annotated[
        str | None, Query(max_length=50, description="Số, ký hiệu, e.g. 60/KH-STTTT.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> CampaignPage:
    where = service.CampaignFilter(
        year=year, kind=kind, status=status, unit_code=unit, document_number=document_number
    )
    items, total = await service.list_campaigns(session, where, limit=limit, offset=offset)
    return CampaignPage(
        items=[CampaignRead.model_validate(c) for c in items],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/{campaign_id}", summary="Read a campaign", dependencies=READERS)
async def get_campaign(campaign_id: UUID, session: SessionDep, response: Response) -> CampaignRead:
    return read_campaign(await service.get_campaign(session, campaign_id), response)


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
    return read_campaign(
        await service.update_campaign(session, campaign_id, body, version), response
    )


@router.post(
    "/{campaign_id}/launch", summary="Launch: freeze the plan and announce it", dependencies=OFFICE
)
async def launch_campaign(
    campaign_id: UUID, session: SessionDep, version: ExpectedVersion, response: Response
) -> CampaignRead:
    return read_campaign(await service.launch(session, campaign_id, version), response)


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
    return read_campaign(
        await service.open_phase(session, campaign_id, phase_number, version), response
    )


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
    return read_campaign(
        await service.close_phase(session, campaign_id, phase_number, reason, version), response
    )
