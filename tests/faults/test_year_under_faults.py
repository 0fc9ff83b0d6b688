"""The 2018 year under a seeded random fault schedule ends exactly as the fault-free year does.

Broker restarts, SIGKILLs of every process (one right after a write to it returned) and fault
points for the windows too short to hit from outside; afterwards the nominations, the decision
and every domain table's row count equal the fault-free run's, every consumer holds every event
it takes (nothing lost), every outbox is drained, every dead-letter queue is empty, no phase is
left open and every consumer is attached again. A failure names its seed:
`THIDUA_FAULT_SEED=<seed> uv run pytest tests/faults/test_year_under_faults.py` replays it.
"""

from collections import Counter
from pathlib import Path

import pytest

from tests.faults.harness import supervised_system
from tests.faults.injector import Injector
from tests.faults.schedule import ARM, BROKER_RESTART, fault_seed, plan_faults
from tests.faults.year import (
    REPORT,
    REPORT_HEADER,
    YearRun,
    decision_summary,
    play,
    problems,
    report_row,
)
from tests.support.processes import SERVICES
from tests.support.rabbit_node import RabbitNode

pytestmark = pytest.mark.system

# The system must settle this soon after the year's last request.
SETTLE_WITHIN_SECONDS = 60


@pytest.mark.timeout(600)
async def test_the_year_under_faults_ends_as_the_fault_free_year(
    fault_free_year: YearRun, own_node: RabbitNode, tmp_path: Path
) -> None:
    seed = fault_seed()
    replay = f"(replay: THIDUA_FAULT_SEED={seed})"
    # In the summary even if the year fails half-way: the seed is what replays it.
    REPORT.append(f"fault seed {seed}: THIDUA_FAULT_SEED={seed} replays this schedule")
    plan = plan_faults(seed, fault_free_year.writes)
    planned = len(plan)
    async with supervised_system("faults_year", own_node.url, tmp_path) as system:
        injector = Injector(plan, system, own_node)
        async with injector.client(system.gateways[0]) as http:
            run = await play(system, http, tmp_path / "documents", injector.finish)
        hits = system.supervisor.hits()
        still_armed = system.supervisor.still_armed()
        unexpected = system.supervisor.unexpected_exits()

    REPORT.append(f"faults injected: {dict(sorted(injector.summary().items()))}")
    REPORT.append(
        "broker back after restart (s): " + ", ".join(f"{s:.1f}" for s in injector.restart_seconds)
    )
    assert injector.transport is not None
    REPORT.append(f"requests resent while a service restarted: {injector.transport.retried}")
    REPORT.append(f"fault points reached: {sorted({(h.point, h.process) for h in hits})}")
    if unexpected:
        REPORT.append(f"processes that exited by themselves (restarted): {unexpected}")
    REPORT.append(REPORT_HEADER)
    REPORT.append(report_row("fault-free", fault_free_year, fault_free_year, 0))
    REPORT.append(report_row(f"faults, seed {seed}", fault_free_year, run, len(injector.fired)))
    REPORT.append(f"decision under faults: {decision_summary(run)}")

    assert not injector.unfired(), f"faults never fired: {injector.unfired()} {replay}"
    assert len(injector.fired) == planned
    restarts = sum(f.kind == BROKER_RESTART for f in injector.fired)
    killed = Counter(f.target for f in injector.fired if f.kind != BROKER_RESTART)
    assert restarts >= 3
    assert all(killed[service] >= 2 for service in SERVICES), killed
    armed = {(f.target, point) for f in injector.fired if f.kind == ARM for point in f.points}
    reached = {(hit.process, hit.point) for hit in hits}
    assert armed <= reached, f"armed windows never reached: {armed - reached} {replay}"
    assert not still_armed, f"still armed: {still_armed} {replay}"
    assert not problems(fault_free_year, run), f"{problems(fault_free_year, run)} {replay}"
    assert run.settled.seconds < SETTLE_WITHIN_SECONDS, replay
