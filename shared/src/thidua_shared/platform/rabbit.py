"""RabbitMQ event bus: one topic exchange, a quorum queue per consuming service, each with its
own dead-letter queue, and a stream that keeps every event for replay.

Both directions use aio-pika directly: publishing with confirms gathered per batch, consuming
with manual acks, so a message is acked only after its transaction commits. (FastStream's
subscriber path cost about a millisecond of CPU per message here — 700 against 3,000+ messages
a second for the same consumer — so it describes the topology for the AsyncAPI document
instead; see docs/adr/0002.)
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

import aio_pika
import aiormq
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustConnection,
)
from pydantic import ValidationError

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.platform.acks import AckCoalescer
from thidua_shared.platform.batch_publish import BatchPublisher
from thidua_shared.platform.bus import OutgoingMessage, Subscription, retry_delay

log = logging.getLogger(__name__)


class RabbitTopology:
    def __init__(self, exchange: str) -> None:
        self.exchange = exchange
        self.dead_letter_exchange = f"{exchange}.dlx"
        self.archive_queue = f"{exchange}.archive"

    @staticmethod
    def dead_letter_queue(queue: str) -> str:
        return f"{queue}.dlq"

    async def declare_exchanges(self, channel: AbstractChannel) -> AbstractExchange:
        exchange = await channel.declare_exchange(
            self.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        await channel.declare_exchange(
            self.dead_letter_exchange, aio_pika.ExchangeType.DIRECT, durable=True
        )
        # Every event lands in the archive stream too: nothing published is ever unroutable by
        # design, and a consumer can replay the whole history from offset "first".
        archive = await channel.declare_queue(
            self.archive_queue,
            durable=True,
            arguments={"x-queue-type": "stream", "x-max-age": "365D"},
        )
        await archive.bind(exchange, routing_key="#")
        return exchange

    async def declare_queue(
        self, channel: AbstractChannel, queue: str, event_types: Sequence[str], max_deliveries: int
    ) -> None:
        dead_letters = await channel.declare_queue(
            self.dead_letter_queue(queue), durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dead_letters.bind(self.dead_letter_exchange, routing_key=queue)
        main = await channel.declare_queue(
            queue,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": self.dead_letter_exchange,
                "x-dead-letter-routing-key": queue,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
                # A backstop for consumers that crash mid-message: the broker dead-letters a
                # message redelivered this many times even if no consumer ever rejects it.
                "x-delivery-limit": max_deliveries,
            },
        )
        for event_type in event_types:
            await main.bind(self.exchange, routing_key=event_type)


class RabbitBus:
    def __init__(
        self,
        url: str,
        *,
        exchange: str,
        prefetch: int = 64,
        max_deliveries: int = 5,
        backoff_seconds: float = 0.5,
        backoff_cap: float = 30.0,
    ) -> None:
        self._url = url
        self.topology = RabbitTopology(exchange)
        self._publisher = BatchPublisher(exchange)
        self._prefetch = prefetch
        self._max_deliveries = max_deliveries
        self._backoff = backoff_seconds
        self._backoff_cap = backoff_cap
        self._subscriptions: list[Subscription] = []
        self._consumers: list[tuple[AbstractQueue, str]] = []
        self._in_flight = 0
        self._ack_coalescers: list[AckCoalescer] = []
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractChannel | None = None

    def subscribe(self, subscription: Subscription) -> None:
        self._subscriptions.append(subscription)

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(self._url)
        self._channel = await self._connection.channel(
            publisher_confirms=True, on_return_raises=True
        )
        await self.topology.declare_exchanges(self._channel)
        for sub in self._subscriptions:
            await self.topology.declare_queue(
                self._channel, sub.queue, sub.event_types, self._max_deliveries
            )
        for sub in self._subscriptions:
            channel = await self._connection.channel()
            await channel.set_qos(prefetch_count=self._prefetch)
            queue = await channel.get_queue(sub.queue, ensure=False)
            acks = AckCoalescer()
            self._ack_coalescers.append(acks)
            tag = await queue.consume(self._make_callback(sub, acks))
            self._consumers.append((queue, tag))

    async def stop(self, grace_seconds: float = 10.0) -> None:
        for queue, tag in self._consumers:
            await queue.cancel(tag)
        self._consumers.clear()
        # Messages being handled finish and are acked; anything unacked at close is requeued
        # by the broker and absorbed by the consumer's inbox on redelivery.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace_seconds
        # Handlers run in aio-pika's own tasks, so a short poll rather than an event to wait on.
        while self._in_flight and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        for acks in self._ack_coalescers:
            await acks.drain()
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    async def ping(self) -> bool:
        return self._connection is not None and not self._connection.is_closed

    async def dead_letter_count(self, queue: str) -> int | None:
        if self._connection is None or all(s.queue != queue for s in self._subscriptions):
            return None
        # A fresh channel: a robust channel answers a repeated declare from its cache.
        async with self._connection.channel() as channel:
            declared = await channel.declare_queue(
                self.topology.dead_letter_queue(queue), passive=True
            )
            count: int | None = declared.declaration_result.message_count
        return count

    async def publish(self, messages: Sequence[OutgoingMessage]) -> set[str]:
        assert self._channel is not None, "bus not started"
        results: Sequence[BaseException | None]
        try:
            # The robust channel's current aiormq channel: after a reconnect it is a new one.
            underlay = await self._channel.get_underlay_channel()
            assert isinstance(underlay, aiormq.Channel)
            results = await self._publisher.publish(underlay, messages)
        except Exception as exc:  # a closed or reconnecting channel: none was accepted
            results = [exc] * len(messages)
        failed = set()
        for message, result in zip(messages, results, strict=True):
            if isinstance(result, BaseException):
                log.error(
                    "publish of %s %s failed: %r", message.event_type, message.event_id, result
                )
                failed.add(message.event_id)
        return failed

    def _make_callback(
        self, subscription: Subscription, acks: AckCoalescer
    ) -> Callable[[AbstractIncomingMessage], Awaitable[None]]:
        async def on_message(message: AbstractIncomingMessage) -> None:
            self._in_flight += 1
            acks.received(message)
            try:
                if await self._consume(subscription, message):
                    acks.finished(message)
                else:
                    acks.settled_elsewhere(message)
            finally:
                self._in_flight -= 1

        return on_message

    async def _consume(self, subscription: Subscription, message: AbstractIncomingMessage) -> bool:
        """True when the message was applied and may be acked; False once nacked or rejected."""
        delivered_before = (message.headers or {}).get("x-delivery-count", 0)
        attempt = (delivered_before if isinstance(delivered_before, int) else 0) + 1
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as exc:
            log.error("%s: unparseable message dead-lettered: %r", subscription.queue, exc)
            await message.reject(requeue=False)
            return False
        try:
            await subscription.handle(envelope)
        except Exception as exc:
            if attempt >= self._max_deliveries:
                log.error(
                    "%s: dead-lettering %s %s after %d attempts: %r",
                    subscription.queue,
                    envelope.type,
                    envelope.id,
                    attempt,
                    exc,
                )
                await message.reject(requeue=False)
            else:
                log.warning(
                    "%s: %s %s failed (attempt %d), retrying: %r",
                    subscription.queue,
                    envelope.type,
                    envelope.id,
                    attempt,
                    exc,
                )
                await asyncio.sleep(retry_delay(attempt, base=self._backoff, cap=self._backoff_cap))
                await message.nack(requeue=True)
            return False
        return True
