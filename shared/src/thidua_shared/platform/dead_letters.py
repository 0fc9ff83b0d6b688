"""One service's dead letters, the events it gave up on, and what an operator does with them:
list, show, redrive, purge. Both places that keep them are covered: the broker's dead-letter
queue `<queue>.dlq` (a service on RabbitMQ) and the `dead_letters` table (where the in-process
bus of the all-in-one mode stores them).

AMQP has no way to look into a queue but to take its messages: the dead-letter queue is read by
taking messages without acknowledging them, and closing the channel hands back those left. A
redriven message goes to the service's own queue alone, with its event id, so the inbox skips an
event applied meanwhile; it is acknowledged in the dead-letter queue only once the broker has
confirmed the copy, so a crash between the two leaves a duplicate (which the inbox absorbs),
never a loss.
"""

import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import aio_pika
import asyncpg
from aio_pika.abc import (
    AbstractChannel,
    AbstractConnection,
    AbstractIncomingMessage,
    AbstractQueue,
)

from thidua_shared.contracts.envelope import correlation_id_of
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.platform.rabbit import node_urls
from thidua_shared.platform.rabbit_topology import RabbitTopology
from thidua_shared.platform.settings import ServiceSettings

# Delivers a stored dead letter again to the service's own subscriber in this process (the
# in-process bus's `redeliver`); failing again, it is stored anew.
InProcessRedelivery = Callable[[str, OutgoingMessage], Awaitable[None]]
Progress = Callable[[int, int], None]
Send = Callable[[aio_pika.Message], Awaitable[None]]

_STORED = (
    "SELECT id, event_id, event_type, body, error, attempts, failed_at FROM dead_letters "
    "WHERE $1::text[] IS NULL OR event_id = ANY($1::text[]) ORDER BY id LIMIT $2"
)
# The broker counts the deliveries of a quorum queue's message itself; a copy must not carry
# the old count into the service's queue.
_DROPPED_HEADERS = frozenset({"x-delivery-count"})


class BrokerUnavailable(Exception):
    """The service runs on RabbitMQ and no node of it answered."""


async def connect_first_node(urls: list[str]) -> AbstractConnection:
    """A connection of its own to the first node that answers, for an operator's command."""
    for url in urls:
        with contextlib.suppress(Exception):
            return await aio_pika.connect(url, timeout=5)
    raise BrokerUnavailable("no broker node answered")


@dataclass(frozen=True)
class DeadLetter:
    event_id: str
    event_type: str
    source: Literal["broker", "stored"]
    # Why it was first given up: the broker's x-first-death-reason ("rejected" by the consumer
    # after its handler kept failing, "delivery_limit" when its consumer kept dying), or the
    # handler's error for a stored one.
    reason: str
    # How often it was dead-lettered (x-death), or how often it was tried (stored).
    count: int
    failed_at: datetime | None
    body: str
    details: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "event_type": self.event_type,
            "source": self.source,
            "reason": self.reason,
            "count": self.count,
            "failed_at": self.failed_at.isoformat() if self.failed_at else None,
        }

    def shown(self) -> dict[str, Any]:
        """The summary with the envelope as it travelled and the broker's headers or the row."""
        try:
            envelope: Any = json.loads(self.body)
        except ValueError:
            envelope = self.body
        return {**self.summary(), "envelope": envelope, "details": self.details}


@dataclass(frozen=True)
class Counts:
    broker: int | None  # None without a broker, or when it did not answer
    stored: int


