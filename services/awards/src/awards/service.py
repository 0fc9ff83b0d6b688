"""Awards use cases. They flush, never commit; each state change records its event.

Compiling happens exactly once per campaign whatever the order, repetition or concurrency of
the events that feed it: every path that may compile first locks the campaign row, so two
transactions never both see "not complete yet" or both see "complete, not compiled".
"""

from uuid import UUID

from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awards import events, rules
from awards.models import Campaign, CampaignUnit, Compilation, Nomination, PhaseReview
from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.contracts.reports import PhaseReviewed
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import NotFound

FIRST_VERSION = 1


async def record_campaign_launched(session: AsyncSession, snapshot: CampaignLaunched) -> None:
    details = {
        "title": snapshot.title,
        "year": snapshot.year,
        "rule_set": snapshot.rule_set,
        "phases_total": len(snapshot.phases),
        "launched_at": snapshot.launched_at,
        "updated_at": now(),
    }
    # The update on conflict takes the same row lock as the phase.reviewed path. It only fills
    # in a stub: the phase reviews recorded before the launch live in their own table.
    await session.execute(
        insert(Campaign)
        .values(id=snapshot.campaign_id, **details)
        .on_conflict_do_update(index_elements=[Campaign.id], set_=details)
    )
    await session.execute(
        delete(CampaignUnit).where(CampaignUnit.campaign_id == snapshot.campaign_id)
    )
    if snapshot.units:
        await session.execute(
            insert(CampaignUnit),
            [
                {
                    "campaign_id": snapshot.campaign_id,
                    "unit_code": unit.code,
                    "unit_name": unit.name,
                    "cluster": unit.cluster,
                }
                for unit in snapshot.units
            ],
        )
    campaign = await _lock_campaign(session, snapshot.campaign_id)
    await _compile_once_complete(session, campaign)


async def record_phase_review(session: AsyncSession, review: PhaseReviewed, event_id: str) -> None:
    await session.execute(
        insert(Campaign)
        .values(id=review.campaign_id, phases_total=review.phases_total, updated_at=now())
        .on_conflict_do_nothing(index_elements=[Campaign.id])
    )
    campaign = await _lock_campaign(session, review.campaign_id)
    # A re-published review of a phase already recorded changes nothing.
    await session.execute(
        insert(PhaseReview)
        .values(
            campaign_id=review.campaign_id,
            phase_number=review.phase_number,
            approved_reports=[r.model_dump(mode="json") for r in review.approved_reports],
            missing_units=[m.model_dump(mode="json") for m in review.missing_units],
            reviewed_at=review.reviewed_at,
            event_id=event_id,
        )
        .on_conflict_do_nothing(index_elements=[PhaseReview.campaign_id, PhaseReview.phase_number])
    )
    await _compile_once_complete(session, campaign)


async def _lock_campaign(session: AsyncSession, campaign_id: UUID) -> Campaign:
    query = (
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.units))
        .with_for_update(of=Campaign)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one()


async def _compile_once_complete(session: AsyncSession, campaign: Campaign) -> None:
    """The caller holds the campaign row lock."""
    # Until campaign.launched arrives the participating units and the rule set are unknown;
    # its handler runs this check again.
    if campaign.launched_at is None:
        return
    recorded = await session.execute(
        select(PhaseReview).where(
            PhaseReview.campaign_id == campaign.id,
            PhaseReview.phase_number.between(1, campaign.phases_total),
        )
    )
    reviews = recorded.scalars().all()
    if len(reviews) != campaign.phases_total:
        return
    already = await session.execute(
        select(Compilation.id).where(Compilation.campaign_id == campaign.id).limit(1)
    )
    if already.first() is not None:
        return
    drafts = rules.compile_nominations(
        [unit.unit_code for unit in campaign.units],
        {
            review.phase_number: {r["unit_code"]: r["report_id"] for r in review.approved_reports}
            for review in reviews
        },
    )
    compilation = Compilation(
        campaign_id=campaign.id,
        version=FIRST_VERSION,
        phases_reviewed=len(reviews),
        compiled_at=now(),
        nominations=[
            Nomination(
                subject_kind=draft.subject_kind,
                subject_code=draft.subject_code,
                title=draft.title,
                basis=draft.basis,
            )
            for draft in drafts
        ],
    )
    session.add(compilation)
    await session.flush()
    await events.nominations_compiled(session, compilation)


def _latest(campaign_id: UUID) -> Select[Compilation]:
    return (
        select(Compilation)
        .where(Compilation.campaign_id == campaign_id)
        .order_by(Compilation.version.desc())
        .limit(1)
    )


def _none_compiled(campaign_id: UUID) -> NotFound:
    return NotFound(f"No nominations compiled for campaign {campaign_id}.", field="campaign_id")


async def get_nominations(session: AsyncSession, campaign_id: UUID) -> Compilation:
    query = _latest(campaign_id).options(selectinload(Compilation.nominations))
    compilation = (await session.execute(query)).scalar_one_or_none()
    if compilation is None:
        raise _none_compiled(campaign_id)
    return compilation


async def get_compilation_summary(
    session: AsyncSession, campaign_id: UUID
) -> tuple[Compilation, int]:
    compilation = (await session.execute(_latest(campaign_id))).scalar_one_or_none()
    if compilation is None:
        raise _none_compiled(campaign_id)
    count = select(func.count()).where(Nomination.compilation_id == compilation.id)
    return compilation, (await session.execute(count)).scalar_one()
