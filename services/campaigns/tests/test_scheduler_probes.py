"""The standalone scheduler's probes: alive while its steps keep finishing, ready while they
reach the database, and `--help` that only helps."""

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from campaigns.main import spec
from thidua_shared.testing import database_url, migrated_database


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _scheduler(database: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CAMPAIGNS_DATABASE_URL": database,
        "CAMPAIGNS_SCHEDULER_INTERVAL_SECONDS": "0.2",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "campaigns", "scheduler", "--health-port", str(port)], env=env
    )


@pytest.fixture
def stopping() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        process.terminate()
        process.wait(10)


async def _get(client: httpx.AsyncClient, path: str) -> httpx.Response:
    async with asyncio.timeout(30):
        while True:
            try:
                return await client.get(path)
            except httpx.ConnectError:
                await asyncio.sleep(0.2)


async def test_a_scheduler_on_its_database_is_alive_and_ready(
    stopping: list[subprocess.Popen[bytes]],
) -> None:
    database = await migrated_database(spec, "thidua_test_scheduler_probes")
    port = _free_port()
    stopping.append(_scheduler(database, port))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        alive = await _get(client, "/healthz")
        assert alive.status_code == 200, alive.text
        assert alive.json()["seconds_since_last_step"] < 5
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text


async def test_a_scheduler_without_its_database_is_alive_but_not_ready(
    stopping: list[subprocess.Popen[bytes]],
) -> None:
    port = _free_port()
    stopping.append(_scheduler(database_url("thidua_test_no_such_database"), port))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        await _get(client, "/healthz")
        async with asyncio.timeout(10):
            while (ready := await client.get("/readyz")).status_code != 503:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
        assert "does not exist" in ready.json()["last_error"]
        # A restart would not create the database: liveness holds.
        assert (await client.get("/healthz")).status_code == 200


def test_scheduler_help_lists_its_options_and_starts_nothing() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "campaigns", "scheduler", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "--health-port" in shown.stdout
