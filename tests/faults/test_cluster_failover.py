"""Losing the cluster node every service is connected to, mid-year, loses and doubles nothing.

Three RabbitMQ nodes in one cluster, the queues quorum queues replicated on all three, the
archive a replicated stream; every process is given the three nodes (THIDUA_AMQP_URL, a
comma-separated list) and connects to the first. Halfway through the year's writes that node
is stopped for good: the processes move to the next node, and the year ends as the fault-free
one did.
"""

import asyncio
from pathlib import Path

import pytest

from tests.faults.harness import FaultSystem, supervised_system
from tests.faults.injector import Injector
from tests.faults.schedule import NODE_LOSS, Fault
from tests.faults.year import REPORT, YearRun, play, problems, report_row
from tests.support.rabbit_node import NodeFactory, RabbitNode, urls

pytestmark = pytest.mark.system


async def _connections_by_node(system: FaultSystem, nodes: list[RabbitNode]) -> dict[str, int]:
    """How many client connections each running node holds (the port a client connected to
    names its node: each node listens on its own)."""
    survivor = next(node for node in nodes if node.running)
    listed = await asyncio.to_thread(survivor.ctl, "list_connections", "port", "-q")
    ports = [line.strip() for line in listed.splitlines() if line.strip().isdigit()]
    return {node.name: ports.count(str(node.amqp_port)) for node in nodes}


@pytest.mark.timeout(600)
async def test_losing_the_connected_node_mid_year_loses_and_doubles_nothing(
    fault_free_year: YearRun, node_factory: NodeFactory, tmp_path: Path
) -> None:
    nodes = await asyncio.to_thread(node_factory.cluster, 3)
    lost, survivor = nodes[0], nodes[1]
    async with supervised_system("faults_cluster", urls(nodes), tmp_path) as system:
        before = await _connections_by_node(system, nodes)
        # The test's own look at queues and the archive goes to a node that stays.
        system.broker_url = survivor.url
        halfway = len(fault_free_year.writes) // 2
        injector = Injector([Fault(halfway, NODE_LOSS)], system, lost)
        async with injector.client(system.gateways[0]) as http:
            run = await play(system, http, tmp_path / "documents", injector.finish)
        after = await _connections_by_node(system, nodes)
    REPORT.append(f"cluster connections before the loss {before}, after {after}")
    REPORT.append(report_row("cluster, node lost", fault_free_year, run, len(injector.fired)))

    assert before[lost.name] > 0, before
    assert sum(before.values()) == before[lost.name], f"not all on the first node: {before}"
    assert injector.fired, "the node was never stopped"
    assert sum(after.values()) >= before[lost.name], f"not every process came back: {after}"
    assert not problems(fault_free_year, run), problems(fault_free_year, run)
