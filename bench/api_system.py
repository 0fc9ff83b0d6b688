"""The processes of the API benchmark: the four services (`python -m <service> serve`), their
relays (`python -m <service> relay`, or inside `serve`), the gateway (`python -m thidua_local
gateway`) and a bare FastAPI app, on fresh migrated databases and the run's own exchange and
queue names; and the CPU each of them (and PostgreSQL, RabbitMQ, the load generator) used."""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import aio_pika

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.processes import (  # noqa: E402
    SERVICES,
    free_port,
    gateway_command,
    migrated_databases,
    serve_command,
    service_command,
    wait_ready,
)
from thidua_shared.testing import AMQP_URL, TEST_AUDIT_KEY, TEST_SIGNING_KEY  # noqa: E402

BARE_APP = Path(__file__).with_name("bare_app.py")


@dataclass
class System:
    relay: str  # "process" or "inprocess"
    exchange: str
    queue_prefix: str
    databases: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    log: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "thidua-bench-api.log")

    def port(self, name: str) -> int:
        return self.ports[name]


def _env(system: System, extra: dict[str, str]) -> dict[str, str]:
    env = {
        **os.environ,
        "THIDUA_AMQP_URL": AMQP_URL,
        "THIDUA_EVENTS_EXCHANGE": system.exchange,
        "THIDUA_QUEUE_PREFIX": system.queue_prefix,
        "THIDUA_AUTH_SIGNING_KEY": TEST_SIGNING_KEY,
        "THIDUA_AUDIT_KEY": TEST_AUDIT_KEY,
        **extra,
    }
    for service, url in system.databases.items():
        env[f"{service.upper()}_DATABASE_URL"] = url
        env[f"{service.upper()}_RELAY_IN_PROCESS"] = str(system.relay == "inprocess").lower()
    return env


def _start(system: System, name: str, command: list[str], env: dict[str, str]) -> None:
    # Their logs (the gateway's line per proxied request among them) go to one file.
    log = system.log.open("ab")
    system.processes[name] = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()


@asynccontextmanager
async def running(relay: str, *, extra_env: dict[str, str] | None = None) -> AsyncIterator[System]:
    """Everything started and ready; stopped, and the run's queues removed, on leaving."""
    tag = uuid4().hex[:8]
    system = System(relay, f"bench.{tag}.events", f"bench.{tag}.")
    system.log.write_bytes(b"")
    system.databases = await migrated_databases("bench_api")
    env = _env(system, extra_env or {})
    system.ports = {name: free_port() for name in (*SERVICES, "gateway", "bare")}
    urls = {s: f"http://127.0.0.1:{system.ports[s]}" for s in SERVICES}
    try:
        for service in SERVICES:
            command = serve_command(service, system.ports[service])
            _start(system, service, command, env)
            if relay == "process":
                _start(system, f"{service} relay", service_command(service, "relay"), env)
        _start(system, "gateway", gateway_command(system.ports["gateway"], urls), env)
        bare = [sys.executable, str(BARE_APP), str(system.ports["bare"])]
        _start(system, "bare", bare, env)
        probes = {s: f"{urls[s]}/readyz" for s in SERVICES}
        probes.update(
            {s: f"http://127.0.0.1:{system.ports[s]}/healthz" for s in ("gateway", "bare")}
        )
        await asyncio.gather(*(wait_ready(url, system.processes[s]) for s, url in probes.items()))
        yield system
    finally:
        for process in system.processes.values():
            process.terminate()
        for process in system.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        await _remove_queues(system)


async def _remove_queues(system: System) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        queues = [f"{system.queue_prefix}{s}" for s in SERVICES]
        for queue in [*queues, *(f"{q}.dlq" for q in queues), f"{system.exchange}.archive"]:
            await channel.queue_delete(queue)
        for exchange in (system.exchange, f"{system.exchange}.dlx"):
            await channel.exchange_delete(exchange)


def cpu_seconds(system: System) -> dict[str, float]:
    """CPU time so far of each of our processes (with their children), PostgreSQL, RabbitMQ
    and this load generator."""
    import psutil

    roles = {p.pid: name for name, p in system.processes.items()}
    totals: dict[str, float] = {}
    for process in psutil.process_iter(["pid", "name", "ppid"]):
        try:
            times = process.cpu_times()
            name = process.info["name"] or ""
            pid, parent = process.info["pid"], process.info["ppid"]
        except psutil.Error:
            continue
        if pid in roles or parent in roles:
            role = roles.get(pid) or roles[parent]
        elif name.startswith("postgres"):
            role = "postgresql"
        elif name.startswith("beam"):
            role = "rabbitmq"
        elif pid == os.getpid():
            role = "load generator"
        else:
            continue
        totals[role] = totals.get(role, 0.0) + times.user + times.system
    return totals


def cpu_per_request(before: dict[str, float], after: dict[str, float], count: int) -> str:
    used = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    parts = [
        f"{k} {v / count * 1000:.2f}"
        for k, v in sorted(used.items(), key=lambda kv: -kv[1])
        if v / count > 0.00001
    ]
    return "CPU ms per request: " + ", ".join(parts)


@contextmanager
def sampled(system: System, service: str, label: str) -> Iterator[Path]:
    """py-spy (from PyPI, run with uvx) samples `<service> serve` while the block runs; the
    collapsed stacks are written to the returned file when it ends."""
    out = system.log.with_name(f"thidua-bench-profile-{service}-{label}.txt")
    pid = str(system.processes[service].pid)
    command = ["uvx", "py-spy", "record", "--nonblocking", "-r", "100", "-f", "raw",
               "-o", str(out), "--pid", pid]  # fmt: skip
    log = system.log.open("ab")
    spy = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    try:
        yield out
    finally:
        spy.send_signal(signal.SIGINT)
        try:
            spy.wait(60)
        except subprocess.TimeoutExpired:
            spy.kill()
