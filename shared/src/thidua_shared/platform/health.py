"""Liveness and readiness of one service, and its dead letters (platform/dead_letters_api.py).

The two probes answer different questions (deploy/README.md, "Probes"):
- liveness: would a restart help? It fails when a consumer stayed detached longer than the
  limit while the broker is reachable — the process could not repair itself. A broker that is
  down fails nothing: every replica would be restarted for no gain.
- readiness: can the process serve requests? Only its database decides. The broker being down
  does not stop HTTP writes: the outbox holds their events until it is back.
Both bodies report everything, whatever the status code, so an operator sees why.
"""

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from thidua_shared.platform.auth import PUBLIC
from thidua_shared.platform.dead_letters_api import add_dead_letter_routes
from thidua_shared.platform.http import RuntimeDep
from thidua_shared.platform.runtime import ServiceRuntime

_PROBE_TIMEOUT = 2.0


async def service_report(runtime: ServiceRuntime) -> tuple[dict[str, Any], bool, bool]:
    """The probes' body, whether the process is alive, and whether it is ready."""
    database = "ok"
    outbox: dict[str, float] | None = None
    try:
        async with asyncio.timeout(_PROBE_TIMEOUT):
            async with runtime.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            backlog = await runtime.relay.backlog()
        outbox = {
            "pending": backlog.pending,
            "oldest_age_seconds": round(backlog.oldest_age_seconds, 3),
        }
    except Exception as exc:
        database = f"unreachable: {type(exc).__name__}"
    consumers = runtime.bus.consumers()
    limit = runtime.settings.consumer_detached_limit_seconds
    stuck = [c.queue for c in consumers if c.detached_seconds > limit]
    alive = not stuck or not await runtime.bus.broker_reachable()
    body = {
        "database": database,
        "broker": "connected" if await runtime.bus.ping() else "disconnected",
        "consumers": [
            {
                "queue": c.queue,
                "attached": c.attached,
                "detached_seconds": round(c.detached_seconds, 1),
            }
            for c in consumers
        ],
        "consumer_detached_limit_seconds": limit,
        "outbox": outbox,
        "relay": "in process" if runtime.settings.relay_in_process else "separate process",
    }
    return body, alive, database == "ok"


def health_router(prefix: str) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(
        "/healthz",
        summary="Liveness: fails only when a restart would help (a consumer that stays detached)",
        dependencies=[PUBLIC],
    )
    @router.get(f"{prefix}/healthz", include_in_schema=False, dependencies=[PUBLIC])
    async def healthz(runtime: RuntimeDep) -> JSONResponse:
        body, alive, _ = await service_report(runtime)
        return JSONResponse(
            {"status": "ok" if alive else "failing", **body}, status_code=200 if alive else 503
        )

    @router.get(
        "/readyz",
        summary="Readiness: the database is reachable (the broker's absence does not stop writes)",
        dependencies=[PUBLIC],
    )
    @router.get(f"{prefix}/readyz", include_in_schema=False, dependencies=[PUBLIC])
    async def readyz(runtime: RuntimeDep) -> JSONResponse:
        body, _, ready = await service_report(runtime)
        return JSONResponse(
            {"status": "ready" if ready else "not ready", **body},
            status_code=200 if ready else 503,
        )

    add_dead_letter_routes(router, prefix)
    return router
