"""One RabbitMQ node of our own for the fault tests, the fault-free year they compare with, and
the summary they print at the end of the run."""

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.faults.harness import supervised_system
from tests.faults.year import REPORT, YearRun, decision_summary, play
from tests.support.rabbit_node import NodeFactory, RabbitNode, rabbit_nodes

_WALL: dict[str, float] = {}


@pytest.fixture(scope="session", autouse=True)
def fault_suite_began() -> None:
    _WALL["began"] = time.monotonic()


@pytest.fixture(autouse=True)
def fault_suite_ended() -> Iterator[None]:
    # Per test, not at the session's end: other suites may run after this one.
    yield
    _WALL["ended"] = time.monotonic()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not REPORT and "began" not in _WALL:
        return
    terminalreporter.section("fault tests")
    for line in REPORT:
        terminalreporter.write_line(line)
    if "ended" in _WALL:
        wall = _WALL["ended"] - _WALL["began"]
        terminalreporter.write_line(f"fault tests wall time: {wall:.0f} s")


@pytest.fixture(scope="session")
def node_factory() -> Iterator[NodeFactory]:
    with rabbit_nodes() as factory:
        yield factory


@pytest.fixture(scope="session")
def own_node(node_factory: NodeFactory) -> RabbitNode:
    """A node of our own: the fault tests restart it under the services."""
    node = node_factory.node()
    took = node.start()
    REPORT.append(f"RabbitMQ node {node.name} started in {took:.1f} s")
    return node


@pytest.fixture(scope="session")
async def fault_free_year(
    own_node: RabbitNode, tmp_path_factory: pytest.TempPathFactory
) -> YearRun:
    folder = tmp_path_factory.mktemp("fault-free")
    async with (
        supervised_system("faults_free", own_node.url, folder) as system,
        httpx.AsyncClient(base_url=system.gateways[0], timeout=60) as http,
    ):
        run = await play(system, http, Path(folder / "documents"))
    REPORT.append(f"fault-free year: {run.seconds:.1f} s, {len(run.writes)} writes")
    REPORT.append(f"fault-free decision: {decision_summary(run)}")
    return run
