"""What the pledges service consumes: the campaigns and the unit directory, copied into its
read model."""

from sqlalchemy.ext.asyncio import AsyncSession

from pledges.read_model import campaigns, directory
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignCancelled,
    CampaignClosed,
    CampaignLaunched,
    PhaseClosed,
)
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.platform.consumer import HandlerSpec


async def campaign_closed(session: AsyncSession, payload: CampaignClosed) -> None:
    await campaigns.record_closed(session, payload.campaign_id, payload.closed_at)


async def campaign_cancelled(session: AsyncSession, payload: CampaignCancelled) -> None:
    await campaigns.record_cancelled(
        session, payload.campaign_id, payload.reason, payload.cancelled_at
    )


async def phase_closed(session: AsyncSession, payload: PhaseClosed) -> None:
    # Registrations freeze as soon as the last phase closes, whichever of this event and
    # campaign.closed arrives first.
    if payload.is_last:
        await campaigns.record_closed(session, payload.campaign_id, payload.closed_at)


HANDLERS: dict[str, HandlerSpec] = {
    CampaignLaunched.event_type: HandlerSpec.of_payload(
        CampaignLaunched, campaigns.record_launched
    ),
    CampaignAmended.event_type: HandlerSpec.of_payload(CampaignAmended, campaigns.record_amended),
    PhaseClosed.event_type: HandlerSpec.of_payload(PhaseClosed, phase_closed),
    CampaignClosed.event_type: HandlerSpec.of_payload(CampaignClosed, campaign_closed),
    CampaignCancelled.event_type: HandlerSpec.of_payload(CampaignCancelled, campaign_cancelled),
    UnitChanged.event_type: HandlerSpec.of_payload(UnitChanged, directory.record_unit),
    ClusterChanged.event_type: HandlerSpec.of_payload(ClusterChanged, directory.record_cluster),
}
