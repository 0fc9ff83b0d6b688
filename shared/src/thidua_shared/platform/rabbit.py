"""RabbitMQ event bus: publishing with confirms gathered per batch, consuming with manual acks,
so a message is acked only after its transaction commits. Both directions use aio-pika directly
(FastStream's subscriber path cost about a millisecond of CPU per message here; it describes
the topology for the AsyncAPI document instead, see docs/adr/0002).

The connection is kept by a supervisor of our own rather than aio-pika's robust connection
(docs/adr/0008): one code path builds everything — exchanges, queues, the publishing channel,
a channel and a consumer per subscription — at the first start and after every loss, so each
start exercises the recovery; it moves to the next node of the list on loss; and a watchdog
notices a consumer the broker dropped while the connection stayed up.
"""

import asyncio
import contextlib
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import aio_pika
import aiormq
from aio_pika.abc import (
    AbstractChannel,
    AbstractConnection,
    AbstractIncomingMessage,
    AbstractQueue,
)
from pydantic import ValidationError

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.platform import faults
from thidua_shared.platform.acks import AckCoalescer
from thidua_shared.platform.batch_publish import BatchPublisher
from thidua_shared.platform.bus import ConsumerHealth, OutgoingMessage, Subscription, retry_delay
from thidua_shared.platform.metrics import count_dead_lettered, count_retry
from thidua_shared.platform.rabbit_topology import RabbitTopology

log = logging.getLogger(__name__)

# How many failing event ids a consumer remembers; a poison message needs only a handful.
_REMEMBERED_FAILURES = 10_000


def node_urls(urls: str | Sequence[str]) -> list[str]:
    """`amqp://a/,amqp://b/` or a list: the nodes to try, in order."""
    listed = urls.split(",") if isinstance(urls, str) else list(urls)
    nodes = [url.strip() for url in listed if url.strip()]
    if not nodes:
        raise ValueError("no broker URL given")
    return nodes


@dataclass
class _Consumer:
    subscription: Subscription
    attached: bool = False
    detached_since: float = 0.0  # monotonic; meaningful while not attached
    queue: AbstractQueue | None = None
    tag: str | None = None


