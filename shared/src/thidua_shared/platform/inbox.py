"""Idempotent consumers: event ids are recorded in the same transaction as their effects."""

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from thidua_shared.contracts.envelope import Envelope

_CLAIM = text(
    "INSERT INTO inbox (event_id, event_type) "
    "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[])) "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)


async def claim(session: AsyncSession, envelopes: Sequence[Envelope]) -> set[str]:
    """The ids seen here for the first time; a redelivered event's id is not among them."""
    unique = {e.id: e.type for e in envelopes}
    result = await session.execute(_CLAIM, {"ids": list(unique), "types": list(unique.values())})
    return {str(row.event_id) for row in result}
