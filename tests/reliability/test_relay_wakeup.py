"""A relay in another process learns of committed outbox rows from NOTIFY, not from polling."""

import asyncio
import time
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.reliability.worker import Probe
from tests.support.waiting import eventually
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.platform.db import OUTBOX_NOTIFY_DDL, make_sessionmaker, transaction
from thidua_shared.platform.outbox import record_event
from thidua_shared.platform.relay import OutboxRelay
from thidua_shared.testing import RecordingBus


class TimedBus(RecordingBus):
    def __init__(self) -> None:
        super().__init__()
        self.first_publish: float | None = None

    async def publish(self, messages: Sequence[OutgoingMessage]) -> set[str]:
        self.first_publish = self.first_publish or time.monotonic()
        return await super().publish(messages)


async def test_a_listening_relay_wakes_on_another_connections_commit(
    probe_engine: AsyncEngine,
) -> None:
    async with probe_engine.begin() as conn:
        for statement in OUTBOX_NOTIFY_DDL:
            await conn.exec_driver_sql(statement)
    bus = TimedBus()
    # Polling every 30 s: only the notification can wake it within the test's second.
    relay = OutboxRelay(probe_engine, bus, poll_seconds=30, listen=True)
    await relay.start()
    try:
        await eventually(relay.pending, lambda n: n == 0, what="the relay's first pass")
        committed_at = time.monotonic()
        async with transaction(make_sessionmaker(probe_engine), lambda: None) as session:
            await record_event(session, Probe(seq=1), source="/test", subject=None)
        await eventually(lambda: _published(bus), bool, timeout=5, what="the notified relay")
        assert bus.first_publish is not None
        assert bus.first_publish - committed_at < 1.0
    finally:
        await relay.stop()


async def _published(bus: RecordingBus) -> int:
    return len(bus.published)


async def test_a_relay_that_stopped_listening_under_load_listens_again_once_idle(
    probe_engine: AsyncEngine,
) -> None:
    async with probe_engine.begin() as conn:
        for statement in OUTBOX_NOTIFY_DDL:
            await conn.exec_driver_sql(statement)
    sessionmaker = make_sessionmaker(probe_engine)
    async with transaction(sessionmaker, lambda: None) as session:
        for seq in range(5):
            await record_event(session, Probe(seq=seq), source="/test", subject=None)
    bus = TimedBus()
    relay = OutboxRelay(probe_engine, bus, poll_seconds=30, linger_seconds=0.05, listen=True)
    await relay.start()
    try:
        # A batch of five is load: the relay stops listening, then finds the outbox empty.
        await eventually(lambda: _published(bus), lambda n: n == 5, what="the first batch")
        await asyncio.sleep(0.3)
        committed_at = time.monotonic()
        async with transaction(sessionmaker, lambda: None) as session:
            await record_event(session, Probe(seq=5), source="/test", subject=None)
        await eventually(lambda: _published(bus), lambda n: n == 6, timeout=5, what="woken")
        assert time.monotonic() - committed_at < 1.0
    finally:
        await relay.stop()