class RabbitBus:
    def __init__(
        self,
        urls: str | Sequence[str],
        *,
        exchange: str,
        prefetch: int = 64,
        max_deliveries: int = 5,
        delivery_limit: int = 20,
        backoff_seconds: float = 0.25,
        backoff_cap: float = 30.0,
        reconnect_cap: float = 3.0,
        first_connect_seconds: float = 15.0,
    ) -> None:
        self._urls = node_urls(urls)
        self._node = 0
        self.topology = RabbitTopology(exchange)
        self._publisher = BatchPublisher(exchange)
        self._prefetch = prefetch
        self._max_deliveries = max_deliveries
        self._delivery_limit = delivery_limit
        self._backoff = backoff_seconds
        self._backoff_cap = backoff_cap
        self._reconnect_cap = reconnect_cap
        self._first_connect = first_connect_seconds
        self._consumers: list[_Consumer] = []
        self._failures: OrderedDict[str, int] = OrderedDict()
        self._in_flight = 0
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._connected = asyncio.Event()
        self._disconnected_since = time.monotonic()
        self._lost = asyncio.Event()
        self._stopping = False
        self._supervisor: asyncio.Task[None] | None = None
        self._on_connected: list[Callable[[], None]] = []

    def subscribe(self, subscription: Subscription) -> None:
        self._consumers.append(_Consumer(subscription, detached_since=time.monotonic()))

    def on_connected(self, callback: Callable[[], None]) -> None:
        """Called after every (re)connection, e.g. to wake a relay that backed off."""
        self._on_connected.append(callback)

    async def start(self) -> None:
        """Connects, waiting a while for the first node to answer, then keeps reconnecting.

        A service whose broker is down still starts: HTTP writes go to its outbox, which is
        relayed once the broker is back, and liveness tells if the consumers never attach.
        """
        self._supervisor = asyncio.create_task(self._supervise(), name="rabbit-supervisor")
        try:
            async with asyncio.timeout(self._first_connect):
                await self._connected.wait()
        except TimeoutError:
            log.warning("no broker answered within %.0f s; still trying", self._first_connect)

    async def stop(self, grace_seconds: float = 10.0) -> None:
        self._stopping = True
        for consumer in self._consumers:
            if consumer.queue is not None and consumer.tag is not None:
                with contextlib.suppress(Exception):
                    await consumer.queue.cancel(consumer.tag)
        # Messages being handled finish and are acked; anything unacked at close is requeued
        # by the broker and absorbed by the consumer's inbox on redelivery.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace_seconds
        # Handlers run in aio-pika's own tasks, so a short poll rather than an event to wait on.
        while self._in_flight and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        self._lost.set()
        if self._supervisor is not None:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
            self._supervisor = None
        await self._close_connection()

    async def ping(self) -> bool:
        return self._connection is not None and not self._connection.is_closed

    def disconnected_seconds(self) -> float:
        return 0.0 if self._connected.is_set() else time.monotonic() - self._disconnected_since

    def consumers(self) -> list[ConsumerHealth]:
        now = time.monotonic()
        return [
            ConsumerHealth(
                queue=c.subscription.queue,
                attached=c.attached,
                detached_seconds=0.0 if c.attached else now - c.detached_since,
            )
            for c in self._consumers
        ]

    async def broker_reachable(self) -> bool:
        """Whether any node accepts a TCP connection: the broker is up, whatever our state."""
        for url in self._urls:
            parsed = urlsplit(url)
            try:
                async with asyncio.timeout(1.0):
                    _, writer = await asyncio.open_connection(
                        parsed.hostname or "localhost", parsed.port or 5672
                    )
            except (OSError, TimeoutError):
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return True
        return False

    async def dead_letter_count(self, queue: str) -> int | None:
        connection = self._connection
        if connection is None or all(c.subscription.queue != queue for c in self._consumers):
            return None
        async with connection.channel() as channel:
            declared = await channel.declare_queue(
                self.topology.dead_letter_queue(queue), passive=True
            )
            count: int | None = declared.declaration_result.message_count
        return count

    async def publish(self, messages: Sequence[OutgoingMessage]) -> set[str]:
        results: Sequence[BaseException | None]
        channel = self._channel
        try:
            if channel is None or channel.is_closed:
                raise ConnectionError("not connected to the broker")
            underlay = await channel.get_underlay_channel()
            assert isinstance(underlay, aiormq.Channel)
            results = await self._publisher.publish(underlay, messages)
        except Exception as exc:  # a closed or lost channel: none was accepted
            results = [exc] * len(messages)
        failed = set()
        for message, result in zip(messages, results, strict=True):
            if isinstance(result, BaseException):
                log.warning(
                    "publish of %s %s failed: %r", message.event_type, message.event_id, result
                )
                failed.add(message.event_id)
        return failed

    # The supervisor: connect, build, watch, and after a loss start again on the next node.

    async def _supervise(self) -> None:
        failures = 0
        while not self._stopping:
            url = self._urls[self._node]
            try:
                await self._connect_and_build(url)
            except Exception as exc:
                failures += 1
                log.warning("broker %s: %r; retrying (%d)", _safe(url), exc, failures)
            else:
                failures = 0
                for callback in self._on_connected:
                    callback()
                await self._watch()
                if self._stopping:
                    return
                failures = 1
                log.warning("lost the broker at %s; reconnecting", _safe(url))
            self._detach_all()
            await self._close_connection()
            # On loss, the next node of the list: a cluster's survivors take over.
            self._node = (self._node + 1) % len(self._urls)
            await asyncio.sleep(self._reconnect_delay(failures))

    def _reconnect_delay(self, failures: int) -> float:
        # Bounded, with full jitter so that many processes do not reconnect in step.
        ceiling = min(self._reconnect_cap, 0.25 * 2 ** min(failures, 8))
        return random.uniform(ceiling / 2, ceiling)

    async def _connect_and_build(self, url: str) -> None:
        self._lost.clear()
        connection = await aio_pika.connect(url, timeout=5)
        self._connection = connection
        connection.close_callbacks.add(self._signal_lost)
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        channel.close_callbacks.add(self._signal_lost)
        await self.topology.declare_exchanges(channel)
        for consumer in self._consumers:
            await self._attach(connection, consumer)
        self._channel = channel
        self._connected.set()

    async def _attach(self, connection: AbstractConnection, consumer: _Consumer) -> None:
        sub = consumer.subscription
        channel = await connection.channel()
        channel.close_callbacks.add(self._signal_lost)
        await channel.set_qos(prefetch_count=self._prefetch)
        underlay = await channel.get_underlay_channel()
        underlay.on_consumer_cancel_callbacks.add(self._on_broker_cancel)
        queue = await self.topology.declare_queue(
            channel, sub.queue, sub.event_types, self._delivery_limit
        )
        # Delivery tags belong to a channel: a new channel, a new ack coalescer.
        consumer.tag = await queue.consume(self._make_callback(sub, AckCoalescer()))
        consumer.queue = queue
        consumer.attached = True
        log.info("consuming %s", sub.queue)

    async def _watch(self, every: float = 1.0) -> None:
        """Returns when the connection, a channel or a consumer is lost, or on stop."""
        while not self._lost.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(every):
                    await self._lost.wait()
            if not self._lost.is_set() and not await self._all_consuming():
                log.warning("a consumer is no longer registered; rebuilding the connection")
                self._lost.set()

    async def _all_consuming(self) -> bool:
        for consumer in self._consumers:
            if consumer.queue is None:
                return False
            try:
                underlay = await consumer.queue.channel.get_underlay_channel()
            except Exception:
                return False
            if not isinstance(underlay, aiormq.Channel):
                return False
            if underlay.is_closed or consumer.tag not in underlay.consumers:
                return False
        return True

    def _signal_lost(self, *_: object) -> None:
        self._lost.set()

    def _on_broker_cancel(self, *_: object) -> None:
        # The broker cancelled a consumer (its queue deleted, or its node gone): rebuild.
        self._lost.set()

    def _detach_all(self) -> None:
        if self._connected.is_set():
            self._disconnected_since = time.monotonic()
        self._connected.clear()
        self._channel = None
        now = time.monotonic()
        for consumer in self._consumers:
            if consumer.attached:
                consumer.attached = False
                consumer.detached_since = now
            consumer.queue = None
            consumer.tag = None

    async def _close_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await connection.close()

    # Consuming.

    def _make_callback(
        self, subscription: Subscription, acks: AckCoalescer
    ) -> Callable[[AbstractIncomingMessage], Awaitable[None]]:
        async def on_message(message: AbstractIncomingMessage) -> None:
            self._in_flight += 1
            acks.received(message)
            try:
                if await self._consume(subscription, message):
                    faults.hit("consumer.after_commit")
                    acks.finished(message)
                else:
                    acks.settled_elsewhere(message)
            finally:
                self._in_flight -= 1

        return on_message

    def _count_failure(self, event_id: str) -> int:
        failures = self._failures.pop(event_id, 0) + 1
        self._failures[event_id] = failures
        while len(self._failures) > _REMEMBERED_FAILURES:
            self._failures.popitem(last=False)
        return failures

    async def _consume(self, subscription: Subscription, message: AbstractIncomingMessage) -> bool:
        """True when the message was applied and may be acked; False once nacked or rejected."""
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as exc:
            log.error("%s: unparseable message dead-lettered: %r", subscription.queue, exc)
            await _settle(message.reject(requeue=False))
            return False
        try:
            await subscription.handle(envelope)
        except Exception as exc:
            # Failures of the handler are counted here, not by the broker's delivery count,
            # which also grows with every restart and crash that had nothing to do with it.
            attempt = self._count_failure(envelope.id)
            if attempt >= self._max_deliveries:
                log.error(
                    "%s: dead-lettering %s %s after %d failures: %r",
                    subscription.queue,
                    envelope.type,
                    envelope.id,
                    attempt,
                    exc,
                )
                self._failures.pop(envelope.id, None)
                count_dead_lettered(subscription.queue)
                await _settle(message.reject(requeue=False))
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
                count_retry(subscription.queue)
                await _settle(message.nack(requeue=True))
            return False
        self._failures.pop(envelope.id, None)
        return True


async def _settle(settling: Awaitable[object]) -> None:
    """A reject or nack on a channel that is gone: the broker requeued the message anyway."""
    try:
        await settling
    except Exception as exc:
        log.info("could not settle a delivery on a lost channel: %r", exc)


def _safe(url: str) -> str:
    """The URL without its credentials, for the log."""
    parsed = urlsplit(url)
    return f"{parsed.scheme}://{parsed.hostname}:{parsed.port or 5672}{parsed.path}"
