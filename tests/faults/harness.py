"""The whole system as separate, supervised processes on RabbitMQ nodes of our own, and what a
run left behind in its databases and on the broker.

Each service serves HTTP and consumes in one process and relays its outbox in another
(`<SERVICE>_RELAY_IN_PROCESS=false` + `python -m <service> relay`); the campaigns scheduler and
the gateway are processes of their own too. Any of them may be killed and is started again
(tests.support.supervisor), and the broker node may be restarted under them.
"""

import asyncio
import functools
import itertools
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import aio_pika
import asyncpg
import httpx
from sqlalchemy.engine import make_url

from awards.main import spec as awards_spec
from pledges.main import spec as pledges_spec
from reports.main import spec as reports_spec
from tests.support.broker import BrokerNames, read_archive
from tests.support.processes import (
    SERVICES,
    free_port,
    gateway_command,
    migrated_databases,
    serve_command,
    service_command,
    system_env,
    wait_ready,
)
from tests.support.supervisor import Supervisor
from thidua_shared.contracts.envelope import Envelope

# What each consuming service takes from the exchange.
CONSUMED = {
    spec.name: frozenset(spec.handlers) for spec in (pledges_spec, reports_spec, awards_spec)
}
# The kit's own tables and the demo clock's: their rows count requests, deliveries and retries,
# not effects, so they differ between runs by design.
PLATFORM_TABLES = frozenset(
    {
        "alembic_version",
        "audit_log",
        "idempotency_keys",
        "outbox",
        "inbox",
        "dead_letters",
        "clock_offset",
    }
)
SYSTEM_ENV = {
    "THIDUA_DEMO_CLOCK": "1",
    "CAMPAIGNS_SCHEDULER_INTERVAL_SECONDS": "0.5",
    **{f"{service.upper()}_RELAY_IN_PROCESS": "false" for service in SERVICES},
}


def _numbered(name: str, index: int, count: int) -> str:
    return name if count == 1 else f"{name}.{index + 1}"


@dataclass
class FaultSystem:
    supervisor: Supervisor
    names: BrokerNames
    databases: dict[str, str]
    gateways: list[str]
    # Where each process but the gateways answers /healthz and /readyz.
    probes: dict[str, str]
    # One node's address, for the test's own look at queues and the archive.
    broker_url: str
    replicas: int

    def replicas_of(self, service: str) -> list[str]:
        return [_numbered(service, i, self.replicas) for i in range(self.replicas)]


@asynccontextmanager
async def supervised_system(
    tag: str,
    amqp_url: str,
    folder: Path,
    *,
    replicas: int = 1,
    relays: int = 1,
    schedulers: int = 1,
) -> AsyncIterator[FaultSystem]:
    """The system on fresh databases `thidua_<tag>_<service>`, with its own exchange and queues
    on the node(s) of `amqp_url` (a comma-separated list for a cluster). Gateway `i` routes to
    replica `i` of every service."""
    names = BrokerNames(exchange=f"{tag}.{uuid4().hex[:8]}.events", queue_prefix=f"{tag}.")
    databases = await migrated_databases(tag)
    env = {**system_env(names, databases, amqp_url), **SYSTEM_ENV}
    supervisor = Supervisor(folder)
    gateways = []
    # Where each process but the gateways answers /healthz and /readyz.
    probes: dict[str, str] = {}

    def add(name: str, command: Callable[[int], list[str]], probe_prefix: str = "") -> None:
        port = free_port()
        supervisor.add(name, command(port), env)
        probes[name] = f"http://127.0.0.1:{port}{probe_prefix}"

    def probed(service: str, *args: str) -> Callable[[int], list[str]]:
        return lambda port: service_command(service, *args, "--health-port", str(port))

    for index in range(replicas):
        for service in SERVICES:
            served = functools.partial(serve_command, service)
            add(_numbered(service, index, replicas), served, f"/{service}")
        port = free_port()
        upstreams = {s: probes[_numbered(s, index, replicas)].rsplit("/", 1)[0] for s in SERVICES}
        supervisor.add(_numbered("gateway", index, replicas), gateway_command(port, upstreams), env)
        gateways.append(f"http://127.0.0.1:{port}")
    for service in SERVICES:
        for index in range(relays):
            add(_numbered(f"{service}-relay", index, relays), probed(service, "relay"))
    for index in range(schedulers):
        add(_numbered("scheduler", index, schedulers), probed("campaigns", "scheduler"))
    ready = [(name, f"{url}/readyz") for name, url in probes.items()]
    ready += [
        (_numbered("gateway", i, replicas), f"{url}/healthz") for i, url in enumerate(gateways)
    ]
    broker_url = amqp_url.split(",")[0]
    async with supervisor:
        # Generous: a score of processes importing at once share two cores.
        await asyncio.gather(
            *(wait_ready(url, _process(supervisor, name), 180) for name, url in ready)
        )
        yield FaultSystem(supervisor, names, databases, gateways, probes, broker_url, replicas)


def _process(supervisor: Supervisor, name: str) -> Any:
    process = supervisor.processes[name].process
    assert process is not None
    return process


