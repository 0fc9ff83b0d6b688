"""Transactional outbox: events are rows written in the same transaction as the change."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from thidua_shared.contracts.envelope import Envelope, EventData, new_envelope
from thidua_shared.platform.context import current_correlation_id
from thidua_shared.platform.db import OUTBOX_DIRTY

_INSERT = text(
    "INSERT INTO outbox (event_id, event_type, body) VALUES (:event_id, :event_type, :body)"
)


async def record_event(
    session: AsyncSession, data: EventData, *, source: str, subject: str | None
) -> Envelope:
    envelope = new_envelope(
        data, source=source, subject=subject, correlation_id=current_correlation_id()
    )
    await session.execute(
        _INSERT,
        {"event_id": envelope.id, "event_type": envelope.type, "body": envelope.model_dump_json()},
    )
    session.info[OUTBOX_DIRTY] = True
    return envelope
