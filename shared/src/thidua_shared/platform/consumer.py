"""Turns a service's event handlers into one bus subscription with inbox and dead letters.

Deliveries that arrive while a transaction is running are applied together in the next one:
one inbox insert and one commit for the whole batch, which is what lets a consumer keep up with
a relay that publishes hundreds of events per round trip. If a batch fails, its events are
applied one by one, so only the failing event is retried or dead-lettered.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from thidua_shared.contracts.envelope import Envelope, EventData
from thidua_shared.platform import inbox
from thidua_shared.platform.bus import Subscription
from thidua_shared.platform.context import correlation_id
from thidua_shared.platform.db import transaction
from thidua_shared.platform.telemetry import event_failed, events_applied
from thidua_shared.platform.tracing import handling_span

EventHandler = Callable[[AsyncSession, Any, Envelope], Awaitable[None]]
Payload = TypeVar("Payload", bound=EventData)


@dataclass(frozen=True)
class HandlerSpec:
    model: type[EventData]
    handle: EventHandler

    @classmethod
    def of_payload(
        cls,
        model: type[Payload],
        handle: Callable[[AsyncSession, Payload], Awaitable[None]],
    ) -> "HandlerSpec":
        """A use case that reads the payload alone, registered as it is."""

        async def apply(session: AsyncSession, payload: Any, envelope: Envelope) -> None:
            await handle(session, payload)

        return cls(model, apply)


_STORE_DEAD_LETTER = text(
    "INSERT INTO dead_letters (event_id, event_type, body, error, attempts) "
    "VALUES (:event_id, :event_type, :body, :error, :attempts)"
)

Pending = tuple[Envelope, "asyncio.Future[None]"]


class BatchingConsumer:
    def __init__(
        self,
        handlers: dict[str, HandlerSpec],
        sessionmaker: async_sessionmaker[AsyncSession],
        on_outbox_commit: Callable[[], None],
        max_batch: int = 200,
        linger_seconds: float = 0.005,
        queue: str = "",
    ) -> None:
        self._queue = queue
        self._linger = linger_seconds
        self._handlers = handlers
        self._sessionmaker = sessionmaker
        self._on_outbox_commit = on_outbox_commit
        self._max_batch = max_batch
        self._waiting: list[Pending] = []
        self._last_batch = 0
        self._batch_full = asyncio.Event()
        self._drainer: asyncio.Task[None] | None = None

    async def handle(self, envelope: Envelope) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((envelope, future))
        if len(self._waiting) >= self._max_batch:
            self._batch_full.set()
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        await future

    async def _drain(self) -> None:
        # Deliveries arrive a few at a time from the broker: under load, waiting a moment
        # before the first batch lets them share one transaction. After a lone delivery the
        # consumer is idle and applies the next one at once. A full batch ends the wait: with
        # as many deliveries waiting as the prefetch allows, the broker sends no more.
        if self._last_batch > 1 and len(self._waiting) < self._max_batch:
            self._batch_full.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._linger):
                    await self._batch_full.wait()
        while self._waiting:
            batch = self._waiting[: self._max_batch]
            self._last_batch = len(batch)
            del self._waiting[: self._max_batch]
            try:
                await self._apply(batch)
            except Exception as exc:
                if len(batch) == 1:
                    self._settle(batch, exc)
                    continue
                for item in batch:
                    try:
                        await self._apply([item])
                    except Exception as item_exc:
                        self._settle([item], item_exc)
                    else:
                        self._settle([item], None)
            else:
                self._settle(batch, None)

    def _settle(self, batch: list[Pending], failure: Exception | None) -> None:
        for envelope, future in batch:
            if future.done():
                continue
            if failure is not None:
                event_failed(self._queue, envelope, failure)
                future.set_exception(failure)
            else:
                future.set_result(None)

    async def _apply(self, batch: list[Pending]) -> None:
        envelopes = [envelope for envelope, _ in batch]
        applied: list[Envelope] = []
        duplicates: list[Envelope] = []
        async with transaction(self._sessionmaker, self._on_outbox_commit) as session:
            fresh = await inbox.claim(session, envelopes)
            for envelope in envelopes:
                if envelope.id not in fresh:
                    duplicates.append(envelope)
                    continue
                fresh.discard(envelope.id)
                spec = self._handlers[envelope.type]
                token = correlation_id.set(envelope.correlationid)
                try:
                    with handling_span(envelope, self._queue):
                        await spec.handle(session, envelope.payload(spec.model), envelope)
                finally:
                    correlation_id.reset(token)
                applied.append(envelope)
        events_applied(self._queue, applied, duplicates)


def build_subscription(
    queue: str,
    handlers: dict[str, HandlerSpec],
    sessionmaker: async_sessionmaker[AsyncSession],
    on_outbox_commit: Callable[[], None],
    linger_seconds: float = 0.005,
    max_batch: int = 200,
) -> Subscription:
    consumer = BatchingConsumer(
        handlers,
        sessionmaker,
        on_outbox_commit,
        max_batch=max_batch,
        linger_seconds=linger_seconds,
        queue=queue,
    )

    async def store_dead_letter(
        event_id: str, event_type: str, body: str, error: str, attempts: int
    ) -> None:
        async with sessionmaker() as session, session.begin():
            await session.execute(
                _STORE_DEAD_LETTER,
                {
                    "event_id": event_id,
                    "event_type": event_type,
                    "body": body,
                    "error": error,
                    "attempts": attempts,
                },
            )

    return Subscription(
        queue=queue,
        event_types=tuple(handlers),
        handle=consumer.handle,
        store_dead_letter=store_dead_letter,
    )
