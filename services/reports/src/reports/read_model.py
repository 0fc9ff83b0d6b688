"""What this service keeps of other services' events: campaigns, phases, units, registrations.

Events of one campaign are applied one at a time under the campaign row's lock; each handler
can be applied in any order and twice without harm (the inbox also stops exact repeats).
"""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from reports import review
from reports.codes import PhaseStatus
from reports.models import Campaign, Participant, Phase, Registration
from reports.service import lock_phase
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignCancelled,
    CampaignLaunched,
    PhaseClosed,
)
from thidua_shared.contracts.pledges import PledgeApproved


async def _lock_campaign(session: AsyncSession, campaign_id: UUID, phases_total: int) -> Campaign:
    """The campaign row, created as a stub if missing, locked so its events apply one at a time."""
    await session.execute(
        insert(Campaign)
        .values(id=campaign_id, title="", phases_total=phases_total)
        .on_conflict_do_nothing(index_elements=[Campaign.id])
    )
    query = (
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.phases), selectinload(Campaign.participants))
        .with_for_update(of=Campaign)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one()


async def record_campaign_launched(session: AsyncSession, data: CampaignLaunched) -> None:
    campaign = await _lock_campaign(session, data.campaign_id, len(data.phases))
    if campaign.launched_at is None:
        campaign.launched_at = data.launched_at
    # An amendment that overtook the launch holds the newer plan.
    if campaign.amendment_number == 0:
        _apply_plan(campaign, data)
    await session.flush()


async def record_campaign_amended(session: AsyncSession, data: CampaignAmended) -> None:
    campaign = await _lock_campaign(session, data.campaign_id, len(data.phases))
    if data.amendment_number <= campaign.amendment_number:
        return
    campaign.amendment_number = data.amendment_number
    if campaign.launched_at is None:
        campaign.launched_at = data.launched_at
    _apply_plan(campaign, data)
    await session.flush()
    # A unit taken out of the plan may have been the last one a closed phase waited for. The
    # phase's lock orders this check with concurrent approvals (see reports.review).
    for number in [p.number for p in campaign.phases]:
        phase = await lock_phase(session, campaign.id, number)
        if phase is not None and phase.status in (PhaseStatus.CLOSED, PhaseStatus.REOPENED):
            await review.review_phase_when_complete(session, phase, reviewer="campaign.amended")


def _apply_plan(campaign: Campaign, data: CampaignLaunched) -> None:
    campaign.title = data.title
    campaign.year = data.year
    campaign.phases_total = len(data.phases)
    phases = {phase.number: phase for phase in campaign.phases}
    for snapshot in data.phases:
        phase = phases.get(snapshot.number)
        if phase is None:
            campaign.phases.append(Phase(number=snapshot.number, name=snapshot.name))
        else:
            # Only the name: a phase.closed that arrived first has already set the status.
            phase.name = snapshot.name
    planned = {unit.code: unit for unit in data.units}
    participants = {unit.unit_code: unit for unit in campaign.participants}
    for known in campaign.participants:
        known.active = known.unit_code in planned
    for unit in data.units:
        participant = participants.get(unit.code)
        if participant is None:
            campaign.participants.append(
                Participant(
                    unit_code=unit.code, unit_name=unit.name, cluster=unit.cluster, active=True
                )
            )
        else:
            participant.unit_name = unit.name
            participant.cluster = unit.cluster


async def record_campaign_cancelled(session: AsyncSession, data: CampaignCancelled) -> None:
    campaign = await _lock_campaign(session, data.campaign_id, 0)
    if campaign.cancelled_at is None:
        campaign.cancelled_at = data.cancelled_at
    await session.flush()


async def record_phase_closed(session: AsyncSession, data: PhaseClosed) -> None:
    campaign = await _lock_campaign(session, data.campaign_id, data.phases_total)
    if campaign.launched_at is None:
        campaign.phases_total = data.phases_total
    phase = next((p for p in campaign.phases if p.number == data.phase_number), None)
    if phase is None:
        campaign.phases.append(
            Phase(number=data.phase_number, status=PhaseStatus.CLOSED, closed_at=data.closed_at)
        )
    elif phase.status == PhaseStatus.PENDING:
        phase.status = PhaseStatus.CLOSED
        phase.closed_at = data.closed_at
    await session.flush()


async def record_pledge_approved(session: AsyncSession, data: PledgeApproved) -> None:
    """The latest approved version of a unit's registration wins, whatever the arrival order."""
    values = {
        "campaign_id": data.campaign_id,
        "unit_code": data.unit_code,
        "registration_id": data.registration_id,
        "version": data.version,
        "approved_at": data.approved_at,
        "commitments": [c.model_dump(mode="json") for c in data.commitments],
        "members": [m.model_dump(mode="json") for m in data.members],
    }
    index = ("campaign_id", "unit_code")
    statement = insert(Registration).values(**values)
    newer = (statement.excluded.approved_at > Registration.approved_at) | (
        (statement.excluded.approved_at == Registration.approved_at)
        & (statement.excluded.version > Registration.version)
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=list(index),
            set_={
                k: statement.excluded[k] for k in values if k not in ("campaign_id", "unit_code")
            },
            where=newer,
        )
    )
