"""Carries out a fault schedule from the demo's HTTP client, whose event hooks count the writes.

One fault at a time, the next once the system is whole again (every process up and ready,
every consumer attached), so that each lands at the write it was planned for and a failure is
easy to read; the demo's write with a fault due waits for the fault before to be over:
- a kill is over once the process is back, so the demo meets a restarted service rather than
  the demo client's short patience;
- a kill that arms a fault point is over once the write it was planned for, or the events
  that write causes, reached the point and the process is back again;
- a broker restart is over once the node is back and every consumer attached; the demo goes
  on writing meanwhile, the outboxes keep the events.
So armed points are reached while the broker is up and no process restarts while it is down:
one that does stays unavailable for longer than the demo client retries (see the report).
"""

import asyncio
import time
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.faults.harness import FaultSystem, Patient, liveness
from tests.faults.schedule import (
    BROKER_RESTART,
    COMPILE_BEFORE_COMMIT,
    KILL_AFTER_WRITE,
    NODE_LOSS,
    Fault,
    written_service,
)
from tests.support.rabbit_node import RabbitNode


@dataclass
class Injector:
    plan: list[Fault]
    system: FaultSystem
    node: RabbitNode
    writes: int = 0
    fired: list[Fault] = field(default_factory=list)
    restart_seconds: list[float] = field(default_factory=list)
    _due: list[Fault] = field(default_factory=list)
    _after_write: list[Fault] = field(default_factory=list)
    _reserved: Fault | None = None
    _reserved_at: float = 0.0
    # The system is not whole: a fault is under way.
    _recovering: bool = False
    # A fault point armed and not reached yet.
    _awaiting: Fault | None = None
    _turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    transport: Patient | None = None

    def client(self, gateway: str) -> httpx.AsyncClient:
        self.transport = Patient(httpx.AsyncHTTPTransport())
        return httpx.AsyncClient(
            base_url=gateway,
            timeout=60,
            transport=self.transport,
            event_hooks={"request": [self._on_request], "response": [self._on_response]},
        )

    async def _on_request(self, request: httpx.Request) -> None:
        service = written_service(request)
        if service is None:
            return
        self.writes += 1
        # `at_write` counts from 0, as the fault-free run's list of writes does.
        while self.plan and self.plan[0].at_write < self.writes:
            fault = self.plan.pop(0)
            (self._after_write if fault.kind == KILL_AFTER_WRITE else self._due).append(fault)
        # The demo sends some writes side by side: one hook at a time decides.
        async with self._turn:
            while self._due:
                await self._until_whole()
                await self._fire(self._due.pop(0))
                if self._awaiting is not None:
                    break  # this very write reaches the point: it goes first
            waiting = [f for f in self._after_write if f.target == service]
            if waiting and self._reserved is None:
                await self._until_whole()
                self._recovering = True
                self._reserved, self._reserved_at = waiting[0], time.monotonic()

    async def _on_response(self, response: httpx.Response) -> None:
        fault = self._reserved
        if fault is None or written_service(response.request) != fault.target:
            return
        self._reserved = None
        if response.status_code >= 400:
            self._recovering = False  # not committed: the next write to the service will do
            return
        # The process that has just answered: the write is committed and returned.
        self.system.supervisor.kill_now(fault.target)
        self._after_write.remove(fault)
        self._fired(fault)
        self._spawn(self._recover(fault))

    async def _until_whole(self, unanswered: float = 70) -> None:
        """Until no fault is under way and no armed point is waited for."""
        while self._recovering or self._awaiting is not None:
            if self._reserved and time.monotonic() - self._reserved_at > unanswered:
                # The reserved write never got an answer (its connection failed): next write.
                self._reserved = None
                self._recovering = False
            await asyncio.sleep(0.1)

    async def _fire(self, fault: Fault) -> None:
        self._recovering = True
        if fault.kind in (BROKER_RESTART, NODE_LOSS):
            self._fired(fault)
            self._spawn(self._take_the_broker_away(fault))
            return
        try:
            await self.system.supervisor.kill(fault.target, arm=fault.points)
            self._fired(fault)
            await self._whole(fault)
        finally:
            self._recovering = False
        # The compile's point is reached at the year's end only: nothing waits for it.
        if set(fault.points) - {COMPILE_BEFORE_COMMIT}:
            self._awaiting = fault
            self._spawn(self._until_reached(fault))

    async def _take_the_broker_away(self, fault: Fault) -> None:
        if fault.kind == NODE_LOSS:
            await asyncio.to_thread(self.node.stop)
        else:
            self.restart_seconds.append(
                await asyncio.to_thread(self.node.restart, fault.down_seconds)
            )
        await self._recover(fault)

    async def _until_reached(self, fault: Fault, patience: float = 60) -> None:
        deadline = time.monotonic() + patience
        supervisor = self.system.supervisor
        try:
            while supervisor.processes[fault.target].armed & set(fault.points):
                if time.monotonic() > deadline:
                    self._note(f"not reached in {patience:.0f} s: {fault}")
                    return
                await asyncio.sleep(0.1)
            self._note(f"reached: {fault}")
            self._recovering = True
            await self._recover(fault)
        finally:
            self._awaiting = None

    async def _recover(self, fault: Fault) -> None:
        try:
            await self._whole(fault)
        finally:
            self._recovering = False

    async def _whole(self, after: Fault, patience: float = 90) -> None:
        deadline = time.monotonic() + patience
        while True:
            processes = self.system.supervisor.processes.values()
            if all(p.alive and not p.restarting for p in processes):
                bodies = await liveness(self.system)
                if all(_recovered(body) for body in bodies.values()):
                    self._note(f"whole again after {after}")
                    return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"not recovered {patience:.0f} s after {after}: {await liveness(self.system)}"
                )
            await asyncio.sleep(0.2)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _note(self, line: str) -> None:
        """Beside the processes' logs: when each fault came and when the system was whole."""
        with (self.system.supervisor.folder / "faults.log").open("a") as log:
            log.write(f"{time.strftime('%H:%M:%S')} write {self.writes:4d}  {line}\n")

    def _fired(self, fault: Fault) -> None:
        self.fired.append(fault)
        self._note(f"fault: {fault}")

    async def finish(self) -> None:
        """Once the year has ended: fires what is still due, waits for what is under way."""
        async with self._turn:
            while self._due:
                await self._until_whole()
                await self._fire(self._due.pop(0))
        while self._tasks:
            await asyncio.gather(*self._tasks)

    def unfired(self) -> list[Fault]:
        return self.plan + self._due + self._after_write

    def summary(self) -> Counter[str]:
        return Counter(str(fault) for fault in self.fired)


def _recovered(body: dict[str, Any]) -> bool:
    consumers = body.get("consumers", [])
    return body.get("code") == 200 and all(consumer["attached"] for consumer in consumers)
