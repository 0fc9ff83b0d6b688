"""Reading the demo clock's offset stored in a service's database (see demo_clock)."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from thidua_shared.platform import clock

_READ = text("SELECT offset_from_os, set_at FROM clock_offset")


async def follow_stored_offset(connection: AsyncConnection | AsyncSession) -> None:
    """Puts this process on the offset stored in the service's database, if there is one."""
    stored = (await connection.execute(_READ)).first()
    if stored is not None:
        clock.follow_offset(stored.offset_from_os, stored.set_at)
