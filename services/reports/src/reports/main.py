from pathlib import Path

from fastapi import FastAPI

from reports.api import router
from reports.config import Settings
from reports.events import HANDLERS
from thidua_shared.platform.app import ServiceSpec, create_service_app

spec = ServiceSpec(
    name="reports",
    title="thidua reports",
    description=(
        "Phase reports (báo cáo sơ kết, tổng kết) of participating units and their review by "
        "the council's office (Thường trực Hội đồng Thi đua – Khen thưởng)."
    ),
    routers=[router],
    handlers=HANDLERS,
    settings_factory=Settings,
    migrations=Path(__file__).parent / "migrations",
)


def create_app() -> FastAPI:
    return create_service_app(spec)
