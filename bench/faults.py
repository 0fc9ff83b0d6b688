"""The messaging pipeline under faults: events produced while the broker restarts and the
consumer is killed, on RabbitMQ nodes of our own (the machine's default node is never touched).

    uv run python bench/faults.py [--events 20000] [--rate 400]
    uv run python bench/faults.py --cluster     # three nodes; the one in use is lost

The producer, its relay and the consumer are bench/pipeline.py's stand-in services, each its
own process, restarted when killed. The load is paced (--rate events a second) so that it
flows through every fault: once 15 % and 55 % of the events are produced the broker restarts
(with --cluster: at 15 % the node everyone is connected to is stopped for good), at 35 % and
75 % the consumer is SIGKILLed. Printed: produced, applied and pending events as they go, the
time from the broker's return (or the node's loss) to the first event applied after it, and at
the end whether every event was applied, none lost.
"""

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from uuid import uuid4

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import pipeline  # noqa: E402
from loadgen import post_many  # noqa: E402

from tests.support.processes import free_port, wait_ready  # noqa: E402
from tests.support.rabbit_node import NodeFactory, RabbitNode, rabbit_nodes, urls  # noqa: E402
from tests.support.supervisor import Supervisor  # noqa: E402

CHUNK = 200
# The target: consumers and relays back, and applying, within this long of the broker's return.
TARGET_SECONDS = 5.0


async def _count(database: str, query: str) -> int:
    connection = await asyncpg.connect(pipeline.database_url(database, "postgresql"))
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


async def applied() -> int:
    return await _count("thidua_bench_consumer", "SELECT count(*) FROM effects")


async def pending() -> int:
    return await _count("thidua_bench_bench", "SELECT count(*) FROM outbox")


async def produced() -> int:
    return await _count("thidua_bench_bench", "SELECT count(*) FROM items")


async def _first_applied_after(moment: float, before: int, patience: float = 60) -> float:
    """Seconds from `moment` until the consumer has applied more than `before` events."""
    while await applied() <= before:
        if time.monotonic() - moment > patience:
            return float("inf")
        await asyncio.sleep(0.05)
    return time.monotonic() - moment


async def restart_broker(node: RabbitNode) -> str:
    await asyncio.to_thread(node.stop)
    await asyncio.sleep(2.0)
    await asyncio.to_thread(node.start)
    back, before = time.monotonic(), await applied()
    took = await _first_applied_after(back, before)
    return f"broker restarted: first event applied {took:.1f} s after it was back"


async def lose_node(node: RabbitNode) -> str:
    stopping = time.monotonic()
    await asyncio.to_thread(node.stop)
    # Counted once the node is down, so events applied while it was shutting down don't count.
    lost, before = time.monotonic(), await applied()
    took = await _first_applied_after(lost, before)
    return (
        f"node {node.name} lost (its shutdown took {lost - stopping:.1f} s): "
        f"first event applied {took:.1f} s after it was down"
    )


async def kill_consumer(supervisor: Supervisor) -> str:
    await supervisor.kill("consumer")
    return "consumer SIGKILLed (restarted after 0.7 s)"


async def _report_progress(began: float, every: float = 2.0) -> None:
    while True:
        print(
            f"  {time.monotonic() - began:6.1f} s  produced {await produced():6d}  "
            f"applied {await applied():6d}  pending in the outbox {await pending():6d}",
            flush=True,
        )
        await asyncio.sleep(every)


async def produce(port: int, events: int, clients: int, rate: float) -> int:
    """Sends `events` in chunks paced to `rate` a second, so the faults happen under load."""
    errors, sent, began = 0, 0, time.monotonic()
    while sent < events:
        size = min(CHUNK, events - sent)

        def body(i: int, first: int = sent) -> dict[str, object]:
            return {"seq": first + i}

        result = await post_many("127.0.0.1", port, "/bench/events", size, clients, body)
        errors += result.errors
        sent += size
        await asyncio.sleep(max(0.0, began + sent / rate - time.monotonic()))
    return errors


async def inject(faults: list[tuple[int, Callable[[], Awaitable[str]]]]) -> list[str]:
    """Each fault once that many events were produced, one after the other."""
    outcomes = []
    for threshold, fault in faults:
        # Another process's database is what there is to watch: polled.
        while await produced() < threshold:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        outcomes.append(await fault())
    return outcomes


async def run(args: argparse.Namespace, nodes: NodeFactory) -> bool:
    events, cluster = args.events, args.cluster
    broker = await asyncio.to_thread(nodes.cluster, 3) if cluster else [nodes.node()]
    if not cluster:
        print(f"RabbitMQ node started in {await asyncio.to_thread(broker[0].start):.1f} s")
    tag = uuid4().hex[:8]
    env = {
        **os.environ,
        "BENCH_AMQP_URL": urls(broker),
        "BENCH_EXCHANGE": f"bench.{tag}.events",
        "BENCH_PREFIX": f"bench.{tag}.",
    }
    for name in ("bench", "consumer"):
        await pipeline.fresh_database(f"thidua_bench_{name}")
    folder = nodes.root / "processes"
    folder.mkdir()
    supervisor = Supervisor(folder)
    ports = {"producer": free_port(), "consumer": free_port()}
    for role, port in {**ports, "relay": 0}.items():
        supervisor.add(role, [sys.executable, pipeline.__file__, "serve", role, str(port)], env)
    at = [int(events * share) for share in (0.15, 0.35, 0.55, 0.75)]
    faults: list[tuple[int, Callable[[], Awaitable[str]]]] = [
        (at[1], lambda: kill_consumer(supervisor)),
        (at[3], lambda: kill_consumer(supervisor)),
    ]
    if cluster:
        faults.append((at[0], lambda: lose_node(broker[0])))
    else:
        faults += [(at[i], lambda: restart_broker(broker[0])) for i in (0, 2)]
    faults.sort(key=lambda fault: fault[0])
    async with supervisor:
        for role, port in ports.items():
            process = supervisor.processes[role].process
            assert process is not None
            await wait_ready(f"http://127.0.0.1:{port}/readyz", process)
        began = time.monotonic()
        progress = asyncio.create_task(_report_progress(began))
        errors, outcomes = await asyncio.gather(
            produce(ports["producer"], events, args.clients, args.rate), inject(faults)
        )
        accepted = await produced()
        deadline = time.monotonic() + 300
        while await applied() < accepted and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.25)
        seconds = time.monotonic() - began
        progress.cancel()
        done, left = await applied(), await pending()
        unexpected = supervisor.unexpected_exits()
    for outcome in outcomes:
        print(outcome)
    print(
        f"{events} events sent ({errors} refused), {accepted} produced, {done} applied, "
        f"{left} pending, {accepted - done} lost, in {seconds:.1f} s"
    )
    if unexpected:
        print(f"processes that exited by themselves (restarted): {unexpected}")
    return done == accepted == events and left == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--rate", type=float, default=400, help="events a second, so the load spans the faults"
    )
    parser.add_argument("--cluster", action="store_true", help="three nodes; lose the one in use")
    args = parser.parse_args()
    import uvloop

    with rabbit_nodes() as nodes:
        ok = uvloop.run(run(args, nodes))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
