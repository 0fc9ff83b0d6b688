"""`/<service>/ops/dead-letters`: the office lists, shows, redrives and purges the events the
service gave up on (platform/dead_letters.py). The audit middleware records every redrive and
purge, as it does every other change; a redrive, like every POST, honours Idempotency-Key."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Query

from thidua_shared.platform.auth import Role, allow
from thidua_shared.platform.dead_letters import BrokerUnavailable, DeadLetter, DeadLetters
from thidua_shared.platform.errors import NotFound, ProblemError, Unprocessable
from thidua_shared.platform.http import IdempotentPosts, RuntimeDep
from thidua_shared.platform.inprocess import InProcessBus
from thidua_shared.platform.runtime import ServiceRuntime

Endpoint = Callable[..., Awaitable[dict[str, Any]]]


class Unavailable(ProblemError):
    status = 503
    title = "Service unavailable"
    code = "broker-unavailable"
    headers = {"Retry-After": "5"}  # noqa: RUF012


@asynccontextmanager
async def _dead_letters(runtime: ServiceRuntime) -> AsyncIterator[DeadLetters]:
    # The in-process bus (all-in-one) takes a stored dead letter back itself; on RabbitMQ the
    # copy goes through the broker.
    bus = runtime.bus
    in_process = bus.redeliver if isinstance(bus, InProcessBus) else None
    try:
        async with runtime.driver_pool.acquire() as connection:
            yield DeadLetters(runtime.settings, connection, in_process)
    except BrokerUnavailable as exc:
        raise Unavailable(f"The broker did not answer: {exc}.") from exc


def _found(event_id: str, letters: list[DeadLetter]) -> list[DeadLetter]:
    if not letters:
        raise NotFound(f"No dead letter has the event id {event_id}.", field="event_id")
    return letters


def _done(action: str, letters: list[DeadLetter]) -> dict[str, Any]:
    return {action: len(letters), "dead_letters": [letter.summary() for letter in letters]}


def add_dead_letter_routes(router: APIRouter, prefix: str) -> None:
    """Onto the operations router (platform/health.py), so whoever lists its routes, the
    access matrix test among them, sees these too."""
    base = f"{prefix}/ops/dead-letters"
    office = [allow(Role.OFFICE)]

    @router.get(
        base,
        summary="Events this service gave up on: how many, and the first of them",
        dependencies=office,
    )
    async def list_dead_letters(
        runtime: RuntimeDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> dict[str, Any]:
        async with _dead_letters(runtime) as dead_letters:
            counts = await dead_letters.counts()
            # A broker that does not answer leaves the stored ones to list, and a null count.
            listed = await dead_letters.browse(limit, broker=counts.broker is not None)
        return {
            "broker_dead_letter_queue": counts.broker,
            "stored": counts.stored,
            "dead_letters": [letter.summary() for letter in listed],
        }

    @router.get(
        f"{base}/{{event_id}}",
        summary="A dead letter as it travelled: its envelope and the broker's headers",
        dependencies=office,
    )
    async def show_dead_letter(runtime: RuntimeDep, event_id: str) -> dict[str, Any]:
        async with _dead_letters(runtime) as dead_letters:
            letters = _found(event_id, await dead_letters.browse(1000, {event_id}))
        return {"event_id": event_id, "dead_letters": [letter.shown() for letter in letters]}

    def post(path: str, summary: str) -> Callable[[Endpoint], Endpoint]:
        # Every POST honours Idempotency-Key (platform/http.py); the operations router has no
        # route class of its own, so these name it.
        def register(endpoint: Endpoint) -> Endpoint:
            router.add_api_route(
                path,
                endpoint,
                methods=["POST"],
                summary=summary,
                dependencies=office,
                route_class_override=IdempotentPosts,
            )
            return endpoint

        return register

    @post(
        f"{base}/redrive",
        "Send every dead letter back to this service's queue (the inbox skips repeats)",
    )
    async def redrive_all(runtime: RuntimeDep) -> dict[str, Any]:
        async with _dead_letters(runtime) as dead_letters:
            return _done("redriven", await dead_letters.redrive(None))

    @post(
        f"{base}/{{event_id}}/redrive", "Send one event's dead letters back to this service's queue"
    )
    async def redrive_one(runtime: RuntimeDep, event_id: str) -> dict[str, Any]:
        async with _dead_letters(runtime) as dead_letters:
            return _done("redriven", _found(event_id, await dead_letters.redrive({event_id})))

    @router.delete(
        base,
        summary="Remove every dead letter for good (confirm=true)",
        dependencies=office,
    )
    async def purge_all(runtime: RuntimeDep, confirm: bool = False) -> dict[str, Any]:
        if not confirm:
            raise Unprocessable(
                "Purging removes every dead letter for good: send confirm=true.", field="confirm"
            )
        async with _dead_letters(runtime) as dead_letters:
            return _done("purged", await dead_letters.purge(None))

    @router.delete(
        f"{base}/{{event_id}}",
        summary="Remove one event's dead letters for good",
        dependencies=office,
    )
    async def purge_one(runtime: RuntimeDep, event_id: str) -> dict[str, Any]:
        async with _dead_letters(runtime) as dead_letters:
            return _done("purged", _found(event_id, await dead_letters.purge({event_id})))
