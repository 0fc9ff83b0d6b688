from pathlib import Path

from fastapi import APIRouter, FastAPI

from awards.compile.api import (
    campaign_nominations_router,
    compilations_router,
    nominations_router,
)
from awards.compile.ruleset_files import check_rule_files
from awards.config import Settings
from awards.council.api import router as council_router
from awards.decisions.api import public_router as public_decisions_router
from awards.decisions.api import router as decisions_router
from awards.disclosure.api import public_router as public_disclosures_router
from awards.disclosure.api import router as disclosures_router
from awards.dossier.api import router as dossiers_router
from awards.dossier.authority import check_authority_files
from awards.exemplars.api import public_router as public_exemplars_router
from awards.exemplars.api import router as exemplars_router
from awards.handlers import HANDLERS
from awards.history.api import router as history_router
from awards.voting.api import router as voting_router
from thidua_shared.platform.app import ServiceSpec, create_service_app

spec = ServiceSpec(
    name="awards",
    title="thidua awards",
    description=(
        "Commendation (khen thưởng): nominations (đề nghị khen thưởng) compiled once every "
        "phase (đợt) of a campaign is reviewed."
    ),
    # In the law's order, as the API docs list them; the public reads last.
    routers=[
        # No routes: its lifespan reads and checks every rule file when the service starts.
        APIRouter(lifespan=check_rule_files),
        # Likewise the authority files (who may decide each title, per rule set).
        APIRouter(lifespan=check_authority_files),
        nominations_router,
        compilations_router,
        campaign_nominations_router,
        history_router,
        voting_router,
        council_router,
        disclosures_router,
        decisions_router,
        dossiers_router,
        exemplars_router,
        public_disclosures_router,
        public_decisions_router,
        public_exemplars_router,
    ],
    handlers=HANDLERS,
    settings_factory=Settings,
    migrations=Path(__file__).parent / "migrations",
)


def create_app() -> FastAPI:
    return create_service_app(spec)
