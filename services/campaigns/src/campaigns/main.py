from pathlib import Path

from fastapi import FastAPI

from campaigns.api import router
from campaigns.config import Settings
from campaigns.events import HANDLERS
from thidua_shared.platform.app import ServiceSpec, create_service_app

spec = ServiceSpec(
    name="campaigns",
    title="thidua campaigns",
    description="Emulation movements (phong trào thi đua): plans, phases (đợt) and participants.",
    routers=[router],
    handlers=HANDLERS,
    settings_factory=Settings,
    migrations=Path(__file__).parent / "migrations",
)


def create_app() -> FastAPI:
    return create_service_app(spec)
