"""What a decision's documents read beside the decision: the campaign's unit names and, for a
revocation, the revoked award and the campaign whose rule set stands before the catalogue."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awards.decisions.models import Decision, DecisionAward
from awards.decisions.service import get_decision
from awards.read_model.models import Campaign, CampaignUnit
from thidua_shared.platform.errors import NotFound


async def unit_names(session: AsyncSession, campaign_id: UUID) -> dict[str, str]:
    rows = await session.execute(
        select(CampaignUnit.unit_code, CampaignUnit.unit_name).where(
            CampaignUnit.campaign_id == campaign_id
        )
    )
    return {str(code): str(name) for code, name in rows.all()}


async def revoked_award(
    session: AsyncSession, decision_id: UUID, award_id: UUID
) -> tuple[Decision, DecisionAward, Campaign | None]:
    decision = await get_decision(session, decision_id)
    award = next((a for a in decision.awards if a.id == award_id), None)
    if award is None or award.revoked_at is None:
        raise NotFound(
            f"Decision {decision.number} has no revoked award {award_id}.", field="award_id"
        )
    return decision, award, await session.get(Campaign, decision.campaign_id)
