"""`/<service>/metrics`: the process's Prometheus metrics, to the office and integration roles
(a Prometheus scrape job sends an integration token; the public gateway does not route it).

What is a state rather than an event — the outbox backlog, dead letters, consumers attached,
liveness — is read when the metrics are scraped, by the same code as the probes, so a scrape
never shows a value older than itself and nothing polls while no one scrapes. One process
holds one registry: in `thidua up` every service's endpoint answers for all four, told apart
by their `service` label.
"""

import asyncio
import logging
from collections.abc import Callable

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY
from prometheus_client.exposition import generate_latest
from sqlalchemy import text

from thidua_shared.platform.auth import Role, allow
from thidua_shared.platform.health import service_report
from thidua_shared.platform.metrics import (
    CONSUMER_ATTACHED,
    DEAD_LETTERS,
    EVENT_RETRIES,
    EVENTS_DEAD_LETTERED,
    LIVE,
    OUTBOX_OLDEST_AGE,
    OUTBOX_PENDING,
    SCRAPE_ERRORS,
)
from thidua_shared.platform.runtime import ServiceRuntime

log = logging.getLogger(__name__)

_STORED_DEAD_LETTERS = text("SELECT count(*) FROM dead_letters")
_REFRESH_TIMEOUT = 3.0

# The services of this process whose state a scrape reads, by name.
_WATCHED: dict[str, ServiceRuntime] = {}


def watch_service(service: str, runtime: ServiceRuntime) -> Callable[[], None]:
    """Has scrapes read this service's state until the returned function is called."""
    _WATCHED[service] = runtime
    for subscribed in runtime.bus.consumers():
        # Each handled type starts at zero, so a rate over it exists before the first failure.
        CONSUMER_ATTACHED.labels(service, subscribed.queue)
        EVENT_RETRIES.labels(subscribed.queue)
        EVENTS_DEAD_LETTERED.labels(subscribed.queue)

    def forget() -> None:
        if _WATCHED.get(service) is runtime:
            del _WATCHED[service]

    return forget


async def _refresh(service: str, runtime: ServiceRuntime) -> None:
    try:
        async with asyncio.timeout(_REFRESH_TIMEOUT):
            body, alive, _ = await service_report(runtime)
            async with runtime.engine.connect() as conn:
                stored = (await conn.execute(_STORED_DEAD_LETTERS)).scalar_one()
            queued = await runtime.bus.dead_letter_count(runtime.settings.queue_name)
    except Exception as exc:
        SCRAPE_ERRORS.labels(service).inc()
        LIVE.labels(service).set(0)
        log.warning("metrics of %s not read: %r", service, exc)
        return
    LIVE.labels(service).set(1 if alive else 0)
    if body["outbox"] is not None:
        OUTBOX_PENDING.labels(service).set(body["outbox"]["pending"])
        OUTBOX_OLDEST_AGE.labels(service).set(body["outbox"]["oldest_age_seconds"])
    for consumer in body["consumers"]:
        CONSUMER_ATTACHED.labels(service, consumer["queue"]).set(1 if consumer["attached"] else 0)
    DEAD_LETTERS.labels(service, "database").set(stored)
    if queued is not None:
        DEAD_LETTERS.labels(service, "broker").set(queued)


async def render() -> bytes:
    """The process's metrics, with every watched service's state read now."""
    await asyncio.gather(*(_refresh(name, runtime) for name, runtime in list(_WATCHED.items())))
    return generate_latest(REGISTRY)


def metrics_router(prefix: str) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(
        f"{prefix}/metrics",
        summary="Prometheus metrics of this process (office and integration only)",
        response_class=Response,
        dependencies=[allow(Role.OFFICE, Role.INTEGRATION)],
    )
    async def metrics() -> Response:
        return Response(await render(), media_type=CONTENT_TYPE_LATEST)

    return router
