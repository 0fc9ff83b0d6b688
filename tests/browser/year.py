"""The parts of a year the console test does not play in the browser, through the public API
with the demo's own steps: the plan, the history, the other eleven units, the clock.

The console test plays one unit (the demo's Văn phòng Sở) and the office, council and public in
the browser; every other unit registers and reports as `thidua demo` has it do, so the year
reaches its nominations, votes and decision as the demo's does.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from thidua_local.demo import commendation, registration, reporting
from thidua_local.demo.client import DemoClient, TokenFactory, wait_until
from thidua_local.demo.commendation import AGENCY_GROUNDS, COUNCIL
from thidua_local.demo.run import at
from thidua_local.demo.scenario import Member, Scenario, UnitPeople, generate
from thidua_shared.platform.auth import AuthConfig, Role, issue_development_token
from thidua_shared.platform.local_data import development_signing_key

# The unit the browser plays: Văn phòng Sở, in Cụm thi đua số 1.
CONSOLE_UNIT = "VP"


@dataclass
class Year:
    client: DemoClient
    campaign_id: str
    scenario: Scenario
    clusters: dict[str, list[str]]
    unit_names: dict[str, str]
    tasks: list[dict[str, Any]]

    @property
    def console_unit(self) -> UnitPeople:
        return next(u for u in self.scenario.units if u.unit_code == CONSOLE_UNIT)

    @property
    def other_units(self) -> Scenario:
        others = [u for u in self.scenario.units if u.unit_code != CONSOLE_UNIT]
        return Scenario(self.scenario.seed, others)

    async def _campaign(self) -> dict[str, Any]:
        found: dict[str, Any] = await self.client.call(
            "GET", f"/campaigns/campaigns/{self.campaign_id}"
        )
        return found

    async def registration(self, unit: str) -> dict[str, Any]:
        """The unit's registration for the campaign, in full."""
        [found] = await self.client.every_page(
            "/pledges/registrations", params={"campaign_id": self.campaign_id, "unit_code": unit}
        )
        registration: dict[str, Any] = await self.client.call(
            "GET", f"/pledges/registrations/{found['id']}"
        )
        return registration

    async def report(self, unit: str, phase: int) -> dict[str, Any]:
        """The unit's report of the phase, in full."""
        params = {"campaign_id": self.campaign_id, "unit_code": unit, "phase_number": phase}
        [found] = await self.client.every_page("/reports/reports", params=params)
        report: dict[str, Any] = await self.client.call("GET", f"/reports/reports/{found['id']}")
        return report

    async def register_other_units(self) -> None:
        """Every other unit registers, and the office approves them."""
        await self._register(self.other_units)

    async def register_console_unit(self) -> None:
        """The console unit's registration, where the browser does not play it."""
        await self._register(Scenario(self.scenario.seed, [self.console_unit]))

    async def _register(self, units: Scenario) -> None:
        registrations = await registration.register_units(self.client, self.campaign_id, units)
        for submitted in registrations.values():
            if submitted["status"] == "submitted":
                await self.client.call("POST", f"/pledges/registrations/{submitted['id']}/approve")

    async def sign_covenants(self) -> None:
        await registration.sign_covenants(
            self.client, self.campaign_id, self.clusters, self.unit_names
        )

    async def close_phase(self, number: int, day: str) -> None:
        """The clock moves to the day; the scheduler closes the phase."""
        await self.client.set_time(at(day))

        async def closed() -> bool:
            phases = (await self._campaign())["phases"]
            return any(p["number"] == number and p["status"] == "closed" for p in phases)

        await wait_until(closed, f"phase {number} to close")

    async def report_other_units(self, phase: int) -> None:
        await reporting.report_phase(self.client, self.campaign_id, phase, self.other_units)

    async def report_console_unit(self, phase: int) -> None:
        """The console unit's report of a phase the browser does not play."""
        only = Scenario(self.scenario.seed, [self.console_unit])
        await reporting.report_phase(self.client, self.campaign_id, phase, only)

    async def nominations(self) -> dict[str, Any]:
        return await commendation.await_nominations(self.client, self.campaign_id)

    async def cluster_votes(self) -> None:
        """Each cluster elects its leading unit on 08/01/2019, as in the demo."""
        await self.client.set_time(at("2019-01-08"))
        for number, (cluster, units) in enumerate(sorted(self.clusters.items()), start=1):
            await commendation._cluster_vote(
                self.client, self.campaign_id, cluster, units, date(2019, 1, 8), number
            )

    async def council_session(self) -> dict[str, Any]:
        """The council meets on 10/01/2019 (the office opens the session)."""
        await self.client.set_time(at("2019-01-10"))
        session: dict[str, Any] = await self.client.call(
            "POST",
            "/awards/council/sessions",
            json={
                "campaign_id": self.campaign_id,
                "held_on": "2019-01-10",
                "place": "Phòng họp Sở Thông tin và Truyền thông",
                "members": [{"name": n, "role": r, "present": p} for n, r, p in COUNCIL],
            },
        )
        return session

    async def council(self, session: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = await self.client.call(
            "GET", f"/awards/council/sessions/{session['id']}"
        )
        return found

    async def disclose(self, session: dict[str, Any]) -> dict[str, Any]:
        disclosure: dict[str, Any] = await self.client.call(
            "POST", "/awards/disclosures", json={"session_id": session["id"]}
        )
        return disclosure

    async def comments(self, disclosure: dict[str, Any]) -> list[dict[str, Any]]:
        found = await self.client.call("GET", f"/awards/disclosures/{disclosure['id']}")
        comments: list[dict[str, Any]] = found["comments"]
        return comments

    async def answer(self, disclosure: dict[str, Any], comment: dict[str, Any], text: str) -> None:
        await self.client.call(
            "POST",
            f"/awards/disclosures/{disclosure['id']}/comments/{comment['id']}/answer",
            json={"answer": text},
        )

    async def decide(self, disclosure: dict[str, Any]) -> dict[str, Any]:
        """The Director signs Quyết định 15/QĐ-STTTT the day after the comment period."""
        decided_on = date.fromisoformat(disclosure["comment_until"]) + timedelta(days=1)
        await self.client.set_time(at(decided_on.isoformat()))
        decision: dict[str, Any] = await self.client.call(
            "POST",
            "/awards/decisions",
            role=Role.DECISION_SIGNER,
            json={
                "disclosure_id": disclosure["id"],
                "number": "15/QĐ-STTTT",
                "decided_on": decided_on.isoformat(),
                "place": "Đồng Nai",
                "issuing_agency": "Sở Thông tin và Truyền thông",
                "parent_agency": "UBND tỉnh Đồng Nai",
                "signer_title": "Giám đốc",
                "signer_name": "Lê Hoàng Ngọc",
                "preamble": AGENCY_GROUNDS,
            },
        )
        return decision


def tokens(data_dir: Path) -> TokenFactory:
    """Tokens signed with the key `thidua up` keeps in its data directory, as `thidua token`
    signs them; the test run's own THIDUA_ settings are not the system's."""
    config = AuthConfig(
        issuer="thidua-dev",
        audience="thidua",
        signing_key=development_signing_key(data_dir),
        jwks_url=None,
    )

    def issue(role: Role, unit: str | None) -> str:
        return issue_development_token(config, role, unit_code=unit, subject=f"test-{role}")

    return issue


async def start_year(http: httpx.AsyncClient, data_dir: Path) -> Year:
    """The plan 60/KH-STTTT launched on 09/01/2018, two years of award history imported, and
    the clock at 20/01/2018, when units register."""
    from campaigns.seed import load_seed

    client = DemoClient(http, tokens(data_dir))
    await client.set_time(at("2018-01-09", 8))
    # The seed loader speaks as the office: the client's default header carries its token.
    http.headers.update(client.as_role(Role.OFFICE))
    campaign_id = str(await load_seed(http))
    campaign = await client.call("GET", f"/campaigns/campaigns/{campaign_id}")
    units = [u for u in campaign["units"] if u.get("cluster")]
    clusters: dict[str, list[str]] = {}
    for unit in units:
        clusters.setdefault(unit["cluster"], []).append(unit["code"])
    scenario = generate([u["code"] for u in units], seed=2018, members=150)
    await commendation.import_history(client, scenario)
    await client.set_time(at("2018-01-20"))
    unit_names = {u["code"]: u["name"] for u in campaign["units"]}
    return Year(client, campaign_id, scenario, clusters, unit_names, campaign["tasks"])


def member_row(member: Member) -> list[str]:
    """A member as a row of the registration's member template."""
    return [member.staff_code, member.full_name, member.gender, member.position, member.title_aimed]
