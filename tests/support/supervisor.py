"""Processes kept running the way an orchestrator keeps them: a process that dies is started
again after a short pause, whatever killed it.

The harness kills on purpose with SIGKILL (a crash, an OOM kill, a power cut), optionally
arming fault points for the process's next starts: an armed point stays armed across restarts
until the report file shows this process reached it (see `thidua_shared.platform.faults`),
so a window that is rarely reached is never silently skipped by an unrelated restart.
"""

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from thidua_shared.platform.faults import ENV_POINTS, ENV_REPORT

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class FaultHit:
    point: str
    process: str
    pid: int


@dataclass
class Supervised:
    name: str
    command: Sequence[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    armed: set[str] = field(default_factory=set)
    pids: list[int] = field(default_factory=list)
    kills: int = 0
    # Exit codes of the deaths nobody here caused: not our SIGKILL, not an armed fault point.
    unexpected_exits: list[int] = field(default_factory=list)
    restarting: bool = False

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Supervisor:
    def __init__(self, folder: Path, *, restart_after: float = 0.7) -> None:
        self.folder = folder
        self.report = folder / "fault-points.report"
        self.restart_after = restart_after
        self.processes: dict[str, Supervised] = {}
        self._watcher: asyncio.Task[None] | None = None
        self._restarts: set[asyncio.Task[None]] = set()
        self._stopping = False
        self._killed_pids: set[int] = set()

    def add(self, name: str, command: Sequence[str], env: dict[str, str]) -> Supervised:
        supervised = Supervised(
            name, command, {**env, ENV_REPORT: str(self.report)}, self.folder / f"{name}.log"
        )
        self.processes[name] = supervised
        return supervised

    def _start(self, supervised: Supervised) -> None:
        env = dict(supervised.env)
        if supervised.armed:
            env[ENV_POINTS] = ",".join(sorted(supervised.armed))
        with supervised.log.open("ab") as log:
            log.write(f"--- {_now()} start, armed: {sorted(supervised.armed)}\n".encode())
            log.flush()
            supervised.process = subprocess.Popen(
                supervised.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        supervised.pids.append(supervised.process.pid)

    async def __aenter__(self) -> "Supervisor":
        for supervised in self.processes.values():
            self._start(supervised)
        self._watcher = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_all()

    async def stop_all(self) -> None:
        self._stopping = True
        if self._watcher is not None:
            self._watcher.cancel()
            await asyncio.gather(self._watcher, *self._restarts, return_exceptions=True)
        running = [s.process for s in self.processes.values() if s.alive and s.process]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + 10
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                await asyncio.to_thread(process.wait, max(0.1, deadline - time.monotonic()))
            if process.poll() is None:
                process.kill()
                await asyncio.to_thread(process.wait)

    async def _watch(self) -> None:
        while True:
            for supervised in self.processes.values():
                if supervised.process is None or supervised.restarting or supervised.alive:
                    continue
                self._died(supervised)
                supervised.restarting = True
                task = asyncio.create_task(self._restart(supervised))
                self._restarts.add(task)
                task.add_done_callback(self._restarts.discard)
            await asyncio.sleep(0.1)

    def _died(self, supervised: Supervised) -> None:
        assert supervised.process is not None
        pid, code = supervised.process.pid, supervised.process.returncode
        reached = {hit.point for hit in self.hits() if hit.pid == pid}
        supervised.armed -= reached
        if pid not in self._killed_pids and not reached:
            supervised.unexpected_exits.append(code)
        with supervised.log.open("ab") as log:
            log.write(f"--- {_now()} exited with {code}, reached: {sorted(reached)}\n".encode())

    async def _restart(self, supervised: Supervised) -> None:
        await asyncio.sleep(self.restart_after)
        if not self._stopping:
            self._start(supervised)
        supervised.restarting = False

    def kill_now(self, name: str, *, arm: Iterable[str] = ()) -> int:
        """SIGKILLs the running process; `arm` fault points for its next starts. Its pid."""
        supervised = self.processes[name]
        process = supervised.process
        if process is None or not supervised.alive:
            raise RuntimeError(f"{name} is not running")
        supervised.armed.update(arm)
        self._killed_pids.add(process.pid)
        supervised.kills += 1
        os.kill(process.pid, signal.SIGKILL)
        return process.pid

    async def kill(self, name: str, *, arm: Iterable[str] = (), patience: float = 15) -> int:
        """`kill_now`, once the process is running again if it is between two lives."""
        deadline = time.monotonic() + patience
        while not self.processes[name].alive or self.processes[name].restarting:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not come back within {patience}s")
            await asyncio.sleep(0.1)
        return self.kill_now(name, arm=arm)

    def hits(self) -> list[FaultHit]:
        """Every armed fault point a process reached, from the report file they append to."""
        if not self.report.exists():
            return []
        owners = {pid: s.name for s in self.processes.values() for pid in s.pids}
        found = []
        for line in self.report.read_text().splitlines():
            point, pid = line.rsplit(" ", 1)
            found.append(FaultHit(point, owners.get(int(pid), "?"), int(pid)))
        return found

    def still_armed(self) -> dict[str, set[str]]:
        return {s.name: set(s.armed) for s in self.processes.values() if s.armed}

    def unexpected_exits(self) -> dict[str, list[int]]:
        return {s.name: s.unexpected_exits for s in self.processes.values() if s.unexpected_exits}

    def log_tail(self, name: str, lines: int = 40) -> str:
        text = self.processes[name].log.read_text(errors="replace").splitlines()
        return f"--- {name} (last {lines} lines)\n" + "\n".join(text[-lines:])


def _now() -> str:
    return time.strftime("%H:%M:%S")
