"""Opening and closing phases, shared by the office's requests and the scheduler."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from campaigns import events
from campaigns.codes import CampaignStatus, PhaseStatus
from campaigns.models import Campaign, Phase


async def open_phase(session: AsyncSession, campaign: Campaign, phase: Phase, at: datetime) -> None:
    phase.status = PhaseStatus.OPEN
    phase.opened_at = campaign.updated_at = at
    await session.flush()
    await events.phase_opened(session, campaign, phase)


async def close_phase(
    session: AsyncSession, campaign: Campaign, phase: Phase, at: datetime, reason: str | None
) -> None:
    """Closes the phase; the campaign closes with its last phase."""
    phase.status = PhaseStatus.CLOSED
    phase.closed_at = campaign.updated_at = at
    phase.close_reason = reason
    is_last = all(p.status == PhaseStatus.CLOSED for p in campaign.phases)
    if is_last:
        campaign.status = CampaignStatus.CLOSED
        campaign.closed_at = at
    await session.flush()
    await events.phase_closed(session, campaign, phase, is_last=is_last)
    if is_last:
        await events.campaign_closed(session, campaign)
