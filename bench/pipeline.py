"""Pipeline benchmark: HTTP → database + outbox → relay → RabbitMQ → idempotent consumer.

    uv run python bench/pipeline.py [--events 20000] [--clients 64]

Runs, in one go and against the local PostgreSQL and RabbitMQ: the baseline (a bare FastAPI
endpoint inserting one row with asyncpg, publishing nothing) and then the pipeline built from the
platform kit (a producer service with the outbox and relay, a consumer service with the inbox,
each its own process). Prints sustained events per second, the ratio to the baseline, and the
lag from the producer's commit to the consumer's commit.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import aio_pika
import asyncpg
import httpx
from fastapi import APIRouter, FastAPI
from sqlalchemy import BigInteger, Column, DateTime, Float, Identity, MetaData, Table, Text, Uuid
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from driver_writer import DriverWriterDep  # noqa: E402
from loadgen import post_many  # noqa: E402

from thidua_shared.contracts.envelope import Envelope, EventData  # noqa: E402
from thidua_shared.platform.app import ServiceSpec, create_service_app, run_relay  # noqa: E402
from thidua_shared.platform.auth import PUBLIC  # noqa: E402
from thidua_shared.platform.consumer import HandlerSpec  # noqa: E402
from thidua_shared.platform.db import OUTBOX_NOTIFY_DDL, define_platform_tables  # noqa: E402
from thidua_shared.platform.outbox import driver_connection, event_envelope  # noqa: E402
from thidua_shared.platform.settings import ServiceSettings  # noqa: E402

SERVER = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
AMQP = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")


class BenchHappened(EventData):
    event_type = "bench.happened"
    seq: int
    produced_at: float


def database_url(name: str, driver: str = "postgresql+asyncpg") -> str:
    return SERVER.rsplit("/", 1)[0].replace("postgresql+asyncpg", driver) + f"/{name}"


metadata = MetaData()
define_platform_tables(metadata)
Table(
    "items",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("payload", Text, nullable=False),
)
Table(
    "effects",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("produced_at", Float, nullable=False),
    Column(
        "consumed_at",
        DateTime(timezone=True),
        nullable=False,
        server_default=sql("clock_timestamp()"),
    ),
)

router = APIRouter()


# Public: the baseline verifies no token either.
@router.post("/events", status_code=201, dependencies=[PUBLIC])
async def produce(body: dict[str, int], writer: DriverWriterDep) -> dict[str, bool]:
    # The same one-row asyncpg insert as the baseline, committed with its outbox row by the
    # kit, so the comparison isolates what the outbox, relay, broker and consumer cost.
    event = event_envelope(
        BenchHappened(seq=body["seq"], produced_at=time.time()),
        source="/bench/producer",
        subject=None,
    )
    await writer.execute_with_events(
        "INSERT INTO items (payload) VALUES ($1)", str(body["seq"]), events=[event]
    )
    return {"ok": True}


async def consume(session: AsyncSession, payload: BenchHappened, envelope: Envelope) -> None:
    driver = await driver_connection(session)
    assert driver is not None, "the inbox claim has begun the transaction"
    await driver.execute(
        "INSERT INTO effects (event_id, seq, produced_at) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        envelope.id,
        payload.seq,
        payload.produced_at,
    )


def _settings(name: str) -> ServiceSettings:
    settings = ServiceSettings(
        service_name=name,
        database_url=database_url(f"thidua_bench_{name}"),
        amqp_url=AMQP,
        exchange=os.environ["BENCH_EXCHANGE"],
        queue_prefix=os.environ["BENCH_PREFIX"],
        consumer_prefetch=200,
        db_pool_size=20,
        relay_batch_size=500,
        relay_poll_seconds=1.0,
        auth_signing_key="bench-has-no-callers-with-tokens",
        relay_in_process=os.environ.get("BENCH_RELAY", "process") != "process",
    )
    # The services' own lingers unless the environment names others to try.
    if "BENCH_RELAY_LINGER" in os.environ:
        settings.relay_linger_seconds = float(os.environ["BENCH_RELAY_LINGER"])
    if "BENCH_CONSUMER_LINGER" in os.environ:
        settings.consumer_linger_seconds = float(os.environ["BENCH_CONSUMER_LINGER"])
    return settings


def _spec(name: str, routers: list[APIRouter], handlers: dict[str, HandlerSpec]) -> ServiceSpec:
    return ServiceSpec(
        name=name,
        title=name,
        description="benchmark",
        routers=routers,
        handlers=handlers,
        settings_factory=lambda: _settings(name),
        migrations=ROOT,
        audited=False,
    )


def baseline_app() -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(
            database_url("thidua_bench_baseline", "postgresql"), min_size=20, max_size=20
        )
        yield
        await app.state.pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.post("/bench/items", status_code=201)
    async def insert(body: dict[str, int]) -> dict[str, bool]:
        await app.state.pool.execute("INSERT INTO items (payload) VALUES ($1)", str(body["seq"]))
        return {"ok": True}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def serve(role: str, port: int) -> None:
    import uvicorn
    import uvloop

    if role == "relay":
        uvloop.run(run_relay(_settings("bench")))
        return
    if role == "baseline":
        app = baseline_app()
    elif role == "producer":
        app = create_service_app(_spec("bench", [router], {}))
    else:
        app = create_service_app(
            _spec("consumer", [], {"bench.happened": HandlerSpec(BenchHappened, consume)})
        )
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        access_log=False,
        log_level="warning",
        loop="uvloop",
        http="httptools",
    )


async def fresh_database(name: str) -> None:
    admin = await asyncpg.connect(database_url("postgres", "postgresql"))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    engine = create_async_engine(database_url(name))
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        for statement in OUTBOX_NOTIFY_DDL:
            await conn.exec_driver_sql(statement)
    await engine.dispose()


ROLES: dict[int, str] = {}


def _cpu_seconds() -> dict[str, float]:
    """CPU time per component: our processes by role, PostgreSQL, RabbitMQ, the load generator."""
    import psutil

    totals: dict[str, float] = {}
    for process in psutil.process_iter(["pid", "name", "cmdline"]):
        try:
            times = process.cpu_times()
            name = process.info["name"] or ""
        except psutil.Error:
            continue
        if process.info["pid"] in ROLES:
            role = ROLES[process.info["pid"]]
        elif name.startswith("postgres"):
            role = "postgresql"
        elif name.startswith("beam"):
            role = "rabbitmq"
        elif process.info["pid"] == os.getpid():
            role = "load generator"
        else:
            continue
        totals[role] = totals.get(role, 0.0) + times.user + times.system
    return totals


def _cpu_report(before: dict[str, float], after: dict[str, float], events: int) -> str:
    used = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    parts = [
        f"{k} {v / events * 1000:.2f}"
        for k, v in sorted(used.items(), key=lambda kv: -kv[1])
        if v > 0.01
    ]
    return "CPU ms per event: " + ", ".join(parts)


@asynccontextmanager
async def _server(role: str, port: int, env: dict[str, str]) -> AsyncIterator[None]:
    process = subprocess.Popen([sys.executable, __file__, "serve", role, str(port)], env=env)
    ROLES[process.pid] = role
    if role == "relay":
        try:
            yield
        finally:
            process.terminate()
            process.wait()
        return
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
        yield
    finally:
        process.terminate()
        process.wait()


async def _consumed(after_seq: int) -> list[Any]:
    conn = await asyncpg.connect(database_url("thidua_bench_consumer", "postgresql"))
    try:
        rows: list[Any] = await conn.fetch(
            "SELECT seq, produced_at, extract(epoch FROM consumed_at) AS at "
            "FROM effects WHERE seq >= $1",
            after_seq,
        )
        return rows
    finally:
        await conn.close()


async def _wait_consumed(after_seq: int, count: int, timeout: float = 300) -> list[Any]:
    deadline = time.monotonic() + timeout
    while len(rows := await _consumed(after_seq)) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(rows)} of {count} events consumed")
        await asyncio.sleep(0.25)
    return rows


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def run(events: int, clients: int, warmup: int) -> None:
    tag = uuid4().hex[:8]
    env = {**os.environ, "BENCH_EXCHANGE": f"bench.{tag}.events", "BENCH_PREFIX": f"bench.{tag}."}
    os.environ.update(env)
    for name in ("baseline", "bench", "consumer"):
        await fresh_database(f"thidua_bench_{name}")
    print(
        f"{events} events, {clients} concurrent clients, {os.cpu_count()} cores; "
        "broker, database, services and load generator share this machine"
    )

    async with _server("baseline", 8791, env):
        await post_many("127.0.0.1", 8791, "/bench/items", warmup, clients, lambda i: {"seq": i})
        cpu_before = _cpu_seconds()
        base = await post_many(
            "127.0.0.1", 8791, "/bench/items", events, clients, lambda i: {"seq": i}
        )
        base_cpu = _cpu_report(cpu_before, _cpu_seconds(), events)
    print(
        f"baseline  bare FastAPI + asyncpg insert: {base.rate:8.0f} req/s "
        f"(p99 {_pct(base.latencies, 99) * 1000:.0f} ms, errors {base.errors})"
    )
    print(f"          {base_cpu}")

    relay_process = os.environ.get("BENCH_RELAY", "process") == "process"
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(_server("consumer", 8793, env))
        await stack.enter_async_context(_server("producer", 8792, env))
        if relay_process:
            await stack.enter_async_context(_server("relay", 0, env))
        await post_many(
            "127.0.0.1", 8792, "/bench/events", warmup, clients, lambda i: {"seq": -1 - i}
        )
        await _wait_consumed(-warmup, warmup)
        cpu_before = _cpu_seconds()
        load = await post_many(
            "127.0.0.1", 8792, "/bench/events", events, clients, lambda i: {"seq": i}
        )
        rows = await _wait_consumed(0, events)
        pipeline_cpu = _cpu_report(cpu_before, _cpu_seconds(), events)
    finished = max(r["at"] for r in rows)
    sustained = events / (float(finished) - load.started_at)
    lags = [float(r["at"]) - r["produced_at"] for r in rows]
    print(
        f"pipeline  HTTP → outbox → relay → RabbitMQ → inbox: {sustained:8.0f} events/s "
        f"end to end ({load.rate:.0f} req/s accepted, errors {load.errors})"
    )
    print(f"          ratio to baseline: {sustained / base.rate:.2f}×")
    print(
        f"          lag commit→consumer commit: p50 {_pct(lags, 50) * 1000:.0f} ms, "
        f"p99 {_pct(lags, 99) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms"
    )
    print(f"          {pipeline_cpu}")
    await _cleanup(env)


async def _cleanup(env: dict[str, str]) -> None:
    connection = await aio_pika.connect(AMQP)
    async with connection:
        channel = await connection.channel()
        prefix, exchange = env["BENCH_PREFIX"], env["BENCH_EXCHANGE"]
        for queue in (f"{prefix}consumer", f"{prefix}consumer.dlq", f"{exchange}.archive"):
            await channel.queue_delete(queue)
        for name in (exchange, f"{exchange}.dlx"):
            await channel.exchange_delete(name)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=1_000)
    args = parser.parse_args()
    import uvloop

    uvloop.run(run(args.events, args.clients, args.warmup))


if __name__ == "__main__":
    main()
