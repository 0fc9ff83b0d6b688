from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from pledges import deadlines, progress
from pledges.schemas import CampaignProgress, Code, ExtensionGrant, ExtensionRead
from thidua_shared.platform.auth import READERS, Principal, Role, allow
from thidua_shared.platform.conditional import IfMatchSent, require_any_state
from thidua_shared.platform.http import SessionDep

router = APIRouter(prefix="/campaigns", tags=["campaigns"])

# The office alone grants more time; the readers follow how a campaign is going.
Granter = Annotated[Principal, allow(Role.OFFICE)]
Reader = Annotated[Principal, allow(*READERS)]


@router.put(
    "/{campaign_id}/extensions/{unit_code}",
    summary="Extend a unit's registration deadline (gia hạn đăng ký thi đua)",
)
async def grant_extension(
    principal: Granter,
    campaign_id: UUID,
    unit_code: Annotated[Code, Path(description="The participating unit given more time.")],
    body: ExtensionGrant,
    session: SessionDep,
    if_match: IfMatchSent,
) -> ExtensionRead:
    require_any_state(if_match)
    extension = await deadlines.grant_extension(session, campaign_id, unit_code, body, principal)
    return ExtensionRead.model_validate(extension)


@router.get(
    "/{campaign_id}/progress",
    summary="Registrations and covenants of a campaign, unit by unit (tiến độ)",
)
async def campaign_progress(
    principal: Reader, campaign_id: UUID, session: SessionDep
) -> CampaignProgress:
    return await progress.campaign_progress(session, campaign_id)
