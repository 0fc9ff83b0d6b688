"""Run the example subscribers in examples/ as child processes, as a department would run them."""

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from thidua_shared.testing import AMQP_URL

ROOT = Path(__file__).resolve().parents[2]
PYTHON_EXAMPLE = ROOT / "examples" / "python-subscriber"
NODE_EXAMPLE = ROOT / "examples" / "node-subscriber"
LANGUAGES = ("python", "node")
NODE_MAJOR = 20
READY_TIMEOUT = 30.0
EXIT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def node_command() -> list[str]:
    """Installs the example's pinned dependencies when missing; fails (never skips) without node."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(
            f"Node.js {NODE_MAJOR}+ with npm is needed for examples/node-subscriber "
            "(Debian: apt-get install nodejs npm, or https://nodejs.org).",
            pytrace=False,
        )
    version = subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < NODE_MAJOR:
        pytest.fail(f"examples/node-subscriber needs Node.js {NODE_MAJOR}+, found {version}.")
    if not (NODE_EXAMPLE / "node_modules").is_dir():
        installed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=NODE_EXAMPLE,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if installed.returncode != 0:
            pytest.fail(f"npm ci in {NODE_EXAMPLE} failed:\n{installed.stderr}", pytrace=False)
    return [node, str(NODE_EXAMPLE / "subscriber.js")]


def command(language: str) -> list[str]:
    if language == "node":
        return node_command()
    # The workspace interpreter has the example's two requirements (aio-pika, cloudevents).
    return [sys.executable, str(PYTHON_EXAMPLE / "subscriber.py")]


class RunningSubscriber:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self.banner = ""

    async def wait_until_listening(self) -> None:
        """The queue is declared and bound once the program says it is listening (on stderr)."""
        assert self._process.stderr is not None
        seen: list[str] = []
        deadline = asyncio.get_running_loop().time() + READY_TIMEOUT
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"subscriber not listening after {READY_TIMEOUT}s: {seen}")
            line = await asyncio.wait_for(self._process.stderr.readline(), remaining)
            if not line:
                await self._process.wait()
                raise AssertionError(
                    f"subscriber exited with {self._process.returncode} before listening: {seen}"
                )
            text = line.decode("utf-8")
            seen.append(text)
            if text.startswith("listening on "):
                self.banner = text
                return

    async def printed_lines(self) -> AsyncIterator[str]:
        """What the subscriber prints, line by line, while it runs."""
        assert self._process.stdout is not None
        async for line in self._process.stdout:
            yield line.decode("utf-8")

    async def finished(self) -> Finished:
        stdout, stderr = await asyncio.wait_for(self._process.communicate(), EXIT_TIMEOUT)
        assert self._process.returncode is not None
        return Finished(
            self._process.returncode, stdout.decode("utf-8"), self.banner + stderr.decode("utf-8")
        )


@asynccontextmanager
async def subscriber(
    language: str, *, exchange: str, queue: str, arguments: Sequence[str] = ()
) -> AsyncIterator[RunningSubscriber]:
    env = {
        **os.environ,
        "THIDUA_AMQP_URL": AMQP_URL,
        "THIDUA_EVENTS_EXCHANGE": exchange,
        "THIDUA_DEPT_QUEUE": queue,
        "PYTHONIOENCODING": "utf-8",
    }
    process = await asyncio.create_subprocess_exec(
        *command(language),
        *arguments,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        # nominations.compiled carries every nomination: far longer than the default line limit.
        limit=64 * 1024 * 1024,
    )
    running = RunningSubscriber(process)
    try:
        await running.wait_until_listening()
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
