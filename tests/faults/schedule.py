"""A seeded fault schedule for one year (tests.faults.injector carries it out).

Faults are placed by the demo's progress, not by the clock: each fires at the n-th write the
demo sends (POST, PUT, PATCH or DELETE), counted in the fault-free run, so a slow machine or a
slow recovery never pushes a fault past the end of the year. `THIDUA_FAULT_SEED` replays a
schedule; without it the seed is random, and printed either way.
"""

import os
import random
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from tests.support.processes import SERVICES

RELAY_MID_BATCH = "relay.mid_batch"
CONSUMER_AFTER_COMMIT = "consumer.after_commit"
HTTP_AFTER_COMMIT = "http.after_commit"
COMPILE_BEFORE_COMMIT = "compile.before_commit"
CONSUMERS = ("pledges", "reports", "awards")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

BROKER_RESTART = "broker restart"
NODE_LOSS = "node lost"
KILL = "kill"
KILL_AFTER_WRITE = "kill after a write returned"
ARM = "kill, armed"


def fault_seed() -> int:
    return int(os.environ.get("THIDUA_FAULT_SEED") or random.SystemRandom().randrange(10**6))


def written_service(request: httpx.Request) -> str | None:
    """The service a write goes to (the first path segment), or None for a read."""
    if request.method not in WRITES:
        return None
    return request.url.path.lstrip("/").split("/", 1)[0]


@dataclass(frozen=True)
class Fault:
    at_write: int
    kind: str
    # The process to kill (for a kill after a write, the service written to); "" for the broker.
    target: str = ""
    points: tuple[str, ...] = ()
    down_seconds: float = 0.0

    def __str__(self) -> str:
        armed = f" with {', '.join(self.points)}" if self.points else ""
        return f"{self.kind} {self.target}{armed}".strip()


def plan_faults(seed: int, writes: Sequence[str]) -> list[Fault]:
    """The schedule for a year whose fault-free run made `writes` ("POST /campaigns/…"):
    3 broker restarts; every service killed at least twice, once right after a write to it
    returned; every relay, the scheduler and the gateway killed; and the windows too short to
    hit from outside armed as fault points (each arming is a kill too): a relay between
    confirm and delete, a consumer between commit and ack, a request between commit and
    response, the compile before commit.

    Faults begin once the plan is launched: the seed loader before it is a script speaking
    plain HTTP, without the demo client's retries, so a fault there would fail the script, not
    the system.
    """
    rng = random.Random(seed)
    total = len(writes)
    services = [write.split(" ", 1)[1].lstrip("/").split("/", 1)[0] for write in writes]
    launched = next(i for i, w in enumerate(writes) if w.endswith("/launch")) + 1

    def anywhere(low: float, high: float) -> int:
        return rng.randint(max(launched, int(low * total)), int(high * total))

    def writes_to(service: str) -> list[int]:
        # Not its last write: a kill after it leaves the service more to answer.
        found = [i for i, s in enumerate(services) if s == service and i >= launched]
        return found[:-1]

    def during(prefix: str) -> list[int]:
        # The writes of one stretch of the year, the stretch's last one left out.
        found = [i for i, w in enumerate(writes) if i >= launched and w.startswith(prefix)]
        return found[:-1]

    registering, reporting = during("POST /pledges/"), during("POST /reports/")
    # The broker restarts while units register, while they report on the first phase, and
    # while the council works: never as the nominations compile, where the compile's fault
    # point waits (a process restarting while the broker is down is a fault of its own).
    faults = [
        Fault(rng.choice(window), BROKER_RESTART, down_seconds=rng.uniform(1.0, 4.0))
        for window in (
            registering,
            reporting[: len(reporting) // 2],
            [i for i in during("POST /awards/") if "/history/" not in writes[i]],
        )
    ]
    for service in SERVICES:
        faults.append(Fault(rng.choice(writes_to(service)), KILL_AFTER_WRITE, service))
    # Each consumer is killed again when its fault point is armed below, campaigns here.
    for target in ("campaigns", "scheduler", "gateway"):
        faults.append(Fault(anywhere(0.05, 0.85), KILL, target))
    # An armed point fires at the write it is armed at, or at the events that write causes,
    # so it is reached at once: the clock moves that close a phase (followed by reports) cause
    # events of campaigns', approvals cause pledge.approved and report.approved.
    closing = [
        i
        for i in during("PUT /campaigns/ops/clock")
        if any(w.startswith("POST /reports/reports") for w in writes[i + 1 : i + 6])
    ]
    approving = {
        service: [i for i in during(f"POST /{service}/") if writes[i].endswith("/approve")]
        for service in ("pledges", "reports")
    }
    causing = {"campaigns": closing, **approving}
    consumed = {"pledges": closing, "reports": approving["pledges"], "awards": approving["reports"]}
    armed_at: set[int] = set()

    def arm(target: str, point: str, ordinals: list[int]) -> None:
        # A write of its own: a point armed after another at the same write finds the write
        # and its events gone by.
        at = rng.choice([i for i in ordinals if i not in armed_at])
        armed_at.add(at)
        faults.append(Fault(at, ARM, target, (point,)))

    for service in CONSUMERS:
        arm(service, CONSUMER_AFTER_COMMIT, consumed[service])
    armed_relays = rng.sample(sorted(causing), 2)
    for service in armed_relays:
        arm(f"{service}-relay", RELAY_MID_BATCH, causing[service])
    for service in sorted(set(SERVICES) - set(armed_relays)):
        faults.append(Fault(anywhere(0.05, 0.85), KILL, f"{service}-relay"))
    for service in rng.sample(SERVICES, 2):
        arm(service, HTTP_AFTER_COMMIT, writes_to(service))
    # Armed while units register: it stays armed across other kills until the compile.
    arm("awards", COMPILE_BEFORE_COMMIT, registering)
    return sorted(faults, key=lambda fault: fault.at_write)
