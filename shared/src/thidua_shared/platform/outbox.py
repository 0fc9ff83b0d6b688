"""Transactional outbox: events are rows written in the same transaction as the change."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from thidua_shared.contracts.envelope import Envelope, EventData, new_envelope
from thidua_shared.platform.context import current_correlation_id
from thidua_shared.platform.db import OUTBOX_DIRTY

_INSERT = "INSERT INTO outbox (event_id, event_type, body) VALUES ($1, $2, $3)"


async def record_event(
    session: AsyncSession, data: EventData, *, source: str, subject: str | None
) -> Envelope:
    envelope = new_envelope(
        data, source=source, subject=subject, correlation_id=current_correlation_id()
    )
    values = (envelope.id, envelope.type, envelope.model_dump_json())
    # Every request and message writes here, so the insert goes straight to the driver inside
    # the session's transaction (a third of the CPU of a SQLAlchemy execute). Only when the
    # session has not begun its transaction yet does it take the ordinary path, which does.
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is not None and driver.is_in_transaction():
        await driver.execute(_INSERT, *values)
    else:
        await connection.exec_driver_sql(_INSERT, values)
    session.info[OUTBOX_DIRTY] = True
    return envelope
