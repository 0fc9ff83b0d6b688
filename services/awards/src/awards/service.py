"""Awards use cases around the campaign and its compilation. They flush, never commit; each
state change records its event.

Compiling happens exactly once per campaign and review round whatever the order, repetition
or concurrency of the events that feed it: every path that may compile first locks the
campaign row, so two transactions never both see "not complete yet" or both see "complete,
not compiled". A phase re-reviewed in a higher round compiles a new version.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awards import compile_store, events
from awards.engine import compile_nominations
from awards.models import Campaign, CampaignUnit, Compilation, Nomination, PhaseReview, Refusal
from awards.ruleset import rule_set
from thidua_shared.contracts.campaigns import CampaignAmended, CampaignCancelled, CampaignLaunched
from thidua_shared.contracts.reports import PhaseReviewed
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import NotFound

FIRST_VERSION = 1


async def record_campaign_launched(session: AsyncSession, snapshot: CampaignLaunched) -> None:
    amendment = snapshot.amendment_number if isinstance(snapshot, CampaignAmended) else 0
    details: dict[str, Any] = {
        "title": snapshot.title,
        "year": snapshot.year,
        "rule_set": snapshot.rule_set,
        "phases_total": len(snapshot.phases),
        "phases": [p.model_dump(mode="json") for p in snapshot.phases],
        "clusters": [c.model_dump(mode="json") for c in snapshot.clusters],
        "amendment_number": amendment,
        "launched_at": snapshot.launched_at,
        "updated_at": now(),
    }
    # The update on conflict takes the same row lock as the phase.reviewed path. It only fills
    # in a stub or applies a newer snapshot: the phase reviews live in their own table.
    applied = await session.execute(
        insert(Campaign)
        .values(id=snapshot.campaign_id, **details)
        .on_conflict_do_update(
            index_elements=[Campaign.id],
            set_=details,
            where=(Campaign.launched_at.is_(None)) | (Campaign.amendment_number <= amendment),
        )
        .returning(Campaign.id)
    )
    if applied.first() is not None:
        await _replace_units(session, snapshot)
    campaign = await _lock_campaign(session, snapshot.campaign_id)
    await _compile_when_due(session, campaign)


async def _replace_units(session: AsyncSession, snapshot: CampaignLaunched) -> None:
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


async def record_campaign_cancelled(session: AsyncSession, cancelled: CampaignCancelled) -> None:
    await session.execute(
        update(Campaign)
        .where(Campaign.id == cancelled.campaign_id)
        .values(cancelled_at=cancelled.cancelled_at, updated_at=now())
    )


async def record_phase_review(session: AsyncSession, review: PhaseReviewed, event_id: str) -> None:
    await session.execute(
        insert(Campaign)
        .values(id=review.campaign_id, phases_total=review.phases_total, updated_at=now())
        .on_conflict_do_nothing(index_elements=[Campaign.id])
    )
    campaign = await _lock_campaign(session, review.campaign_id)
    values = {
        "approved_reports": [r.model_dump(mode="json") for r in review.approved_reports],
        "missing_units": [m.model_dump(mode="json") for m in review.missing_units],
        "reviewed_at": review.reviewed_at,
        "review_round": review.review_round,
        "event_id": event_id,
    }
    statement = insert(PhaseReview).values(
        campaign_id=review.campaign_id, phase_number=review.phase_number, **values
    )
    # A re-published review of a round already recorded changes nothing; a later round of
    # the same phase replaces it; an earlier round arriving late is ignored.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PhaseReview.campaign_id, PhaseReview.phase_number],
            set_=values,
            where=PhaseReview.review_round < statement.excluded.review_round,
        )
    )
    await _compile_when_due(session, campaign)


async def compile_if_due(session: AsyncSession, campaign_id: UUID) -> None:
    """After a report arrives: a review that listed it may have been waiting for it."""
    known = await session.execute(select(Campaign.id).where(Campaign.id == campaign_id))
    if known.first() is None:
        return
    await _compile_when_due(session, await _lock_campaign(session, campaign_id))


async def _lock_campaign(session: AsyncSession, campaign_id: UUID) -> Campaign:
    query = (
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.units))
        .with_for_update(of=Campaign)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one()


async def _compile_when_due(session: AsyncSession, campaign: Campaign) -> None:
    """The caller holds the campaign row lock."""
    # Until campaign.launched arrives the participating units and the rule set are unknown,
    # and until every report a review lists has arrived its content is; their handlers run
    # this check again.
    if campaign.launched_at is None or campaign.cancelled_at is not None:
        return
    recorded = await session.execute(
        select(PhaseReview)
        .where(
            PhaseReview.campaign_id == campaign.id,
            PhaseReview.phase_number.between(1, campaign.phases_total),
        )
        .execution_options(populate_existing=True)
    )
    reviews = recorded.scalars().all()
    if len(reviews) != campaign.phases_total:
        return
    if not await compile_store.reports_arrived(session, campaign.id, reviews):
        return
    rounds = {str(r.phase_number): r.review_round for r in reviews}
    latest = (await session.execute(_latest(campaign.id))).scalar_one_or_none()
    if latest is not None and latest.review_rounds == rounds:
        return
    await _compile(session, campaign, reviews, rounds, latest)


async def _compile(
    session: AsyncSession,
    campaign: Campaign,
    reviews: Sequence[PhaseReview],
    rounds: dict[str, int],
    previous: Compilation | None,
) -> None:
    assert campaign.rule_set is not None
    rules = rule_set(campaign.rule_set)
    facts, history = await compile_store.load_facts(session, campaign, reviews, rules)
    compiled = compile_nominations(rules, facts, history)
    keys = {n.key for n in compiled.nominations}
    before = await compile_store.previous_keys(session, previous.id) if previous else set()
    compilation = Compilation(
        campaign_id=campaign.id,
        version=previous.version + 1 if previous else FIRST_VERSION,
        phases_reviewed=len(reviews),
        compiled_at=now(),
        rule_set=rules.id,
        review_rounds=rounds,
        added=sorted(keys - before) if previous else [],
        removed=sorted(before - keys),
    )
    session.add(compilation)
    await session.flush()
    await compile_store.write_nominations(
        session, compilation.id, compiled.nominations, compiled.refusals
    )
    await events.nominations_compiled(session, compilation, compiled.nominations)


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
    query = _latest(campaign_id).options(
        selectinload(Compilation.nominations), selectinload(Compilation.refusals)
    )
    compilation = (await session.execute(query)).scalar_one_or_none()
    if compilation is None:
        raise _none_compiled(campaign_id)
    return compilation


async def list_compilations(
    session: AsyncSession, campaign_id: UUID
) -> list[tuple[Compilation, int, int]]:
    nominations = (
        select(func.count()).where(Nomination.compilation_id == Compilation.id).scalar_subquery()
    )
    refusals = (
        select(func.count()).where(Refusal.compilation_id == Compilation.id).scalar_subquery()
    )
    rows = await session.execute(
        select(Compilation, nominations, refusals)
        .where(Compilation.campaign_id == campaign_id)
        .order_by(Compilation.version)
    )
    found = [(c, n, r) for c, n, r in rows]
    if not found:
        raise _none_compiled(campaign_id)
    return found


async def get_compilation_summary(
    session: AsyncSession, campaign_id: UUID
) -> tuple[Compilation, int]:
    compilation = (await session.execute(_latest(campaign_id))).scalar_one_or_none()
    if compilation is None:
        raise _none_compiled(campaign_id)
    count = select(func.count()).where(Nomination.compilation_id == compilation.id)
    return compilation, (await session.execute(count)).scalar_one()
