"""Idempotent consumers: the event id is recorded in the same transaction as the effect."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from thidua_shared.contracts.envelope import Envelope

_CLAIM = text(
    "INSERT INTO inbox (event_id, event_type) VALUES (:event_id, :event_type) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)


async def claim(session: AsyncSession, envelope: Envelope) -> bool:
    """True the first time this event id is seen; False for a redelivery."""
    result = await session.execute(_CLAIM, {"event_id": envelope.id, "event_type": envelope.type})
    return result.first() is not None
