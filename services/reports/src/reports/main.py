from pathlib import Path

from fastapi import FastAPI

from reports.api import router
from reports.config import Settings
from reports.evaluation_import_api import router as evaluation_import_router
from reports.handlers import HANDLERS
from reports.phases_api import router as phases_router
from thidua_shared.platform.app import ServiceSpec, create_service_app

spec = ServiceSpec(
    name="reports",
    title="thidua reports",
    description=(
        "Phase reports (báo cáo sơ kết, tổng kết) of participating units: results against "
        "their approved commitments and, in the final review, their members' evaluations; "
        "their review by the council's office (Thường trực Hội đồng Thi đua – Khen thưởng); "
        "each phase's progress and consolidated report."
    ),
    routers=[router, evaluation_import_router, phases_router],
    handlers=HANDLERS,
    settings_factory=Settings,
    migrations=Path(__file__).parent / "migrations",
)


def create_app() -> FastAPI:
    return create_service_app(spec)
