"""The four services as separate processes on the real broker and database, plus the gateway."""

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.broker import BrokerNames
from thidua_shared.testing import AMQP_URL, TEST_SIGNING_KEY, fresh_database

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("campaigns", "pledges", "reports", "awards")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningSystem:
    gateway: str
    databases: dict[str, str]
    service_urls: dict[str, str]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)


async def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient() as client:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
            try:
                if (await client.get(url, timeout=2)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{url} not ready after {timeout}s")
            await asyncio.sleep(0.2)


def system_env(
    names: BrokerNames, databases: dict[str, str], amqp_url: str = AMQP_URL
) -> dict[str, str]:
    env = {
        **os.environ,
        "THIDUA_AMQP_URL": amqp_url,
        "THIDUA_EVENTS_EXCHANGE": names.exchange,
        "THIDUA_QUEUE_PREFIX": names.queue_prefix,
        "THIDUA_AUTH_SIGNING_KEY": TEST_SIGNING_KEY,
    }
    for service, url in databases.items():
        env[f"{service.upper()}_DATABASE_URL"] = url
        env[f"{service.upper()}_RELAY_POLL_SECONDS"] = "0.2"
    return env


async def _run_to_end(args: list[str], env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(*args, cwd=ROOT, env=env)
    if await process.wait() != 0:
        raise RuntimeError(f"{args} failed with {process.returncode}")


async def migrated_databases(tag: str) -> dict[str, str]:
    """A fresh database per service, `thidua_<tag>_<service>`, migrated by the service's CLI."""
    databases = {s: await fresh_database(f"thidua_{tag}_{s}") for s in SERVICES}
    env = {**os.environ, **{f"{s.upper()}_DATABASE_URL": url for s, url in databases.items()}}
    await asyncio.gather(
        *(_run_to_end([sys.executable, "-m", s, "migrate"], env) for s in SERVICES)
    )
    return databases


def service_command(service: str, *args: str) -> list[str]:
    """`python -m <service> <args>`: serve, relay, scheduler, …"""
    return [sys.executable, "-m", service, *args]


def serve_command(service: str, port: int) -> list[str]:
    return service_command(service, "serve", "--port", str(port))


def gateway_command(port: int, upstreams: dict[str, str]) -> list[str]:
    routes = [arg for s, url in upstreams.items() for arg in ("--upstream", f"{s}={url}")]
    return [sys.executable, "-m", "thidua_local", "gateway", "--port", str(port), *routes]


@asynccontextmanager
async def running_system(
    names: BrokerNames, tag: str, extra_env: dict[str, str] | None = None
) -> AsyncIterator[RunningSystem]:
    databases = await migrated_databases(tag)
    env = {**system_env(names, databases), **(extra_env or {})}
    ports = {s: free_port() for s in SERVICES}
    urls = {s: f"http://127.0.0.1:{p}" for s, p in ports.items()}
    gateway_port = free_port()
    system = RunningSystem(f"http://127.0.0.1:{gateway_port}", databases, urls)
    try:
        for service, port in ports.items():
            system.processes[service] = subprocess.Popen(
                serve_command(service, port), cwd=ROOT, env=env
            )
        system.processes["gateway"] = subprocess.Popen(
            gateway_command(gateway_port, urls), cwd=ROOT, env=env
        )
        await asyncio.gather(
            *(wait_ready(f"{urls[s]}/readyz", system.processes[s]) for s in SERVICES),
            wait_ready(f"{system.gateway}/healthz", system.processes["gateway"]),
        )
        yield system
    finally:
        for process in system.processes.values():
            process.terminate()
        for process in system.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
