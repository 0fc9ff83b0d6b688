"""The campaign as every stage after compiling needs it: launched and not cancelled."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from awards.read_model.models import Campaign
from thidua_shared.platform.errors import Conflict, NotFound


async def launched_campaign(
    session: AsyncSession, campaign_id: UUID, *, lock: bool = False
) -> Campaign:
    campaign = await session.get(Campaign, campaign_id, with_for_update=lock)
    if campaign is None or campaign.launched_at is None:
        raise NotFound(f"No launched campaign {campaign_id}.", field="campaign_id")
    if campaign.cancelled_at is not None:
        raise Conflict(f"Campaign {campaign_id} was cancelled.", field="campaign_id")
    return campaign
