"""Liveness, readiness and the dead-letter count of one service."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import func, select, table, text

from thidua_shared.platform.auth import PUBLIC, Role, allow
from thidua_shared.platform.http import RuntimeDep


def health_router(prefix: str) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="The process is alive", dependencies=[PUBLIC])
    @router.get(f"{prefix}/healthz", include_in_schema=False, dependencies=[PUBLIC])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz", summary="The database and the broker are reachable", dependencies=[PUBLIC]
    )
    @router.get(f"{prefix}/readyz", include_in_schema=False, dependencies=[PUBLIC])
    async def readyz(runtime: RuntimeDep) -> JSONResponse:
        checks = {"database": "ok", "broker": "ok"}
        try:
            async with runtime.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            checks["database"] = f"unreachable: {type(exc).__name__}"
        if not await runtime.bus.ping():
            checks["broker"] = "unreachable"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    @router.get(
        f"{prefix}/ops/dead-letters",
        summary="Events this service gave up on",
        dependencies=[allow(Role.OFFICE)],
    )
    async def dead_letters(runtime: RuntimeDep) -> dict[str, int | None]:
        async with runtime.engine.connect() as conn:
            stored = (
                await conn.execute(select(func.count()).select_from(table("dead_letters")))
            ).scalar_one()
        queued = await runtime.bus.dead_letter_count(runtime.settings.queue_name)
        return {"broker_dead_letter_queue": queued, "stored": stored}

    return router
