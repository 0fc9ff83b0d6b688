"""Every metric the dashboard and the alerting rules use is served by a live service, only to
the roles that may read it; the rules pass promtool."""

import asyncio
import json
import re
import shutil
import subprocess
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.observability.conftest import Pair
from thidua_shared.platform.auth import Role
from thidua_shared.testing import bearer

OBSERVABILITY = Path(__file__).resolve().parents[2] / "deploy" / "observability"
_NAME = re.compile(r"\bthidua_[a-z_]+")


def _used_metrics() -> set[str]:
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    rules = (OBSERVABILITY / "alerts.yaml").read_text()
    return set(_NAME.findall(" ".join(exprs))) | set(_NAME.findall(rules))


async def _scrape(pair: Pair) -> set[str]:
    response = await pair.campaigns.client.get(
        "/campaigns/metrics", headers=bearer(Role.INTEGRATION)
    )
    assert response.status_code == 200, response.text
    return {
        sample.name
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_every_metric_the_dashboard_and_the_rules_use_is_scraped(pair: Pair) -> None:
    created = await pair.campaigns.client.post(
        "/campaigns/units", json={"code": "OBS02", "name": "Phòng Nội vụ"}
    )
    assert created.status_code == 201
    used = _used_metrics()
    assert len(used) > 10
    async with asyncio.timeout(15):
        # The consumer's lag exists once pledges has applied the event.
        while missing := used - await _scrape(pair):
            await asyncio.sleep(0.1)
    assert not missing


async def test_metrics_are_for_the_office_and_integration_only(pair: Pair) -> None:
    for role, status in ((Role.OFFICE, 200), (Role.INTEGRATION, 200), (Role.OBSERVER, 403)):
        response = await pair.pledges.client.get("/pledges/metrics", headers=bearer(role))
        assert response.status_code == status, role
    anonymous = await pair.pledges.client.get("/pledges/metrics", headers={"Authorization": ""})
    assert anonymous.status_code == 401


def test_the_alerting_rules_pass_promtool() -> None:
    promtool = shutil.which("promtool")
    assert promtool, "promtool is missing: apt-get install prometheus (.ci/run does)"
    checked = subprocess.run(
        [promtool, "check", "rules", str(OBSERVABILITY / "alerts.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
