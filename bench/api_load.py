"""Closed and open loops over a list of work items, for the API benchmark.

An operation turns an item (a unit's index) into a request and takes the answer back; each item
is sent once. A closed loop keeps N clients busy (each sends its next item when answered); an
open loop sends at a fixed arrival rate (Poisson), whatever the answers, and counts latency from
the moment a request was due, so a server falling behind shows in it.
"""

import asyncio
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from api_http import Answer, Connection, Pool, Request


@dataclass
class Operation:
    name: str
    request: Callable[[int], Request]
    # Keeps what the answer says (an id, an ETag); False when the write was refused.
    accept: Callable[[int, Answer], bool]


@dataclass
class Step:
    label: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    # (item, time.time() when answered) of every accepted write, for the event lag.
    answered: list[tuple[int, float]] = field(default_factory=list)
    first_error: str = ""
    sent: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, q: int) -> float:
        return percentile(self.latencies, q)


def percentile(values: Sequence[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _record(op: Operation, step: Step, item: int, due: float, answer: Answer) -> None:
    step.latencies.append(answer.done - due)
    if op.accept(item, answer):
        step.answered.append((item, answer.done_wall))
    else:
        step.errors += 1
        if not step.first_error:
            step.first_error = f"{answer.status} {answer.body[:300]!r}"


async def closed_loop(
    host: str,
    port: int,
    op: Operation,
    items: Sequence[int],
    clients: int,
    *,
    label: str = "",
    max_seconds: float = 300,
) -> Step:
    step = Step(label or f"closed {clients}")
    queue: Iterator[int] = iter(items)
    deadline = time.perf_counter() + max_seconds

    async def client() -> None:
        connection = Connection(host, port)
        try:
            for item in queue:
                if time.perf_counter() > deadline:
                    return
                sent = time.perf_counter()
                _record(op, step, item, sent, await connection.send(op.request(item)))
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(min(clients, len(items)))))
    step.seconds = time.perf_counter() - started
    return step


async def open_loop(
    host: str,
    port: int,
    op: Operation,
    items: Sequence[int],
    rate: float,
    *,
    seed: int = 1,
    max_seconds: float = 300,
) -> Step:
    step = Step(f"open {rate:.0f}/s")
    pool = Pool(host, port)
    rng = random.Random(seed)

    async def one(item: int, due: float) -> None:
        _record(op, step, item, due, await pool.send(op.request(item)))

    tasks: list[asyncio.Task[None]] = []
    started = time.perf_counter()
    due = started
    for item in items:
        due += rng.expovariate(rate)
        if due - started > max_seconds:
            break
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.create_task(one(item, due)))
        step.sent += 1
    await asyncio.gather(*tasks)
    step.seconds = time.perf_counter() - started
    pool.close()
    return step


@dataclass
class Ramp:
    steps: list[Step]
    best: Step
    clients: int


async def ramp(
    host: str,
    port: int,
    op: Operation,
    items: Sequence[int],
    *,
    levels: Sequence[int] = (1, 2, 4, 8, 16, 32, 64, 128),
    per_level: int = 100,
    rising: float = 1.05,
) -> tuple[Ramp, int]:
    """Closed loops at growing concurrency until the rate stops rising by `rising`; returns the
    ramp and how many items it used."""
    used = 0
    steps: list[Step] = []
    best: Step | None = None
    best_clients = levels[0]
    for clients in levels:
        take = min(len(items) - used, max(per_level, 3 * clients))
        if take < clients:
            break
        step = await closed_loop(host, port, op, items[used : used + take], clients)
        used += take
        steps.append(step)
        if best is None or step.rate > best.rate * rising:
            best, best_clients = step, clients
        elif clients > best_clients:
            break
    assert best is not None, "no items to ramp with"
    return Ramp(steps, best, best_clients), used
