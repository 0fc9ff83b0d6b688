"""Phases open and close on their dates without anyone acting.

Each step claims the launched campaigns with a due transition under a row lock (`FOR UPDATE
SKIP LOCKED`) and applies their transitions in phase order from state read after the lock, so a
restart, a clock jump or a second scheduler never applies a transition twice nor skips one.
With the demo clock on, each step first reads the service's stored clock offset, so a scheduler
in its own process follows the time the office set over HTTP.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from campaigns import transitions
from campaigns.calendar import agency_today
from campaigns.codes import CampaignStatus, PhaseStatus
from campaigns.config import Settings
from campaigns.models import Campaign, Phase
from campaigns.service import get_campaign
from thidua_shared.platform.clock import now
from thidua_shared.platform.clock_store import follow_stored_offset
from thidua_shared.platform.db import make_engine, make_sessionmaker, transaction
from thidua_shared.platform.metrics import count_scheduler_transitions
from thidua_shared.platform.probes import Report, serving_probes
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
            and_(Phase.status == PhaseStatus.PENDING, Phase.starts_on <= today),
            and_(Phase.status == PhaseStatus.OPEN, Phase.ends_on < today),
        ),
    )
    claimed = await session.execute(
        select(Campaign.id)
        .where(Campaign.status == CampaignStatus.LAUNCHED, due)
        .order_by(Campaign.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    applied = 0
    for campaign_id in claimed.scalars().all():
        campaign = await get_campaign(session, campaign_id)
        if campaign.status != CampaignStatus.LAUNCHED:
            continue
        for phase in campaign.phases:
            if phase.status == PhaseStatus.PENDING and phase.starts_on <= today:
                await transitions.open_phase(session, campaign, phase, moment)
                applied += 1
            if phase.status == PhaseStatus.OPEN and phase.ends_on < today:
                await transitions.close_phase(session, campaign, phase, moment, None)
                applied += 1
            if phase.status != PhaseStatus.CLOSED:
                break
    return applied


@dataclass
class Pulse:
    """When the scheduler last finished a step, and how: what its probes report."""

    last_step: float = field(default_factory=time.monotonic)
    last_error: str | None = None


async def run_scheduler(
    sessionmaker: async_sessionmaker[AsyncSession],
    on_outbox_commit: Callable[[], None],
    *,
    interval_seconds: float,
    stop: asyncio.Event,
    demo_clock: bool,
    pulse: Pulse | None = None,
) -> None:
    pulse = pulse or Pulse()
    while not stop.is_set():
        applied = 0
        try:
            async with transaction(sessionmaker, on_outbox_commit) as session:
                if demo_clock:
                    await follow_stored_offset(session)
                applied = await run_due_transitions(session)
            count_scheduler_transitions(applied)
            pulse.last_error = None
        except Exception as exc:
            pulse.last_error = f"{type(exc).__name__}: {exc}"[:300]
            log.exception("scheduler step failed; retrying after the interval")
        pulse.last_step = time.monotonic()
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
            demo_clock=settings.demo_clock,
        )
    )
    try:
        yield
    finally:
        stop.set()
        await task


# A router only to carry the scheduler's lifespan into the service app.
router = APIRouter(lifespan=_in_process)


def scheduler_report(pulse: Pulse, interval_seconds: float) -> Report:
    """Alive while steps keep finishing (a hung loop is what a restart mends); ready while the
    last one reached the database."""
    limit = max(30.0, 3 * interval_seconds)

    async def report() -> tuple[dict[str, Any], bool, bool]:
        since = time.monotonic() - pulse.last_step
        body = {
            "seconds_since_last_step": round(since, 1),
            "limit_seconds": limit,
            "last_error": pulse.last_error,
        }
        return body, since <= limit, pulse.last_error is None

    return report


async def run_standalone(
    settings: Settings, *, health_host: str = "127.0.0.1", health_port: int | None = None
) -> None:
    """The scheduler as its own process; the relay (in or out of process) publishes its events."""
    engine = make_engine(settings.resolved_database_url(), pool_size=2)
    pulse = Pulse()
    report = scheduler_report(pulse, settings.scheduler_interval_seconds)
    try:
        async with serving_probes(report, health_host, health_port):
            await run_scheduler(
                make_sessionmaker(engine),
                lambda: None,
                interval_seconds=settings.scheduler_interval_seconds,
                stop=asyncio.Event(),
                demo_clock=settings.demo_clock,
                pulse=pulse,
            )
    finally:
        await engine.dispose()
