"""Moving a service's clock over HTTP, for the demo that plays a past year in minutes.

Off unless THIDUA_DEMO_CLOCK is set: in production nothing here reads or writes anything and the
clock is the operating system's. When on, the offset from the OS clock is state in the service's
own database (`clock_offset`), so that every process of the service keeps the same time: each
reads it when it starts, about once a second after, at the start of every HTTP request (so a
request that follows a move, answered by another replica, already runs on the moved time), and
the scheduler at every step.

The setting is a resource of its own: `GET` answers its ETag (the moment it was stored, in
microseconds, or 0 before any move) and `PUT` requires If-Match like every other PUT, so that an
office moving the clock does not silently undo a move it has not seen.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, FastAPI, Response
from pydantic import BaseModel, Field
from sqlalchemy import Boolean, DateTime, bindparam, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from thidua_shared.platform import clock
from thidua_shared.platform.auth import READERS, Role, allow
from thidua_shared.platform.clock_store import follow_stored_offset
from thidua_shared.platform.errors import NotFound, PreconditionFailed, Unprocessable
from thidua_shared.platform.http import (
    RequiredVersion,
    RuntimeDep,
    SessionDep,
    check_version,
    etag,
)
from thidua_shared.platform.runtime import ServiceRuntime

log = logging.getLogger(__name__)

# Often enough that replicas agree within about a second; one indexed single-row read each time.
FOLLOW_INTERVAL_SECONDS = 1.0

# Locks the setting, so that the version checked is the one replaced.
_READ_FOR_UPDATE = text("SELECT set_at FROM clock_offset WHERE id = 1 FOR UPDATE")
_READ_SET_AT = text("SELECT set_at FROM clock_offset WHERE id = 1")

# clock_timestamp(), not now(): evaluated once the row lock is held, so when two offices move the
# clock at once the later `set_at` belongs to the value that commits last and stays. The WHERE
# refuses to overwrite a row another move created after this one read none (set_at = NULL is
# never true), unless the caller sent If-Match: *; the row returned is then missing.
_WRITE = text(
    "INSERT INTO clock_offset (id, offset_from_os, set_at) "
    "VALUES (1, :offset, clock_timestamp()) "
    "ON CONFLICT (id) DO UPDATE SET offset_from_os = excluded.offset_from_os, "
    "set_at = clock_timestamp() "
    "WHERE :any_state OR clock_offset.set_at = :seen "
    "RETURNING set_at"
).bindparams(
    bindparam("any_state", type_=Boolean), bindparam("seen", type_=DateTime(timezone=True))
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The ETag before the clock was ever moved.
NEVER_MOVED = 0


def setting_version(set_at: datetime | None) -> int:
    """The setting's version for its ETag: when it was stored, in microseconds since 1970."""
    if set_at is None:
        return NEVER_MOVED
    return (set_at - _EPOCH) // timedelta(microseconds=1)


# The demo plays past years; a clock far outside the records' range only breaks date
# arithmetic (year 1, year 9999) and the documents' dates.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
YEARS_AHEAD = 10


def clock_bounds(today: datetime) -> tuple[datetime, datetime]:
    """2000-01-01 … today + 10 years: where the demo may move a service's time."""
    try:
        latest = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + YEARS_AHEAD, day=28)
    return EARLIEST, latest


class ClockSetting(BaseModel):
    now: datetime = Field(description="The moment from which the service's time runs on.")


class ClockReading(BaseModel):
    now: datetime
    adjustable: bool


async def _keep_following(engine: AsyncEngine) -> None:
    while True:
        await asyncio.sleep(FOLLOW_INTERVAL_SECONDS)
        try:
            async with engine.connect() as connection:
                await follow_stored_offset(connection)
        except Exception:
            # A database that is briefly away must not stop the clock from following later.
            log.warning("could not read the demo clock's offset; trying again", exc_info=True)


@asynccontextmanager
async def _follow_while_serving(app: FastAPI) -> AsyncIterator[None]:
    runtime: ServiceRuntime = app.state.runtime
    if not runtime.settings.demo_clock:
        yield
        return
    async with runtime.engine.connect() as connection:
        await follow_stored_offset(connection)
    task = asyncio.create_task(_keep_following(runtime.engine))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


async def _store_offset(session: AsyncSession, offset: timedelta, expected: int | None) -> int:
    """Stores the offset if the setting is still at version `expected` (None: whatever it is);
    returns the new version."""
    seen: datetime | None = (await session.execute(_READ_FOR_UPDATE)).scalar_one_or_none()
    check_version(expected, setting_version(seen))
    params = {"offset": offset, "any_state": expected is None, "seen": seen}
    set_at: datetime | None = (await session.execute(_WRITE, params)).scalar_one_or_none()
    if set_at is None:
        # Another move stored the first setting while this one was checked against none.
        stored = (await session.execute(_READ_SET_AT)).scalar_one()
        raise PreconditionFailed(
            "Another move set the clock first; read it again.",
            field="If-Match",
            current_etag=etag(setting_version(stored)),
        )

    # Applied here only once committed, so a failed commit leaves this process on the time its
    # database holds, like every other process of the service.
    def apply(_: Session) -> None:
        clock.follow_offset(offset, set_at)

    event.listen(session.sync_session, "after_commit", apply, once=True)
    return setting_version(set_at)


def demo_clock_router(prefix: str) -> APIRouter:
    # The router carries the lifespan that follows the stored offset into the service app.
    router = APIRouter(tags=["operations"], lifespan=_follow_while_serving)

    @router.get(f"{prefix}/ops/clock", summary="The service's time", dependencies=[allow(*READERS)])
    async def read_clock(
        runtime: RuntimeDep, session: SessionDep, response: Response
    ) -> ClockReading:
        set_at = (await session.execute(_READ_SET_AT)).scalar_one_or_none()
        response.headers["ETag"] = etag(setting_version(set_at))
        return ClockReading(now=clock.now(), adjustable=runtime.settings.demo_clock)

    @router.put(
        f"{prefix}/ops/clock",
        summary="Move the service's time (demo mode only; If-Match required)",
        dependencies=[allow(Role.OFFICE)],
    )
    async def move_clock(
        setting: ClockSetting,
        runtime: RuntimeDep,
        session: SessionDep,
        version: RequiredVersion,
        response: Response,
    ) -> ClockReading:
        if not runtime.settings.demo_clock:
            raise NotFound("The demo clock is off; start the service with THIDUA_DEMO_CLOCK=1.")
        if setting.now.tzinfo is None:
            raise Unprocessable("The time must carry its UTC offset.", field="now")
        earliest, latest = clock_bounds(datetime.now(UTC))
        if not earliest <= setting.now <= latest:
            raise Unprocessable(
                f"The demo clock moves between {earliest.date()} and {latest.date()}.",
                field="now",
            )
        offset = setting.now - datetime.now(UTC)
        response.headers["ETag"] = etag(await _store_offset(session, offset, version))
        return ClockReading(now=datetime.now(UTC) + offset, adjustable=True)

    return router
