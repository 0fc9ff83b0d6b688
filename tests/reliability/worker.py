"""A minimal service for the reliability tests, run as its own process so it can be killed.

`python -m tests.reliability.worker consume|relay` with env WORKER_DB, WORKER_EXCHANGE,
WORKER_QUEUE and optionally WORKER_CRASH_ON (an event id): the consumer dies with SIGKILL right
after committing that event and before acking it; the relay dies right after the broker
confirmed a batch containing it and before marking the batch sent.
"""

import asyncio
import os
import signal
import sys
from collections.abc import Sequence

from sqlalchemy import Column, Integer, MetaData, String, Table, text
from sqlalchemy.ext.asyncio import AsyncSession

from thidua_shared.contracts.envelope import Envelope, EventData
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.platform.consumer import HandlerSpec, build_subscription
from thidua_shared.platform.db import define_platform_tables, make_engine, make_sessionmaker
from thidua_shared.platform.rabbit import RabbitBus
from thidua_shared.platform.relay import OutboxRelay
from thidua_shared.testing import AMQP_URL

metadata = MetaData()
define_platform_tables(metadata)
effects = Table("effects", metadata, Column("event_id", String(100)), Column("n", Integer))

EVENT_TYPE = "probe.happened"


class Probe(EventData):
    event_type = EVENT_TYPE
    seq: int


async def apply(session: AsyncSession, payload: Probe, envelope: Envelope) -> None:
    await session.execute(
        text("INSERT INTO effects (event_id, n) VALUES (:id, 1)"), {"id": envelope.id}
    )


def _crash() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def consume(bus: RabbitBus, db: str, queue: str, crash_on: str | None) -> None:
    engine = make_engine(db)
    sessionmaker = make_sessionmaker(engine)

    subscription = build_subscription(
        queue, {EVENT_TYPE: HandlerSpec(Probe, apply)}, sessionmaker, lambda: None
    )
    if crash_on:
        original = subscription.handle

        async def handle_then_crash(envelope: Envelope) -> None:
            await original(envelope)
            if envelope.id == crash_on:
                _crash()

        subscription = type(subscription)(
            subscription.queue,
            subscription.event_types,
            handle_then_crash,
            subscription.store_dead_letter,
        )
    bus.subscribe(subscription)
    await bus.start()
    await asyncio.Event().wait()


async def relay(bus: RabbitBus, db: str, crash_on: str | None) -> None:
    await bus.start()
    if crash_on:
        original = bus.publish

        async def publish_then_crash(messages: Sequence[OutgoingMessage]) -> set[str]:
            failed = await original(messages)
            if any(m.event_id == crash_on for m in messages):
                _crash()
            return failed

        bus.publish = publish_then_crash  # type: ignore[method-assign]
    engine = make_engine(db)
    outbox_relay = OutboxRelay(engine, bus, batch_size=50, poll_seconds=0.05)
    await outbox_relay.start()
    await asyncio.Event().wait()


def main() -> None:
    mode = sys.argv[1]
    db, exchange = os.environ["WORKER_DB"], os.environ["WORKER_EXCHANGE"]
    crash_on = os.environ.get("WORKER_CRASH_ON")
    bus = RabbitBus(
        AMQP_URL, exchange=exchange, prefetch=20, max_deliveries=3, backoff_seconds=0.05
    )
    if mode == "consume":
        asyncio.run(consume(bus, db, os.environ["WORKER_QUEUE"], crash_on))
    else:
        asyncio.run(relay(bus, db, crash_on))


if __name__ == "__main__":
    main()