@dataclass(frozen=True)
class Snapshot:
    """What the services' databases hold: the effects, and the platform's bookkeeping."""

    tables: dict[str, dict[str, int]]
    inbox: dict[str, set[str]]
    outbox: dict[str, int]
    dead_letters: dict[str, int]


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def snapshot(databases: dict[str, str]) -> Snapshot:
    tables: dict[str, dict[str, int]] = {}
    inbox: dict[str, set[str]] = {}
    outbox: dict[str, int] = {}
    dead_letters: dict[str, int] = {}
    for service, url in databases.items():
        connection = await asyncpg.connect(_dsn(url))
        try:
            names = [
                row["tablename"]
                for row in await connection.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            tables[service] = {
                name: await connection.fetchval(f'SELECT count(*) FROM "{name}"')
                for name in sorted(set(names) - PLATFORM_TABLES)
            }
            inbox[service] = {
                str(row["event_id"]) for row in await connection.fetch("SELECT event_id FROM inbox")
            }
            outbox[service] = await connection.fetchval("SELECT count(*) FROM outbox")
            dead_letters[service] = await connection.fetchval("SELECT count(*) FROM dead_letters")
        finally:
            await connection.close()
    return Snapshot(tables, inbox, outbox, dead_letters)


@dataclass(frozen=True)
class Archive:
    """Every event the exchange carried, by id; a relay that died mid-batch published some twice."""

    types: dict[str, str]
    copies: int

    def consumed_by(self, service: str) -> set[str]:
        return {id_ for id_, type_ in self.types.items() if type_ in CONSUMED[service]}


async def archive(system: FaultSystem) -> Archive:
    bodies = await read_archive(system.names.exchange, url=system.broker_url)
    envelopes = [Envelope.model_validate_json(body) for body in bodies]
    return Archive({e.id: e.type for e in envelopes}, len(envelopes))


async def queue_depths(system: FaultSystem) -> dict[str, int]:
    """Messages waiting in every service queue and dead-letter queue (unacked ones excluded)."""
    depths = {}
    connection = await aio_pika.connect(system.broker_url)
    async with connection:
        channel = await connection.channel()
        for service in CONSUMED:
            for queue in (system.names.queue(service), f"{system.names.queue(service)}.dlq"):
                declared = await channel.declare_queue(queue, passive=True)
                depths[queue] = declared.declaration_result.message_count or 0
    return depths


@dataclass(frozen=True)
class Settled:
    seconds: float
    snapshot: Snapshot
    archive: Archive
    queues: dict[str, int]

    def missing(self) -> dict[str, set[str]]:
        """Per consumer, the events it takes that the archive holds and its inbox does not."""
        return {
            service: self.archive.consumed_by(service) - self.snapshot.inbox[service]
            for service in CONSUMED
        }


async def settle(system: FaultSystem, *, within: float = 90) -> Settled:
    """Waits until every outbox is drained, every consumer has every event it takes and no
    message waits in any queue; returns that state and how long it took to reach."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    while True:
        state = Settled(
            loop.time() - began,
            await snapshot(system.databases),
            await archive(system),
            await queue_depths(system),
        )
        drained = not any(state.snapshot.outbox.values())
        if drained and not any(state.missing().values()) and not any(state.queues.values()):
            return state
        if loop.time() - began > within:
            return state
        await asyncio.sleep(0.5)


async def liveness(system: FaultSystem) -> dict[str, Any]:
    """Every process's /healthz body, from its own port (not through the gateway)."""
    bodies: dict[str, Any] = {}
    async with httpx.AsyncClient(timeout=5) as client:
        for name, url in system.probes.items():
            try:
                response = await client.get(f"{url}/healthz")
                bodies[name] = {"code": response.status_code, **response.json()}
            except (httpx.HTTPError, ValueError) as exc:
                bodies[name] = {"code": None, "error": repr(exc)}
    return bodies


class RoundRobin(httpx.AsyncBaseTransport):
    """Sends each request to the next of several gateways, so replicas share the HTTP load."""

    def __init__(self, gateways: list[str]) -> None:
        self._targets = itertools.cycle([httpx.URL(gateway) for gateway in gateways])
        self._transport = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = next(self._targets)
        request.url = request.url.copy_with(host=target.host, port=target.port)
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._transport.aclose()


class Patient(httpx.AsyncBaseTransport):
    """Tries a request again while the service behind the gateway restarts, as an ingress with
    a retry policy does: the gateway's 503 (its answer while a service is unreachable) after
    its Retry-After pause, and a refused connection (the gateway itself restarting), for up to
    `patience` seconds. The request is resent as it was, Idempotency-Key included, so a write
    whose answer was lost is replayed, not done twice. A service restarts in about 5 s here,
    longer than the demo client's own retries last."""

    def __init__(self, inner: httpx.AsyncBaseTransport, patience: float = 30) -> None:
        self._inner = inner
        self._patience = patience
        self.retried = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self._patience
        while True:
            try:
                response = await self._inner.handle_async_request(request)
            except httpx.ConnectError:
                if time.monotonic() > deadline:
                    raise
                pause = 0.5
            else:
                if response.status_code != 503 or time.monotonic() > deadline:
                    return response
                await response.aclose()
                pause = min(1.0, float(response.headers.get("Retry-After", 1)))
            self.retried += 1
            await asyncio.sleep(pause)

    async def aclose(self) -> None:
        await self._inner.aclose()
