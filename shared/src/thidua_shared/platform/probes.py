"""Probes for the processes that serve no HTTP of their own: a standalone relay or scheduler.

`--health-port N` serves `/healthz` (liveness) and `/readyz` (readiness) with the same rule as
the services' probes: liveness fails only when a restart would help, and every body says why.
The same port serves the process's Prometheus metrics at `/metrics` (the relay's publishes and
confirm latency, the scheduler's transitions), without a token: the port is the pod's own and
no gateway routes it, as with any exporter.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import uvicorn
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY
from prometheus_client.exposition import generate_latest

from thidua_shared.platform.bus import EventBus
from thidua_shared.platform.metrics import LIVE, OUTBOX_OLDEST_AGE, OUTBOX_PENDING
from thidua_shared.platform.relay import OutboxRelay

# A probe's answer: its body, whether the process is alive, and whether it is ready.
Report = Callable[[], Awaitable[tuple[dict[str, Any], bool, bool]]]


def probe_app(report: Report, service: str | None = None) -> FastAPI:
    """The probes, and the metrics; with a service's name, a scrape also reads its liveness
    and outbox through the report, as a service's own scrape does."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        body, alive, _ = await report()
        return JSONResponse(
            {"status": "ok" if alive else "failing", **body}, status_code=200 if alive else 503
        )

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        body, _, ready = await report()
        return JSONResponse(
            {"status": "ready" if ready else "not ready", **body},
            status_code=200 if ready else 503,
        )

    @app.get("/metrics")
    async def metrics() -> Response:
        if service is not None:
            body, alive, _ = await report()
            LIVE.labels(service).set(1 if alive else 0)
            if body.get("outbox") is not None:
                OUTBOX_PENDING.labels(service).set(body["outbox"]["pending"])
                OUTBOX_OLDEST_AGE.labels(service).set(body["outbox"]["oldest_age_seconds"])
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return app


@contextlib.asynccontextmanager
async def serving_probes(
    report: Report, host: str, port: int | None, *, service: str | None = None
) -> AsyncIterator[None]:
    """Serves the probes and metrics for as long as the block runs; nothing without a port."""
    if port is None:
        yield
        return
    config = uvicorn.Config(
        probe_app(report, service), host=host, port=port, access_log=False, log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(), name="probes")
    try:
        yield
    finally:
        server.should_exit = True
        await asyncio.gather(task, return_exceptions=True)


def relay_report(relay: OutboxRelay, bus: EventBus, limit_seconds: float) -> Report:
    """A relay is stuck when it has been without a broker connection for `limit_seconds`
    although the broker answers: it cannot repair that from inside, a restart can."""

    async def report() -> tuple[dict[str, Any], bool, bool]:
        database = "ok"
        outbox: dict[str, float] | None = None
        try:
            async with asyncio.timeout(2.0):
                backlog = await relay.backlog()
            outbox = {
                "pending": backlog.pending,
                "oldest_age_seconds": round(backlog.oldest_age_seconds, 3),
            }
        except Exception as exc:
            database = f"unreachable: {type(exc).__name__}"
        disconnected = bus.disconnected_seconds()
        alive = disconnected <= limit_seconds or not await bus.broker_reachable()
        body = {
            "database": database,
            "broker": "connected" if await bus.ping() else "disconnected",
            "broker_disconnected_seconds": round(disconnected, 1),
            "limit_seconds": limit_seconds,
            "outbox": outbox,
        }
        return body, alive, database == "ok"

    return report
