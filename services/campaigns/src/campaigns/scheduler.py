"""Phases open and close on their dates without anyone acting.

Each step claims the launched campaigns with a due transition under a row lock (`FOR UPDATE
SKIP LOCKED`) and applies their transitions in phase order from state read after the lock, so a
restart, a clock jump or a second scheduler never applies a transition twice nor skips one.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from fastapi import APIRouter, FastAPI
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from campaigns import transitions
from campaigns.calendar import agency_today
from campaigns.config import Settings
from campaigns.models import Campaign, Phase
from campaigns.service import get_campaign
from thidua_shared.platform.clock import now
from thidua_shared.platform.db import make_engine, make_sessionmaker, transaction
from thidua_shared.platform.runtime import ServiceRuntime

log = logging.getLogger(__name__)

CAMPAIGNS_PER_STEP = 50


async def run_due_transitions(session: AsyncSession, *, limit: int = CAMPAIGNS_PER_STEP) -> int:
    """One step: opens and closes every phase that is due; returns how many transitions."""
    moment = now()
    today = agency_today(moment)
    due = exists().where(
        Phase.campaign_id == Campaign.id,
        or_(
            and_(Phase.status == "pending", Phase.starts_on <= today),
            and_(Phase.status == "open", Phase.ends_on < today),
        ),
    )
    claimed = await session.execute(
        select(Campaign.id)
        .where(Campaign.status == "launched", due)
        .order_by(Campaign.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    applied = 0
    for campaign_id in claimed.scalars().all():
        campaign = await get_campaign(session, campaign_id)
        if campaign.status != "launched":
            continue
        for phase in campaign.phases:
            if phase.status == "pending" and phase.starts_on <= today:
                await transitions.open_phase(session, campaign, phase, moment)
                applied += 1
            if phase.status == "open" and phase.ends_on < today:
                await transitions.close_phase(session, campaign, phase, moment, None)
                applied += 1
            if phase.status != "closed":
                break
    return applied


async def run_scheduler(
    sessionmaker: async_sessionmaker[AsyncSession],
    on_outbox_commit: Callable[[], None],
    *,
    interval_seconds: float,
    stop: asyncio.Event,
) -> None:
    while not stop.is_set():
        applied = 0
        try:
            async with transaction(sessionmaker, on_outbox_commit) as session:
                applied = await run_due_transitions(session)
        except Exception:
            log.exception("scheduler step failed; retrying after the interval")
        if applied:
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_seconds)


@contextlib.asynccontextmanager
async def _in_process(app: FastAPI) -> AsyncIterator[None]:
    runtime: ServiceRuntime = app.state.runtime
    settings = runtime.settings
    if not (isinstance(settings, Settings) and settings.scheduler_in_process):
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(
        run_scheduler(
            runtime.sessionmaker,
            runtime.relay.wake,
            interval_seconds=settings.scheduler_interval_seconds,
            stop=stop,
        )
    )
    try:
        yield
    finally:
        stop.set()
        await task


# A router only to carry the scheduler's lifespan into the service app.
router = APIRouter(lifespan=_in_process)


async def run_standalone(settings: Settings) -> None:
    """The scheduler as its own process; the relay (in or out of process) publishes its events."""
    engine = make_engine(settings.resolved_database_url(), pool_size=2)
    try:
        await run_scheduler(
            make_sessionmaker(engine),
            lambda: None,
            interval_seconds=settings.scheduler_interval_seconds,
            stop=asyncio.Event(),
        )
    finally:
        await engine.dispose()
