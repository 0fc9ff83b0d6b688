from pathlib import Path

from fastapi import FastAPI

from awards.api import campaign_nominations_router, compilations_router, nominations_router
from awards.config import Settings
from awards.council_routers import COUNCIL_ROUTERS
from awards.events import HANDLERS
from awards.history_api import router as history_router
from thidua_shared.platform.app import ServiceSpec, create_service_app

spec = ServiceSpec(
    name="awards",
    title="thidua awards",
    description=(
        "Commendation (khen thưởng): nominations (đề nghị khen thưởng) compiled once every "
        "phase (đợt) of a campaign is reviewed."
    ),
    routers=[
        nominations_router,
        compilations_router,
        campaign_nominations_router,
        history_router,
        *COUNCIL_ROUTERS,
    ],
    handlers=HANDLERS,
    settings_factory=Settings,
    migrations=Path(__file__).parent / "migrations",
)


def create_app() -> FastAPI:
    return create_service_app(spec)
