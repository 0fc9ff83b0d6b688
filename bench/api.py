"""API benchmark: a province's busiest day through the real services, each its own process.

    uv run python bench/api.py                  # 2,000 units of 30 members, through the gateway
    uv run python bench/api.py --units 200      # a smaller province, a few minutes
    uv run python bench/api.py --via direct     # straight to each service, no gateway
    uv run python bench/api.py --relay inprocess
    uv run python bench/api.py --profile pledges  # py-spy samples `pledges serve` meanwhile

Starts the four services (`python -m <service> serve`), their outbox relays as their own
processes (`python -m <service> relay`, `<SERVICE>_RELAY_IN_PROCESS=false`) unless told
`--relay inprocess`, the gateway (`python -m thidua_local gateway`) and a bare FastAPI app
with the same uvicorn settings, on fresh databases and the run's own exchange and queues. The
office imports the directory and launches a campaign with every unit; then every unit
registers (a draft), imports its members from XLSX, submits, and the office approves; the
phase closes; every unit reports with its members' evaluations and the office approves.

For each write, and for the bare route: the maximum sustainable rate (closed loop, doubling
the clients until the rate stops rising by 5 %), p50/p99 at half that rate (open loop, Poisson
arrivals, latency from the moment a request was due), p99 with 50 clients (closed loop), the
event lag to awards (api_lag.py) and the CPU per request of every process at 50 clients.
Each unit does each write once, so the steps share the units: the ramp takes up to 45 % of
them, the 50 clients 20 %, the open loop the rest (at most 90 s of it).
"""

import argparse
import asyncio
import math
import os
import re
import sys
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_http import Answer, Connection, Request
from api_lag import LagProbe
from api_load import Operation, Ramp, Step, closed_loop, open_loop, percentile, ramp
from api_province import (
    Province,
    campaign_body,
    directory_csv,
    members_xlsx,
    template_header,
    unit_code,
)
from api_system import System, cpu_per_request, cpu_seconds, running, sampled

HOST = "127.0.0.1"
LEVELS = (1, 2, 4, 8, 16, 32, 64, 128)


@dataclass
class Measured:
    name: str
    ramp: Ramp
    open: Step
    fifty: Step
    cpu: str
    lag_open: list[float] = field(default_factory=list)
    lag_fifty: list[float] = field(default_factory=list)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def _ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value * 1000:.0f}"


async def _until_accepted(
    host: str, port: int, op: Operation, items: list[int], patience: float = 120
) -> list[int]:
    """Warm-up: each item sent until accepted, while the events it needs are on their way."""
    connection = Connection(host, port)
    deadline = time.monotonic() + patience
    done: list[int] = []
    try:
        for item in items:
            while True:
                answer = await connection.send(op.request(item))
                if op.accept(item, answer):
                    done.append(item)
                    break
                if answer.status != 409 or time.monotonic() > deadline:
                    raise SystemExit(f"{op.name} refused: {answer.status} {answer.body[:500]!r}")
                await asyncio.sleep(0.25)
    finally:
        connection.close()
    return done


def _probed(op: Operation, probe: LagProbe | None, ids: dict[int, str]) -> Operation:
    if probe is None:
        return op

    def accept(i: int, answer: Answer) -> bool:
        if op.accept(i, answer):
            probe.expect([(ids[i], answer.done_wall)])
            return True
        return False

    return Operation(op.name, op.request, accept)