def _plain(value: Any) -> Any:
    """Header values as JSON can say them (the broker's tables hold times and bytes)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def _count(value: object) -> int:
    return value if isinstance(value, int) else 1


def _from_message(message: AbstractIncomingMessage) -> DeadLetter:
    headers = dict(message.headers or {})
    deaths = headers.get("x-death")
    entries = [d for d in deaths if isinstance(d, dict)] if isinstance(deaths, list) else []
    body = message.body.decode("utf-8", "replace")
    event_id, event_type = message.message_id, message.type
    if not (event_id and event_type):
        # Only our relay sets both properties; anything else is read from the envelope.
        with contextlib.suppress(ValueError, AttributeError):
            parsed = json.loads(body)
            event_id, event_type = parsed.get("id"), parsed.get("type")
    latest = entries[0].get("time") if entries else None  # x-death lists the latest first
    return DeadLetter(
        event_id=str(event_id or "?"),
        event_type=str(event_type or "?"),
        source="broker",
        reason=str(_plain(headers.get("x-first-death-reason", "unknown"))),
        count=sum(_count(d.get("count")) for d in entries) or 1,
        failed_at=latest if isinstance(latest, datetime) else None,
        body=body,
        details={"headers": _plain(headers)},
    )


def _from_row(row: Any) -> DeadLetter:
    return DeadLetter(
        event_id=row["event_id"],
        event_type=row["event_type"],
        source="stored",
        reason=row["error"],
        count=row["attempts"],
        failed_at=row["failed_at"],
        body=row["body"],
        details={"row": row["id"], "error": row["error"], "attempts": row["attempts"]},
    )


def _copy(message: AbstractIncomingMessage) -> aio_pika.Message:
    headers = {k: v for k, v in (message.headers or {}).items() if k not in _DROPPED_HEADERS}
    return aio_pika.Message(
        message.body,
        headers=headers,
        content_type=message.content_type,
        message_id=message.message_id,
        type=message.type,
        correlation_id=message.correlation_id,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
    )


class DeadLetters:
    """The dead letters of the service `settings` describe, read and changed through its
    database connection and, when it runs on RabbitMQ, a broker connection of their own."""

    def __init__(
        self,
        settings: ServiceSettings,
        database: asyncpg.Connection,
        in_process: InProcessRedelivery | None = None,
    ) -> None:
        self._urls = node_urls(settings.amqp_url) if settings.amqp_url else []
        self._topology = RabbitTopology(settings.exchange)
        self._queue = settings.queue_name
        self._database = database
        self._in_process = in_process

    @contextlib.asynccontextmanager
    async def _broker(self) -> AsyncIterator[tuple[AbstractChannel, AbstractQueue | None]]:
        """A confirming channel and the dead-letter queue (None where none was declared: a
        service that consumes nothing). Messages taken and not acknowledged go back at exit."""
        async with await connect_first_node(self._urls) as connection:
            # Confirmed, and an unroutable copy raises: a redrive never loses a message quietly.
            channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            queue: AbstractQueue | None = None
            try:
                queue = await channel.declare_queue(
                    self._topology.dead_letter_queue(self._queue), passive=True
                )
            except aio_pika.exceptions.ChannelNotFoundEntity:
                # A failed passive declare closes the channel.
                channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            yield channel, queue

    async def _stored(
        self, event_ids: Collection[str] | None, limit: int | None
    ) -> list[DeadLetter]:
        ids = list(event_ids) if event_ids is not None else None
        return [_from_row(r) for r in await self._database.fetch(_STORED, ids, limit)]

    async def _stored_count(self) -> int:
        count: int = await self._database.fetchval("SELECT count(*) FROM dead_letters")
        return count

    async def counts(self) -> Counts:
        broker = None
        if self._urls:
            with contextlib.suppress(BrokerUnavailable):
                async with self._broker() as (_, queue):
                    broker = (queue.declaration_result.message_count or 0) if queue else 0
        return Counts(broker, await self._stored_count())

    async def browse(
        self, limit: int, event_ids: Collection[str] | None = None, *, broker: bool = True
    ) -> list[DeadLetter]:
        """Up to `limit` dead letters (of the given event ids), the broker's first; the stored
        ones alone with `broker=False`."""
        taken: list[DeadLetter] = []
        if self._urls and broker:
            async with self._broker() as (_, queue):
                while queue is not None and len(taken) < limit:
                    message = await queue.get(no_ack=False, fail=False, timeout=5)
                    if message is None:
                        break
                    letter = _from_message(message)
                    if event_ids is None or letter.event_id in event_ids:
                        taken.append(letter)
        return taken + await self._stored(event_ids, limit - len(taken))

    async def redrive(
        self, event_ids: Collection[str] | None, progress: Progress | None = None
    ) -> list[DeadLetter]:
        """Sends the dead letters (all, or those of the given event ids) back to the service's
        own queue; the ones the in-process bus failed on again are stored anew."""
        return await self._act(event_ids, progress, redrive=True)

    async def purge(
        self, event_ids: Collection[str] | None, progress: Progress | None = None
    ) -> list[DeadLetter]:
        """Removes the dead letters (all, or those of the given event ids) for good."""
        return await self._act(event_ids, progress, redrive=False)

    async def _act(
        self, event_ids: Collection[str] | None, progress: Progress | None, *, redrive: bool
    ) -> list[DeadLetter]:
        stored = await self._stored(event_ids, limit=None)
        if not self._urls:
            return await self._act_stored(stored, None, progress, 0, redrive=redrive)
        async with self._broker() as (channel, queue):
            # Only the messages there now: one redriven and failed again meanwhile is back in
            # the queue and must not go round again.
            depth = (queue.declaration_result.message_count or 0) if queue else 0
            total = depth + len(stored)
            send = await self._sender(channel) if redrive and total else None
            done: list[DeadLetter] = []
            for taken in range(depth):
                assert queue is not None
                message = await queue.get(no_ack=False, fail=False, timeout=5)
                if message is None:
                    break
                letter = _from_message(message)
                if event_ids is None or letter.event_id in event_ids:
                    if send is not None:
                        await send(_copy(message))
                    await message.ack()
                    done.append(letter)
                if progress:
                    progress(taken + 1, total)
            return done + await self._act_stored(stored, send, progress, depth, redrive=redrive)

    async def _act_stored(
        self,
        stored: list[DeadLetter],
        send: Send | None,
        progress: Progress | None,
        before: int,
        *,
        redrive: bool,
    ) -> list[DeadLetter]:
        for number, letter in enumerate(stored, start=1):
            if redrive:
                await self._redeliver_stored(letter, send)
            await self._database.execute(
                "DELETE FROM dead_letters WHERE id = $1", letter.details["row"]
            )
            if progress:
                progress(before + number, before + len(stored))
        return stored

    async def _sender(self, channel: AbstractChannel) -> Send:
        exchange_name, key = await self._topology.bind_redrive(channel, self._queue)
        exchange = await channel.get_exchange(exchange_name, ensure=False)

        async def send(message: aio_pika.Message) -> None:
            await exchange.publish(message, routing_key=key, mandatory=True)

        return send

    async def _redeliver_stored(self, letter: DeadLetter, send: Send | None) -> None:
        if send is not None:
            await send(
                aio_pika.Message(
                    letter.body.encode(),
                    content_type="application/cloudevents+json",
                    message_id=letter.event_id,
                    type=letter.event_type,
                    correlation_id=correlation_id_of(letter.body),
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                )
            )
            return
        if self._in_process is None:
            raise BrokerUnavailable(
                "no broker is configured and this process delivers no events to redrive through"
            )
        # A failure is stored anew by the bus, so the row is removed either way.
        await self._in_process(
            self._queue, OutgoingMessage(letter.event_id, letter.event_type, letter.body)
        )
