"""Nothing lost, nothing applied twice: against the real RabbitMQ and PostgreSQL."""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.reliability.worker import EVENT_TYPE, Probe, apply
from tests.support.broker import BrokerNames, queue_depth
from tests.support.waiting import eventually
from thidua_shared.contracts.envelope import Envelope, new_envelope
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.platform.consumer import HandlerSpec, build_subscription
from thidua_shared.platform.db import make_sessionmaker, transaction
from thidua_shared.platform.outbox import record_event
from thidua_shared.platform.rabbit import RabbitBus
from thidua_shared.testing import AMQP_URL

ROOT = Path(__file__).resolve().parents[2]


def _message(envelope: Envelope) -> OutgoingMessage:
    return OutgoingMessage(envelope.id, envelope.type, envelope.model_dump_json())


async def _effects(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        return [r.event_id for r in await conn.execute(text("SELECT event_id FROM effects"))]


@asynccontextmanager
async def _publisher(names: BrokerNames) -> AsyncIterator[RabbitBus]:
    bus = RabbitBus(AMQP_URL, exchange=names.exchange)
    await bus.start()
    try:
        yield bus
    finally:
        await bus.stop()


@contextmanager
def _worker(
    mode: str, names: BrokerNames, db: str, crash_on: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "WORKER_DB": db,
        "WORKER_EXCHANGE": names.exchange,
        "WORKER_QUEUE": names.queue("probe"),
    }
    if crash_on:
        env["WORKER_CRASH_ON"] = crash_on
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.worker", mode], cwd=ROOT, env=env
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


async def _queue_ready(queue: str) -> None:
    async def declared() -> bool:
        try:
            await queue_depth(queue)
        except Exception:
            return False
        return True

    await eventually(declared, bool, what=f"queue {queue} declared")


async def test_the_same_event_delivered_twice_is_applied_once(
    names: BrokerNames, probe_engine: AsyncEngine
) -> None:
    consumer = RabbitBus(AMQP_URL, exchange=names.exchange, prefetch=20, max_deliveries=3)
    consumer.subscribe(
        build_subscription(
            names.queue("probe"),
            {EVENT_TYPE: HandlerSpec(Probe, apply)},
            make_sessionmaker(probe_engine),
            lambda: None,
        )
    )
    await consumer.start()
    try:
        envelope = new_envelope(Probe(seq=1), source="/test", subject=None)
        other = new_envelope(Probe(seq=2), source="/test", subject=None)
        async with _publisher(names) as bus:
            assert not await bus.publish([_message(envelope), _message(envelope)])
            assert not await bus.publish([_message(envelope), _message(other)])
        await eventually(
            lambda: _effects(probe_engine), lambda e: len(set(e)) == 2, what="both events applied"
        )
        await asyncio.sleep(0.5)
        assert sorted(await _effects(probe_engine)) == sorted([envelope.id, other.id])
        assert await queue_depth(names.queue("probe")) == 0
    finally:
        await consumer.stop()


async def test_a_message_that_always_fails_is_dead_lettered_while_others_flow(
    names: BrokerNames, probe_engine: AsyncEngine
) -> None:
    attempts: list[int] = []

    async def fail_on_zero(session: AsyncSession, payload: Probe, envelope: Envelope) -> None:
        if payload.seq == 0:
            attempts.append(1)
            raise RuntimeError("this event can never be applied")
        await apply(session, payload, envelope)

    consumer = RabbitBus(
        AMQP_URL, exchange=names.exchange, prefetch=20, max_deliveries=3, backoff_seconds=0.4
    )
    consumer.subscribe(
        build_subscription(
            names.queue("probe"),
            {EVENT_TYPE: HandlerSpec(Probe, fail_on_zero)},
            make_sessionmaker(probe_engine),
            lambda: None,
        )
    )
    await consumer.start()
    try:
        poison = new_envelope(Probe(seq=0), source="/test", subject=None)
        good = [new_envelope(Probe(seq=i), source="/test", subject=None) for i in range(1, 21)]
        async with _publisher(names) as bus:
            assert not await bus.publish([_message(poison)] + [_message(e) for e in good])
        await eventually(
            lambda: _effects(probe_engine),
            lambda e: len(e) == 20,
            timeout=5,
            what="the good events applied",
        )
        # The first delivery shares a batch with good events: the handler runs once in the batch
        # and once alone, so handler calls can exceed deliveries by the batched ones.
        assert len(attempts) < 4, "the good events waited for the poison message's retries"

        dead = f"{names.queue('probe')}.dlq"
        await eventually(lambda: queue_depth(dead), lambda n: n == 1, what="poison in the DLQ")
        assert 3 <= len(attempts) <= 6
        assert await consumer.dead_letter_count(names.queue("probe")) == 1
        assert await queue_depth(names.queue("probe")) == 0
    finally:
        await consumer.stop()


async def test_consumer_killed_after_commit_before_ack_loses_and_duplicates_nothing(
    names: BrokerNames, probe_db: str, probe_engine: AsyncEngine
) -> None:
    events = [new_envelope(Probe(seq=i), source="/test", subject=None) for i in range(10)]
    victim = events[4].id
    with _worker("consume", names, probe_db, crash_on=victim) as crashing:
        await _queue_ready(names.queue("probe"))
        async with _publisher(names) as bus:
            assert not await bus.publish([_message(e) for e in events])
        await asyncio.to_thread(crashing.wait, 30)
        assert crashing.returncode == -9, "the consumer was meant to die by SIGKILL"
    assert victim in await _effects(probe_engine), "the victim's transaction had committed"

    with _worker("consume", names, probe_db):
        await eventually(
            lambda: _effects(probe_engine),
            lambda e: len(set(e)) == 10,
            what="every event applied after the restart",
        )
        await eventually(
            lambda: queue_depth(names.queue("probe")), lambda n: n == 0, what="queue drained"
        )
    assert sorted(await _effects(probe_engine)) == sorted(e.id for e in events)


async def test_relay_killed_after_publish_before_marking_sent_loses_and_duplicates_nothing(
    names: BrokerNames, probe_db: str, probe_engine: AsyncEngine
) -> None:
    sessionmaker = make_sessionmaker(probe_engine)
    ids = []
    async with transaction(sessionmaker, lambda: None) as session:
        for i in range(10):
            ids.append((await record_event(session, Probe(seq=i), source="/test", subject=None)).id)

    async def pending() -> int:
        async with probe_engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM outbox"))).scalar_one())

    with _worker("consume", names, probe_db):
        await _queue_ready(names.queue("probe"))
        with _worker("relay", names, probe_db, crash_on=ids[3]) as crashing:
            await asyncio.to_thread(crashing.wait, 30)
            assert crashing.returncode == -9
        assert await pending() == 10, "the relay died before marking anything sent"
        await eventually(
            lambda: _effects(probe_engine),
            lambda e: len(set(e)) == 10,
            what="the published batch applied",
        )

        with _worker("relay", names, probe_db):
            await eventually(pending, lambda n: n == 0, what="the restarted relay marks all sent")
            await eventually(
                lambda: queue_depth(names.queue("probe")),
                lambda n: n == 0,
                what="the republished duplicates consumed",
            )
    assert sorted(await _effects(probe_engine)) == sorted(ids)


@pytest.mark.parametrize("relays", [3])
async def test_concurrent_relays_never_publish_a_row_twice(
    names: BrokerNames, probe_db: str, probe_engine: AsyncEngine, relays: int
) -> None:
    sessionmaker = make_sessionmaker(probe_engine)
    async with transaction(sessionmaker, lambda: None) as session:
        for i in range(300):
            await record_event(session, Probe(seq=i), source="/test", subject=None)

    published: list[str] = []

    class CountingBus(RabbitBus):
        async def publish(self, messages: Sequence[OutgoingMessage]) -> set[str]:
            published.extend(m.event_id for m in messages)
            await asyncio.sleep(0.01)
            return await super().publish(messages)

    from thidua_shared.platform.relay import OutboxRelay

    buses = [CountingBus(AMQP_URL, exchange=names.exchange) for _ in range(relays)]
    for bus in buses:
        await bus.start()
    try:
        runners = [OutboxRelay(probe_engine, bus, batch_size=25) for bus in buses]
        while sum(await asyncio.gather(*(r.relay_once() for r in runners))):
            pass
    finally:
        for bus in buses:
            await bus.stop()
    assert len(published) == 300
    assert len(set(published)) == 300
