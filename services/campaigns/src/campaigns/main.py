from pathlib import Path

from fastapi import FastAPI

from campaigns import scheduler
from campaigns.api import router
from campaigns.config import Settings
from campaigns.directory_api import clusters, units
from campaigns.handlers import HANDLERS
from campaigns.lifecycle_api import router as lifecycle_router
from thidua_shared.platform.app import ServiceSpec, create_service_app

spec = ServiceSpec(
    name="campaigns",
    title="thidua campaigns",
    description="Emulation movements (phong trào thi đua): plans, phases (đợt), participants, "
    "and the unit directory with its emulation clusters (cụm thi đua).",
    routers=[router, lifecycle_router, units, clusters, scheduler.router],
    handlers=HANDLERS,
    settings_factory=Settings,
    migrations=Path(__file__).parent / "migrations",
)


def create_app() -> FastAPI:
    return create_service_app(spec)
