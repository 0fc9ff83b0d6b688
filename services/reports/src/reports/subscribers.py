"""The events this service consumes; each handler parses and hands over to the read model."""

from sqlalchemy.ext.asyncio import AsyncSession

from reports import read_model
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignCancelled,
    CampaignLaunched,
    PhaseClosed,
)
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.platform.consumer import HandlerSpec


async def on_campaign_launched(
    session: AsyncSession, payload: CampaignLaunched, envelope: Envelope
) -> None:
    await read_model.record_campaign_launched(session, payload)


async def on_campaign_amended(
    session: AsyncSession, payload: CampaignAmended, envelope: Envelope
) -> None:
    await read_model.record_campaign_amended(session, payload)


async def on_campaign_cancelled(
    session: AsyncSession, payload: CampaignCancelled, envelope: Envelope
) -> None:
    await read_model.record_campaign_cancelled(session, payload)


async def on_phase_closed(session: AsyncSession, payload: PhaseClosed, envelope: Envelope) -> None:
    await read_model.record_phase_closed(session, payload)


async def on_pledge_approved(
    session: AsyncSession, payload: PledgeApproved, envelope: Envelope
) -> None:
    await read_model.record_pledge_approved(session, payload)


HANDLERS: dict[str, HandlerSpec] = {
    CampaignLaunched.event_type: HandlerSpec(CampaignLaunched, on_campaign_launched),
    CampaignAmended.event_type: HandlerSpec(CampaignAmended, on_campaign_amended),
    CampaignCancelled.event_type: HandlerSpec(CampaignCancelled, on_campaign_cancelled),
    PhaseClosed.event_type: HandlerSpec(PhaseClosed, on_phase_closed),
    PledgeApproved.event_type: HandlerSpec(PledgeApproved, on_pledge_approved),
}
