"""Rebuilds what a service holds from other services' events: reads the broker's archive
stream from its first event and applies each event of a type the service consumes through the
service's own handlers, with its inbox. Events already applied are skipped by the inbox, so a
replay onto a database that has them changes nothing, and onto a restored backup applies only
what came after the backup.

A stream has no end to reach: the replay stops once the archive has sent nothing for a while.
Deliveries arriving together are applied together, as the live consumer does (one transaction
per batch, in the stream's order); the first event the handlers refuse stops the replay, named,
since skipping it would leave the rebuilt data wrong. Run it again once fixed: the inbox skips
what was applied.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.platform.bus import Subscription
from thidua_shared.platform.consumer import HandlerSpec, build_subscription
from thidua_shared.platform.dead_letters import connect_first_node
from thidua_shared.platform.rabbit import node_urls
from thidua_shared.platform.rabbit_topology import RabbitTopology
from thidua_shared.platform.settings import ServiceSettings


@dataclass
class ReplayReport:
    """What a replay did; the counts read the inbox and outbox, which the service's own
    processes change too while they run."""

    read: int = 0  # messages read from the archive
    consumed: int = 0  # of the types this service consumes
    applied: int = 0  # new to the inbox: the others had been applied before
    unreadable: int = 0  # not an event envelope; the live consumer dead-letters these
    # Events the handlers announced meanwhile (awards compiles when its inputs are complete),
    # waiting in the outbox for the service's relay.
    announced: int = 0


class ReplayFailed(Exception):
    def __init__(self, envelope: Envelope, error: BaseException) -> None:
        super().__init__(f"{envelope.type} {envelope.id} was refused by its handler: {error!r}")
        self.envelope = envelope


async def _sizes(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    """The inbox's rows and the outbox's."""
    async with sessionmaker() as session:
        query = text("SELECT (SELECT count(*) FROM inbox), (SELECT count(*) FROM outbox)")
        inbox, outbox = (await session.execute(query)).one()
    return int(inbox), int(outbox)


async def _apply(
    subscription: Subscription, chunk: list[AbstractIncomingMessage], report: ReplayReport
) -> None:
    envelopes: list[Envelope] = []
    for message in chunk:
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError:
            report.unreadable += 1
            continue
        if envelope.type in subscription.event_types:
            envelopes.append(envelope)
    # Handed over together they share transactions, in the order given (platform/consumer.py).
    outcomes = await asyncio.gather(
        *(subscription.handle(e) for e in envelopes), return_exceptions=True
    )
    for envelope, outcome in zip(envelopes, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            raise ReplayFailed(envelope, outcome)
    report.consumed += len(envelopes)


async def replay_archive(
    handlers: dict[str, HandlerSpec],
    settings: ServiceSettings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    quiet_seconds: float = 5.0,
    prefetch: int = 500,
    progress: Callable[[ReplayReport], None] | None = None,
) -> ReplayReport:
    """Applies the archive's events of the handlers' types, from the first; see the module."""
    if not settings.amqp_url:
        raise RuntimeError("the archive is on the broker: set THIDUA_AMQP_URL")
    # Events the handlers record go out through the serving process's relay, which the outbox's
    # NOTIFY wakes; this process relays nothing.
    subscription = build_subscription(
        settings.queue_name, handlers, sessionmaker, lambda: None, max_batch=prefetch
    )
    report = ReplayReport()
    inbox_before, outbox_before = await _sizes(sessionmaker)
    async with await connect_first_node(node_urls(settings.amqp_url)) as connection:
        channel = await connection.channel()
        # A stream is read with a prefetch and manual acks; the offset says where to begin.
        await channel.set_qos(prefetch_count=prefetch)
        archive = await channel.declare_queue(
            RabbitTopology(settings.exchange).archive_queue, passive=True
        )
        arrived: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()

        async def on_message(message: AbstractIncomingMessage) -> None:
            arrived.put_nowait(message)

        tag = await archive.consume(on_message, arguments={"x-stream-offset": "first"})
        try:
            while True:
                try:
                    chunk = [await asyncio.wait_for(arrived.get(), quiet_seconds)]
                except TimeoutError:
                    break
                while not arrived.empty() and len(chunk) < prefetch:
                    chunk.append(arrived.get_nowait())
                await _apply(subscription, chunk, report)
                await chunk[-1].ack(multiple=True)
                report.read += len(chunk)
                if progress:
                    progress(report)
        finally:
            await archive.cancel(tag)
    inbox_after, outbox_after = await _sizes(sessionmaker)
    report.applied = inbox_after - inbox_before
    report.announced = outbox_after - outbox_before
    return report
