"""Turns a service's event handlers into one bus subscription with inbox and dead letters."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from thidua_shared.contracts.envelope import Envelope, EventData
from thidua_shared.platform import inbox
from thidua_shared.platform.bus import Subscription
from thidua_shared.platform.context import correlation_id
from thidua_shared.platform.db import transaction

EventHandler = Callable[[AsyncSession, Any, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class HandlerSpec:
    model: type[EventData]
    handle: EventHandler


_STORE_DEAD_LETTER = text(
    "INSERT INTO dead_letters (event_id, event_type, body, error, attempts) "
    "VALUES (:event_id, :event_type, :body, :error, :attempts)"
)


def build_subscription(
    queue: str,
    handlers: dict[str, HandlerSpec],
    sessionmaker: async_sessionmaker[AsyncSession],
    on_outbox_commit: Callable[[], None],
) -> Subscription:
    async def handle(envelope: Envelope) -> None:
        spec = handlers[envelope.type]
        payload = envelope.payload(spec.model)
        token = correlation_id.set(envelope.correlationid)
        try:
            async with transaction(sessionmaker, on_outbox_commit) as session:
                if await inbox.claim(session, envelope):
                    await spec.handle(session, payload, envelope)
        finally:
            correlation_id.reset(token)

    async def store_dead_letter(
        event_id: str, event_type: str, body: str, error: str, attempts: int
    ) -> None:
        async with sessionmaker() as session, session.begin():
            await session.execute(
                _STORE_DEAD_LETTER,
                {"event_id": event_id, "event_type": event_type, "body": body, "error": error,
                 "attempts": attempts},
            )

    return Subscription(
        queue=queue,
        event_types=tuple(handlers),
        handle=handle,
        store_dead_letter=store_dead_letter,
    )
