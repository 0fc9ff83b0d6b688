"""The 2018 year played against a supervised system, and how two runs of it compare."""

import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.faults.harness import FaultSystem, Settled, liveness, settle
from tests.faults.schedule import written_service
from tests.support.processes import SERVICES
from thidua_local.demo.run import YearResult, play_year
from thidua_shared.platform.auth import Role
from thidua_shared.testing import bearer

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Lines for the summary printed at the end of the run (see conftest.py).
REPORT: list[str] = []


def signed_token(role: Role, unit: str | None) -> str:
    return bearer(role, unit)["Authorization"].removeprefix("Bearer ")


@dataclass
class YearRun:
    result: YearResult
    settled: Settled
    # The demo's writes in order, "POST /campaigns/…": where the schedule places faults.
    writes: list[str]
    seconds: float
    health: dict[str, Any]
    phases: list[dict[str, Any]]
    campaign_status: str


async def play(
    system: FaultSystem,
    http: httpx.AsyncClient,
    out_dir: Path,
    faults_over: Callable[[], Awaitable[None]] | None = None,
) -> YearRun:
    """Plays the year through `http`, waits for the faults still under way (`faults_over`),
    then for the system to settle, and reads its state."""
    writes: list[str] = []

    async def count_write(request: httpx.Request) -> None:
        if written_service(request):
            writes.append(f"{request.method} {request.url.path}")

    http.event_hooks["request"].append(count_write)
    began = time.monotonic()
    # Beside the processes' logs: where the year was when something went wrong.
    with (system.supervisor.folder / "demo.log").open("a") as log:

        def progress(line: str) -> None:
            log.write(f"{time.monotonic() - began:7.1f} s  {line}\n")
            log.flush()

        try:
            result = await play_year(http, signed_token, out_dir=out_dir, progress=progress)
        finally:
            if faults_over is not None:
                await faults_over()
    seconds = time.monotonic() - began
    settled = await settle(system)
    campaign = (
        await http.get(f"/campaigns/campaigns/{result.campaign_id}", headers=bearer(Role.OFFICE))
    ).json()
    return YearRun(
        result,
        settled,
        writes,
        seconds,
        await liveness(system),
        campaign["phases"],
        campaign["status"],
    )


def _without_ids(explanation: str) -> str:
    # An explanation cites the reports it read by id: each run has its own.
    return UUID_PATTERN.sub("<id>", explanation)


def nominations(run: YearRun) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Each nomination as (subject, title, basis, facts), the run's own ids left out."""
    return sorted(
        (
            n["subject_code"],
            n["title"],
            _without_ids(n["basis"]),
            tuple(_without_ids(fact) for fact in n["facts"]),
        )
        for n in run.result.nominations["nominations"]
    )


def nomination_differences(expected: YearRun, actual: YearRun) -> str:
    """How the nominations differ: how many, and the first one's explanation side by side."""
    wanted, got = set(nominations(expected)), set(nominations(actual))
    missing, unexpected = sorted(wanted - got), sorted(got - wanted)
    described = f"nominations differ: {len(missing)} missing, {len(unexpected)} unexpected"
    if missing and unexpected:
        first, other = missing[0], unexpected[0]
        described += (
            f"; first missing {first[:2]}, basis {first[2]!r}, facts only there "
            f"{sorted(set(first[3]) - set(other[3]))}; first unexpected {other[:2]}, basis "
            f"{other[2]!r}, facts only there {sorted(set(other[3]) - set(first[3]))}"
        )
    return described


def decided(run: YearRun) -> tuple[Counter[str], int]:
    decision = run.result.decision
    return Counter(a["title"] for a in decision["awards"]), decision["total_bonus_vnd"]


def decision_summary(run: YearRun) -> str:
    """The decision's titles by count and its total bonus, as the report prints it."""
    titles, total = decided(run)
    counts = ", ".join(f"{title} {count}" for title, count in sorted(titles.items()))
    return f"{sum(titles.values())} titles ({counts}), total bonus {total:,} đ"


def row_differences(expected: YearRun, actual: YearRun) -> dict[str, tuple[int, int]]:
    """`service.table: (expected rows, rows)` wherever the counts differ."""
    differences = {}
    for service in SERVICES:
        wanted = expected.settled.snapshot.tables[service]
        found = actual.settled.snapshot.tables[service]
        for table in sorted(set(wanted) | set(found)):
            if wanted.get(table, 0) != found.get(table, 0):
                differences[f"{service}.{table}"] = (wanted.get(table, 0), found.get(table, 0))
    return differences


def problems(expected: YearRun, actual: YearRun) -> list[str]:
    """Everything in which `actual` falls short of the fault-free run, one line each."""
    found = []
    if nominations(actual) != nominations(expected):
        found.append(nomination_differences(expected, actual))
    if decided(actual) != decided(expected):
        found.append(f"the decision differs: {decided(actual)} != {decided(expected)}")
    differences = row_differences(expected, actual)
    if differences:
        found.append(f"row counts (expected, found) differ: {differences}")
    missing = {s: len(ids) for s, ids in actual.settled.missing().items() if ids}
    if missing:
        found.append(f"events never applied, per consumer: {missing}")
    snapshot = actual.settled.snapshot
    if any(snapshot.outbox.values()):
        found.append(f"outbox rows left: {snapshot.outbox}")
    if any(snapshot.dead_letters.values()):
        found.append(f"dead letters stored: {snapshot.dead_letters}")
    waiting = {queue: n for queue, n in actual.settled.queues.items() if n}
    if waiting:
        found.append(f"messages left in queues: {waiting}")
    stuck = [p["number"] for p in actual.phases if p["status"] != "closed"]
    if stuck or actual.campaign_status != "closed":
        found.append(f"campaign {actual.campaign_status}, phases not closed: {stuck}")
    failing = {name: body for name, body in actual.health.items() if body.get("code") != 200}
    if failing:
        found.append(f"liveness failing: {failing}")
    return found


def duplicate_effects(expected: YearRun, actual: YearRun) -> int:
    differences = row_differences(expected, actual).values()
    return sum(max(0, found - wanted) for wanted, found in differences)


def lost_events(actual: YearRun) -> int:
    return sum(len(ids) for ids in actual.settled.missing().values())


def report_row(label: str, expected: YearRun, actual: YearRun, faults: int) -> str:
    archive = actual.settled.archive
    return (
        f"{label:<28} {faults:>6} {len(archive.types):>7} {archive.copies - len(archive.types):>7} "
        f"{lost_events(actual):>5} {duplicate_effects(expected, actual):>10} "
        f"{actual.seconds:>7.1f} {actual.settled.seconds:>7.1f}"
    )


REPORT_HEADER = (
    f"{'run':<28} {'faults':>6} {'events':>7} {'resent':>7} {'lost':>5} {'dup.effect':>10} "
    f"{'year s':>7} {'settle s':>7}"
)
