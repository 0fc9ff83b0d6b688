"""Compiling a campaign's nominations, and reading the versions compiled. They flush, never
commit; each version compiled records its event.

Compiling happens exactly once for what it reads, whatever the order, repetition or
concurrency of the events that feed it: every path that may compile first locks the campaign
row, so two transactions never both see "not complete yet" or both see "complete, not
compiled". Each version records what it read (review rounds, versions of the reports listed,
amendment); a phase re-reviewed in a higher round, a corrected report arriving after its
re-review, or an amendment after compiling compiles a new version with what it added and
removed.

A version compiled after a decision (quyết định) was issued is recorded and announced, naming
that decision, and the decision stays as issued: it is a signed act built from the disclosed
list, so only the office changes it, by revoking an award or issuing a further decision.
"""

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awards import events
from awards.compile import store
from awards.compile.models import Compilation, Nomination, Refusal
from awards.compile.reader import CampaignReader
from awards.compile.rules.engine import Compiler
from awards.compile.rules.ruleset import RuleSet
from awards.compile.ruleset_files import rule_set
from awards.read_model.models import Campaign, PhaseReview
from awards.read_model.service import lock_campaign
from thidua_shared.platform import faults
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import NotFound
from thidua_shared.platform.metrics import observed_compile

FIRST_VERSION = 1


class CompileInputs(NamedTuple):
    """What a compilation reads, beyond the registrations: equal inputs, equal content."""

    review_rounds: dict[str, int]
    report_versions: dict[str, int]
    amendment_number: int

    @classmethod
    def of(cls, compilation: Compilation) -> "CompileInputs":
        return cls(
            compilation.review_rounds, compilation.report_versions, compilation.amendment_number
        )


async def compile_if_due(session: AsyncSession, campaign_id: UUID) -> None:
    """After a report arrives: a review that listed it may have been waiting for it."""
    # The campaign row alone, locked: its units are read only when it compiles, not at every
    # report (thousands of rows each time, in a province).
    campaign = (
        await session.execute(
            select(Campaign)
            .where(Campaign.id == campaign_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if campaign is None:
        return
    await compile_when_due(session, campaign)


async def compile_when_due(session: AsyncSession, campaign: Campaign) -> None:
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
    report_versions = await store.listed_report_versions(session, campaign.id, reviews)
    if report_versions is None:
        return
    inputs = CompileInputs(
        review_rounds={str(r.phase_number): r.review_round for r in reviews},
        report_versions=report_versions,
        amendment_number=campaign.amendment_number,
    )
    latest = (await session.execute(_latest(campaign.id))).scalar_one_or_none()
    # What is recorded only moves forward (a higher round, a newer report version, a later
    # amendment; an older one arriving late is ignored where it is recorded), so inputs unlike
    # the latest version's are newer, and equal ones are a redelivery already compiled.
    if latest is not None and CompileInputs.of(latest) == inputs:
        return
    # Locked already; this reads its units too, whichever way the caller loaded it.
    await _compile(session, await lock_campaign(session, campaign.id), reviews, inputs, latest)


@observed_compile
async def _compile(
    session: AsyncSession,
    campaign: Campaign,
    reviews: Sequence[PhaseReview],
    inputs: CompileInputs,
    previous: Compilation | None,
) -> int:
    """Compiles a new version; how many nominations it holds."""
    assert campaign.rule_set is not None
    rules = rule_set(campaign.rule_set)
    compilation = Compilation(
        campaign_id=campaign.id,
        version=previous.version + 1 if previous else FIRST_VERSION,
        phases_reviewed=len(reviews),
        compiled_at=now(),
        rule_set=rules.id,
        review_rounds=inputs.review_rounds,
        report_versions=inputs.report_versions,
        amendment_number=inputs.amendment_number,
        issued_decisions=await store.issued_decisions(session, campaign.id),
        added=[],
        removed=[],
    )
    session.add(compilation)
    await session.flush()
    nominated = await _compile_parts(session, compilation.id, campaign, reviews, rules)
    if previous is not None:
        compilation.added, compilation.removed = await store.differences(
            session, compilation.id, previous.id
        )
    await events.nominations_compiled(session, compilation, nominated)
    # Written and announced, not yet committed (the consumer commits): a crash here is redone.
    faults.hit("compile.before_commit")
    return nominated


async def _compile_parts(
    session: AsyncSession,
    compilation_id: UUID,
    campaign: Campaign,
    reviews: Sequence[PhaseReview],
    rules: RuleSet,
) -> int:
    """Goes over the campaign's parts once for each cap over the whole campaign, then compiles
    and writes them part by part; how many it nominated. The database is read once."""
    driver = await store.driver(session)
    compiler = Compiler(rules)
    reader = CampaignReader(driver, campaign, rules, keep=compiler.unsettled is not None)
    with _collector_paused():
        await reader.open(reviews)
        while compiler.unsettled is not None:
            async for facts, history in reader.parts():
                compiler.survey(facts, history)
            compiler.settle()
        nominated = 0
        async for facts, history in reader.parts():
            part = compiler.compile(facts, history)
            await store.write_nominations(driver, compilation_id, part.nominations, part.refusals)
            nominated += len(part.nominations)
            # The young generations only: cycles the service's requests left meanwhile go
            # part by part, not at the end of a compilation of a minute or more.
            gc.collect(1)
        return nominated


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while a compilation runs. It allocates
    millions of objects that live for a part (facts, verdicts, drafts), enough for the
    collector to walk the whole process heap (the service, 140 MB or more) again and again:
    13 full passes taking 2 s of a 10.6 s compilation at 1×, 73 taking 16 s at 10×. What the
    compilation drops is freed by reference counting; the young generations are still
    collected after each part (above)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


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
