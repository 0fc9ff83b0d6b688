"""The system the browser drives: `thidua up` as its own process, on a free port and its own
data directory, in the demo mode (so the console's development login is on), and the 2018 demo
played against it."""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tests.support.processes import ROOT, free_port, wait_ready

# The embedded PostgreSQL, every service's migrations and the console start in one process: on
# a busy two-CPU machine that takes well over the minute a service alone is given.
STARTUP_SECONDS = 180
# The demo takes about 40 s on an idle machine; the browser tests share the CPUs with it.
DEMO_SECONDS = 360


@dataclass(frozen=True)
class AllInOne:
    url: str
    data_dir: Path


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test run's environment without its THIDUA_ and database settings, which point at the
    shared test servers: `thidua up` must make its own, as it does for a newcomer."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("THIDUA_") and not k.endswith("_DATABASE_URL")
    }
    return {**env, **(extra or {})}


def thidua(*args: str) -> list[str]:
    """`uv run thidua <args>`, with the interpreter of the test run's environment."""
    return [sys.executable, "-m", "thidua_local", *args]


@asynccontextmanager
async def all_in_one(
    data_dir: Path,
    *,
    demo: bool = True,
    extra_env: dict[str, str] | None = None,
    log: IO[bytes] | None = None,
) -> AsyncIterator[AllInOne]:
    """`thidua up` until the block ends; in the demo mode unless told otherwise. Its output goes
    to `log` when given (the test run captures it otherwise)."""
    port = free_port()
    mode = "--demo-clock" if demo else "--no-demo-clock"
    process = subprocess.Popen(
        thidua("up", "--port", str(port), "--data-dir", str(data_dir), mode),
        cwd=ROOT,
        env=clean_env(extra_env),
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(f"{url}/healthz", process, timeout=STARTUP_SECONDS)
        yield AllInOne(url, data_dir)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


async def play_demo(system: AllInOne, out_dir: Path) -> str:
    """`thidua demo` against the system, as the README has a newcomer run it; its output."""
    demo = await asyncio.create_subprocess_exec(
        *thidua("demo", "--url", system.url, "--data-dir", str(system.data_dir)),
        *("--out", str(out_dir)),
        cwd=ROOT,
        env=clean_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(demo.communicate(), DEMO_SECONDS)
    printed = output.decode("utf-8")
    if demo.returncode != 0:
        raise RuntimeError(f"thidua demo failed with {demo.returncode}:\n{printed}")
    return printed
