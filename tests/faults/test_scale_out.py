"""Two of everything on the same databases play the year as one system does.

Two replicas of every service (the HTTP load spread over both), two relays per service and two
schedulers: the consumers compete on each queue, the relays on each outbox, the schedulers on
each due phase. The year ends with one compile, each phase opened and closed once, and every
domain table holding the rows of the fault-free run, none twice.
"""

from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.faults.harness import RoundRobin, supervised_system
from tests.faults.year import REPORT, YearRun, play, problems, report_row
from tests.support.rabbit_node import RabbitNode

pytestmark = pytest.mark.system

ONCE_PER_YEAR = {
    "campaign.launched": 1,
    "phase.opened": 2,
    "phase.closed": 2,
    "campaign.closed": 1,
    "phase.reviewed": 2,
    "nominations.compiled": 1,
    # The Sở's own decision, and the Chủ tịch UBND tỉnh's on its dossier.
    "award.decided": 2,
}


@pytest.mark.timeout(600)
async def test_two_of_every_process_play_the_year_as_one_system(
    fault_free_year: YearRun, own_node: RabbitNode, tmp_path: Path
) -> None:
    async with (
        supervised_system(
            "faults_scaled", own_node.url, tmp_path, replicas=2, relays=2, schedulers=2
        ) as system,
        httpx.AsyncClient(
            base_url=system.gateways[0], transport=RoundRobin(system.gateways), timeout=60
        ) as http,
    ):
        run = await play(system, http, tmp_path / "documents")
        consumed_by_replica = {name: body.get("consumers", []) for name, body in run.health.items()}
    REPORT.append(report_row("2 of everything", fault_free_year, run, 0))

    announced = Counter(run.settled.archive.types.values())
    assert {t: announced[t] for t in ONCE_PER_YEAR} == ONCE_PER_YEAR
    assert run.result.nominations["version"] == 1
    assert run.settled.snapshot.tables["awards"]["compilations"] == 1
    assert not problems(fault_free_year, run), problems(fault_free_year, run)
    for service in ("pledges", "reports", "awards"):
        for replica in system.replicas_of(service):
            assert [c["attached"] for c in consumed_by_replica[replica]] == [True], replica
