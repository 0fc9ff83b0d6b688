"""Changes to a launched campaign: recorded amendments, and cancellation."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from campaigns import events
from campaigns.codes import CampaignStatus
from campaigns.models import Amendment, Campaign
from campaigns.rules import check_running, conflict, refuse
from campaigns.schemas import AmendmentCreate
from campaigns.service import apply_changes, get_campaign
from thidua_shared.platform.clock import now
from thidua_shared.platform.http import check_version


async def amend(
    session: AsyncSession, campaign_id: UUID, data: AmendmentCreate, expected_version: int | None
) -> tuple[Campaign, Amendment]:
    campaign = await get_campaign(session, campaign_id, lock=True)
    check_version(expected_version, campaign.version)
    if campaign.status == CampaignStatus.DRAFT:
        raise conflict(
            "A draft is edited with PATCH; amendments record changes after launch.",
            field="status",
            rule="amend-after-launch",
        )
    check_running(campaign, "the plan is amended")
    changed = await apply_changes(session, campaign, data.changes)
    if not changed:
        raise refuse(
            "The amendment changes nothing in the plan.",
            field="changes",
            rule="amendment-changes-something",
        )
    campaign.amendment_count += 1
    amendment = Amendment(
        campaign_id=campaign.id,
        number=campaign.amendment_count,
        reason=data.reason,
        changed_fields=sorted(changed),
        changes=changed,
        amended_at=now(),
    )
    campaign.updated_at = amendment.amended_at
    session.add(amendment)
    await session.flush()
    await events.campaign_amended(session, campaign, amendment)
    return campaign, amendment


async def list_amendments(session: AsyncSession, campaign_id: UUID) -> Sequence[Amendment]:
    await get_campaign(session, campaign_id)
    query = select(Amendment).where(Amendment.campaign_id == campaign_id).order_by(Amendment.number)
    return (await session.execute(query)).scalars().all()


async def cancel(
    session: AsyncSession, campaign_id: UUID, reason: str, expected_version: int | None
) -> Campaign:
    campaign = await get_campaign(session, campaign_id, lock=True)
    check_version(expected_version, campaign.version)
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.LAUNCHED):
        raise conflict(
            f"The campaign is {campaign.status}; only a draft or running campaign is cancelled.",
            field="status",
            rule="cancel-before-close",
        )
    campaign.status = CampaignStatus.CANCELLED
    campaign.cancelled_at = campaign.updated_at = now()
    campaign.cancel_reason = reason
    await session.flush()
    await events.campaign_cancelled(session, campaign)
    return campaign
