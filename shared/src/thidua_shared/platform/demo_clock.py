"""Moving a service's clock over HTTP, for the demo that plays a past year in minutes.

Off unless THIDUA_DEMO_CLOCK is set: in production the clock is the operating system's.
"""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from thidua_shared.platform import clock
from thidua_shared.platform.auth import READERS, Role, allow
from thidua_shared.platform.errors import NotFound, Unprocessable
from thidua_shared.platform.http import RuntimeDep


class ClockSetting(BaseModel):
    now: datetime = Field(description="The moment from which the service's time runs on.")


class ClockReading(BaseModel):
    now: datetime
    adjustable: bool


def demo_clock_router(prefix: str) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(f"{prefix}/ops/clock", summary="The service's time", dependencies=[allow(*READERS)])
    async def read_clock(runtime: RuntimeDep) -> ClockReading:
        return ClockReading(now=clock.now(), adjustable=runtime.settings.demo_clock)

    @router.put(
        f"{prefix}/ops/clock",
        summary="Move the service's time (demo mode only)",
        dependencies=[allow(Role.OFFICE)],
    )
    async def move_clock(setting: ClockSetting, runtime: RuntimeDep) -> ClockReading:
        if not runtime.settings.demo_clock:
            raise NotFound("The demo clock is off; start the service with THIDUA_DEMO_CLOCK=1.")
        if setting.now.tzinfo is None:
            raise Unprocessable("The time must carry its UTC offset.", field="now")
        clock.travel_to(setting.now)
        return ClockReading(now=clock.now(), adjustable=True)

    return router
