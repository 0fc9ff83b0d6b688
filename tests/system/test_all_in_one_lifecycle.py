"""`thidua up` as an operator handles it: it refuses a port in use before claiming to be up,
its services' own commands reach it with `--data-dir`, and SIGTERM or SIGHUP stop it whole,
its embedded PostgreSQL included."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.support.processes import ROOT, free_port

pytestmark = pytest.mark.system

_UP = (sys.executable, "-m", "thidua_local", "up")
_TOKEN = ("-m", "thidua_local", "token", "--role", "office")
_SERVICES_AND_MIGRATIONS = {"campaigns", "pledges", "reports", "awards", "alembic"}


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("THIDUA_") and not k.endswith("_DATABASE_URL")
    }


def _servers_of(data_dir: Path) -> list[psutil.Process]:
    """The PostgreSQL servers running on this data folder."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and str(data_dir / "pgdata") in cmdline:
            found.append(process)
    return found


def _up(data_dir: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*_UP, "--port", str(port), "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def _until_up(process: subprocess.Popen[str], port: int) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(900):
            assert process.poll() is None, "thidua up exited"
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
    raise AssertionError("thidua up did not come up")


def _gone(data_dir: Path, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _servers_of(data_dir):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "thidua-data"
    for leftover in _servers_of(tmp_path / "thidua-data"):
        leftover.kill()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGHUP])
async def test_a_signal_stops_thidua_up_and_its_database(
    data_dir: Path, stop_signal: signal.Signals
) -> None:
    port = free_port()
    up = _up(data_dir, port)
    try:
        await _until_up(up, port)
        assert _servers_of(data_dir), "the embedded database should be running"

        if stop_signal == signal.SIGTERM:
            verified = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "campaigns", "audit-verify", "--data-dir", str(data_dir)],
                cwd=ROOT,
                env=_clean_env(),
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert verified.returncode == 0, verified.stderr
            assert "audit trail intact" in verified.stdout

            second = await asyncio.to_thread(
                subprocess.run,
                [*_UP, "--port", str(port), "--data-dir", str(data_dir)],
                cwd=ROOT,
                env=_clean_env(),
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode != 0
            assert "in use" in second.stderr
            assert "thidua is up" not in second.stdout

        up.send_signal(stop_signal)
        up.wait(30)
    finally:
        if up.poll() is None:
            up.kill()
    assert _gone(data_dir), "the embedded PostgreSQL outlived thidua up"


def test_the_cli_lists_its_commands_and_a_token_comes_quick_and_quiet(tmp_path: Path) -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "thidua_local", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for command in ("up", "migrate", "gateway", "token", "demo", "asyncapi", "api-docs"):
        assert f"    {command}" in shown, shown
    token = subprocess.run(
        [sys.executable, *_TOKEN, "--data-dir", str(tmp_path)],
        cwd=ROOT,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert token.stderr == ""
    assert token.stdout.count(".") == 2  # one JWT, nothing else
    # Fast: it loads no service and no migration tool (a wall-clock bound would measure the
    # machine's load, not the command).
    imported = subprocess.run(
        [sys.executable, "-X", "importtime", *_TOKEN, "--data-dir", str(tmp_path)],
        cwd=ROOT,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    modules = {line.rsplit("|", 1)[-1].strip() for line in imported.splitlines()}
    heavy = {m for m in modules if m.split(".")[0] in _SERVICES_AND_MIGRATIONS}
    assert not heavy, f"thidua token imports {sorted(heavy)[:5]}"
