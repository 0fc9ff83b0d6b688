from pathlib import Path

from fastapi import FastAPI

from pledges.api import router
from pledges.config import Settings
from pledges.covenants_api import router as covenants_router
from pledges.handlers import HANDLERS
from pledges.member_import_api import router as member_import_router
from pledges.progress_api import router as progress_router
from thidua_shared.platform.app import ServiceSpec, create_service_app

spec = ServiceSpec(
    name="pledges",
    title="thidua pledges",
    description="Emulation registrations (đăng ký thi đua): a unit's commitments tied to the "
    "plan's tasks, the titles the unit and its members aim for, and its attachments, submitted, "
    "returned for revision and approved, every submission kept; member lists imported from XLSX "
    "or CSV; emulation covenants (giao ước thi đua) signed by the units of a cluster, with their "
    "document; registration deadlines with the extensions granted to units, and each "
    "campaign's progress.",
    routers=[router, member_import_router, covenants_router, progress_router],
    handlers=HANDLERS,
    settings_factory=Settings,
    migrations=Path(__file__).parent / "migrations",
)


def create_app() -> FastAPI:
    return create_service_app(spec)