async def measure(
    system: System,
    port: int,
    op: Operation,
    items: list[int],
    *,
    probe: LagProbe | None = None,
    ids: dict[int, str] | None = None,
) -> tuple[Measured, list[int]]:
    """Ramp, open loop at half the best rate, 50 clients; the items accepted, in order."""
    op = _probed(op, probe, ids or {})
    warm = max(4, len(items) // 100)
    accepted = await _until_accepted(HOST, port, op, items[:warm])
    rest = items[warm:]
    per_level = max(10, int(len(rest) * 0.45) // len(LEVELS))
    found, used = await ramp(HOST, port, op, rest[: int(len(rest) * 0.45)], levels=LEVELS,
                             per_level=per_level)  # fmt: skip
    rest = rest[used:]
    fifty_items, open_items = rest[: int(len(items) * 0.2)], rest[int(len(items) * 0.2) :]
    if probe is not None:
        await probe.settle()
    opened = await open_loop(HOST, port, op, open_items, found.best.rate / 2, max_seconds=90)
    if probe is not None:
        await probe.settle()
    before = cpu_seconds(system)
    fifty = await closed_loop(HOST, port, op, fifty_items, 50, label="closed 50")
    cpu = cpu_per_request(before, cpu_seconds(system), max(1, len(fifty.latencies)))
    left = open_items[opened.sent :]
    if left:
        await closed_loop(HOST, port, op, left, 16, label="rest")
    if probe is not None:
        await probe.settle()
    result = Measured(op.name, found, opened, fifty, cpu)
    if probe is not None and ids is not None:
        result.lag_open = [probe.lags[ids[i]] for i, _ in opened.answered if ids[i] in probe.lags]
        result.lag_fifty = [probe.lags[ids[i]] for i, _ in fifty.answered if ids[i] in probe.lags]
    steps = [*found.steps, opened, fifty]
    for step in steps:
        if step.errors:
            print(f"  {op.name} {step.label}: {step.errors} refused, first: {step.first_error}")
    answered = {i for step in steps for i, _ in step.answered}
    return result, [i for i in items if i in answered or i in accepted]


def report(measured: Measured, bare: float) -> str:
    r = measured.ramp
    o, f = measured.open, measured.fifty
    lag = ""
    if measured.lag_open:
        lag = (
            f" | lag p50 {_ms(percentile(measured.lag_open, 50))} "
            f"p99 {_ms(percentile(measured.lag_open, 99))} ms "
            f"(50 clients: p99 {_ms(percentile(measured.lag_fifty, 99))})"
        )
    return (
        f"{measured.name:<26} max {r.best.rate:7.1f}/s @{r.clients:<3} "
        f"{r.best.rate / bare:5.3f}× | open {o.rate:6.1f}/s p50 {_ms(o.pct(50)):>5} "
        f"p99 {_ms(o.pct(99)):>5} ms | 50 clients p99 {_ms(f.pct(99)):>5} ms{lag}"
    )


async def _setup(http: httpx.AsyncClient, province: Province) -> None:
    office = province.office
    imported = await http.post(
        "/campaigns/units/import",
        content=directory_csv(province.units),
        headers={**office, "Content-Type": "text/csv; charset=utf-8"},
    )
    imported.raise_for_status()
    created = await http.post(
        "/campaigns/campaigns", json=campaign_body(province.units), headers=office
    )
    created.raise_for_status()
    province.campaign_id = created.json()["id"]
    launched = await http.post(f"/campaigns/campaigns/{province.campaign_id}/launch",
                               headers=office)  # fmt: skip
    launched.raise_for_status()
    template = await http.get("/pledges/member-template", headers=province.heads[0])
    template.raise_for_status()
    header = template_header(template.content)
    started = time.perf_counter()
    province.files = [
        members_xlsx(header, unit_code(i), province.members) for i in range(province.units)
    ]
    print(f"{province.units} XLSX files in {time.perf_counter() - started:.1f} s")


async def _close_phase(http: httpx.AsyncClient, province: Province) -> None:
    path = f"/campaigns/campaigns/{province.campaign_id}/phases/1"
    await http.post(f"{path}/open", headers=province.office)
    closed = await http.post(
        f"{path}/close", json={"reason": "Kết thúc sớm để tổng kết"}, headers=province.office
    )
    closed.raise_for_status()
    for _ in range(600):
        phases = await http.get(f"/reports/campaigns/{province.campaign_id}/phases",
                                headers=province.office)  # fmt: skip
        if phases.status_code == 200 and all(p["status"] != "open" for p in _items(phases)):
            return
        await asyncio.sleep(0.2)
    raise SystemExit("the reports service never saw the phase close")


def _items(response: httpx.Response) -> list[dict[str, Any]]:
    body = response.json()
    items: list[dict[str, Any]] = body if isinstance(body, list) else body.get("phases", [])
    return items


async def bare_route(system: System) -> Measured:
    port = system.port("bare")
    counter = iter(range(10**9))

    def request(_: int) -> Request:
        body = f'{{"seq": {next(counter)}}}'.encode()
        return Request("POST", "/bare/items", {"Content-Type": "application/json"}, body)

    op = Operation("bare FastAPI route", request, lambda i, a: a.status == 201)
    items = list(range(12_000))
    found, _ = await ramp(HOST, port, op, items, levels=LEVELS, per_level=1000)
    opened = await open_loop(HOST, port, op, items[:4000], found.best.rate / 2, max_seconds=10)
    before = cpu_seconds(system)
    fifty = await closed_loop(HOST, port, op, items[:3000], 50, label="closed 50")
    cpu = cpu_per_request(before, cpu_seconds(system), len(fifty.latencies))
    return Measured(op.name, found, opened, fifty, cpu)


async def run(args: argparse.Namespace) -> None:
    province = Province(args.units, args.members)
    province.tokens()
    print(
        f"{args.units} units × {args.members} members, via {args.via}, relay {args.relay}, "
        f"{os.cpu_count()} cores shared by services, gateway, PostgreSQL, RabbitMQ and the "
        f"load generator; {_load()} at start"
    )
    async with running(args.relay) as system:
        gateway = f"http://{HOST}:{system.port('gateway')}"
        async with httpx.AsyncClient(base_url=gateway, timeout=120) as http:
            await _setup(http, province)
            bare = await bare_route(system)
            print(report(bare, bare.ramp.best.rate), f"[{_load()}]")
            print(f"  {bare.cpu}")

            def port(service: str) -> int:
                return system.port("gateway" if args.via == "gateway" else service)

            units = list(range(args.units))
            awards = system.databases["awards"]
            steps: list[tuple[str, Operation, str | None, dict[int, str]]] = [
                ("pledges", province.register(), None, {}),
                ("pledges", province.import_members(), None, {}),
                ("pledges", province.submit(), None, {}),
                ("pledges", province.approve(), "registrations", province.registrations),
                ("reports", province.report(), None, {}),
                ("reports", province.approve_report(), "approved_reports", province.reports),
            ]
            for service, op, table, ids in steps:
                if op.name == province.report().name:
                    await _close_phase(http, province)
                async with AsyncExitStack() as stack:
                    profiled = args.profile == "awards" and table is not None
                    if profiled or args.profile == service:
                        label = re.sub(r"\W+", "-", op.name).strip("-")
                        out = stack.enter_context(sampled(system, args.profile, label))
                        print(f"  profile of {args.profile}: {out}")
                    probe = None
                    if table is not None:
                        probe = await stack.enter_async_context(LagProbe(awards, table))
                    measured, units = await measure(
                        system, port(service), op, units, probe=probe, ids=ids
                    )
                print(report(measured, bare.ramp.best.rate), f"[{_load()}]")
                print("  ramp: " + ", ".join(
                    f"{c}→{s.rate:.0f}/s" for c, s in zip(LEVELS, measured.ramp.steps, strict=False)
                ))  # fmt: skip
                print(f"  {measured.cpu}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--via", choices=("gateway", "direct"), default="gateway")
    parser.add_argument("--relay", choices=("process", "inprocess"), default="process")
    parser.add_argument("--profile", choices=("campaigns", "pledges", "reports", "awards"))
    args = parser.parse_args()
    import uvloop

    uvloop.run(run(args))


if __name__ == "__main__":
    main()
