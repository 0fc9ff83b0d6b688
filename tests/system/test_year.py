"""The 2018 year, whole, through the four services as separate processes on RabbitMQ and
PostgreSQL, with another department's two example subscribers beside them.

Delivery is at-least-once, so what must hold exactly once is each event's effect, not its
deliveries: the department and the examples de-duplicate by id, the services by their inbox.
"""

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from awards.compile.rules.ruleset import ConsecutiveYearsWithTitle, HoldsTitleThisYear, flatten
from awards.compile.ruleset_files import rule_set
from awards.main import spec as awards_spec
from pledges.main import spec as pledges_spec
from reports.main import spec as reports_spec
from tests.examples.subscribers import RunningSubscriber, subscriber
from tests.support.broker import BrokerNames, isolated_broker_names
from tests.support.processes import SERVICES, RunningSystem, running_system
from tests.system.department import DepartmentQueue, read_archive_until_quiet
from thidua_local.demo.commendation import history_csv
from thidua_local.demo.run import YearResult, play_year
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.vocabulary import Title
from thidua_shared.platform.auth import Role
from thidua_shared.testing import (
    AMQP_URL,
    RecordingBus,
    bearer,
    migrated_database,
    running_service,
)

pytestmark = pytest.mark.system

DEMO_ENV = {
    "THIDUA_DEMO_CLOCK": "1",
    "CAMPAIGNS_SCHEDULER_IN_PROCESS": "true",
    "CAMPAIGNS_SCHEDULER_INTERVAL_SECONDS": "0.5",
}
# What one year announces; the directory's own events vary with how it was loaded.
EXPECTED_EVENTS = {
    "campaign.launched": 1,
    "phase.opened": 2,
    "phase.closed": 2,
    "campaign.closed": 1,
    "pledge.submitted": 12,
    "pledge.approved": 12,
    "covenant.signed": 12,
    "report.submitted": 25,
    "report.returned": 1,
    "report.approved": 24,
    "phase.reviewed": 2,
    "nominations.compiled": 1,
    "nominations.disclosed": 1,
    # The Sở's own decision, and the Chủ tịch UBND tỉnh's on its dossier.
    "award.decided": 2,
}
BASE_SALARY_ON_24_01_2019 = 1_390_000
# The services that consume events, with the types each is bound to.
CONSUMERS = {spec.name: set(spec.handlers) for spec in (pledges_spec, reports_spec, awards_spec)}


class ExampleSubscriber:
    """An example from examples/, run as a department runs it, printing every event as JSON."""

    def __init__(self, language: str, exchange: str, queue: str) -> None:
        self.language, self.exchange, self.queue = language, exchange, queue
        self.events: list[dict[str, Any]] = []
        self._running = subscriber(language, exchange=exchange, queue=queue, arguments=["--json"])

    async def __aenter__(self) -> "ExampleSubscriber":
        self._reader = asyncio.create_task(self._read(await self._running.__aenter__()))
        return self

    async def _read(self, running: RunningSubscriber) -> None:
        async for line in running.printed_lines():
            self.events.append(json.loads(line))

    async def __aexit__(self, *exc: object) -> None:
        self._reader.cancel()
        await self._running.__aexit__(None, None, None)
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            await (await connection.channel()).queue_delete(self.queue)


@pytest.fixture(scope="module")
async def names() -> AsyncIterator[BrokerNames]:
    async with isolated_broker_names((*SERVICES, "department")) as broker_names:
        yield broker_names


@pytest.fixture(scope="module")
async def system(names: BrokerNames) -> AsyncIterator[RunningSystem]:
    async with running_system(names, "year", DEMO_ENV) as running:
        yield running


def signed_token(role: Role, unit: str | None) -> str:
    return bearer(role, unit)["Authorization"].removeprefix("Bearer ")


async def _quiet(department: DepartmentQueue, seconds: float = 2.0) -> None:
    seen = -1
    while seen != len(department.events):
        seen = len(department.events)
        await asyncio.sleep(seconds)


@pytest.fixture(scope="module")
async def year(
    system: RunningSystem, names: BrokerNames, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]]]:
    async with (
        DepartmentQueue(names.exchange, names.queue("department")) as department,
        # The department account may only use queues named dept.*.
        ExampleSubscriber("python", names.exchange, f"dept.{names.queue_prefix}py") as py_example,
        ExampleSubscriber("node", names.exchange, f"dept.{names.queue_prefix}js") as js_example,
        httpx.AsyncClient(base_url=system.gateway, timeout=60) as http,
    ):
        result = await play_year(
            http,
            signed_token,
            out_dir=tmp_path_factory.mktemp("demo-2018"),
            progress=lambda line: None,
        )
        await department.wait_for(EXPECTED_EVENTS)
        await _quiet(department)
        yield result, department, [py_example, js_example]


@pytest.fixture(scope="module")
async def archive(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]], names: BrokerNames
) -> dict[str, Envelope]:
    """Every event of the year, by id, from the exchange's archive stream."""
    return await read_archive_until_quiet(names.exchange)


DIRECTOR_TITLES = {
    Title.ADVANCED_WORKER,
    Title.GRASSROOTS_EMULATION_FIGHTER,
    Title.ADVANCED_COLLECTIVE,
    Title.CERTIFICATE_OF_MERIT,
}


async def test_the_decision_gives_each_title_by_the_rules(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]], system: RunningSystem
) -> None:
    result, _, _ = year
    scenario = result.scenario
    awards = result.decision["awards"]
    titles: dict[str, set[str]] = {}
    for award in awards:
        titles.setdefault(award["subject_code"], set()).add(award["title"])
    members = {m.staff_code: m for u in scenario.units for m in u.members}
    warned = [code for code, m in members.items() if m.discipline == "canh_cao"]
    investigated = [code for code, m in members.items() if m.under_investigation]
    failed = [code for code, m in members.items() if m.rating == "khong_hoan_thanh"]
    veteran = scenario.units[0].members[0].staff_code

    assert warned
    assert investigated
    assert failed
    for code in warned + investigated + failed:
        assert code not in titles, f"{code} must not be awarded: {titles.get(code)}"
    # The Sở's decision grants only what its Director may (Điều 80 khoản 1 Luật Thi đua, khen
    # thưởng 2022); the rest went up in the dossier and the province decided it
    # (tests/system/test_year_authority.py follows each title).
    assert {a["title"] for a in awards} <= DIRECTOR_TITLES
    assert result.province["status"] == "decided"
    assert {g["title"] for g in result.province["granted"]}.isdisjoint(DIRECTOR_TITLES)
    # The provincial title is the province's to grant: it is on the agency's approved list.
    disclosed = await _disclosed(system, result.campaign_id)
    assert (veteran, "chien_si_thi_dua_cap_tinh") in {
        (i["subject_code"], i["title"]) for i in disclosed
    }
    for award in awards:
        if "không nhận tiền thưởng" in award["multiplier_source"]:
            # Several titles for one achievement: only the highest is paid.
            assert award["bonus_vnd"] == 0, award
            continue
        expected = float(award["multiplier"]) * BASE_SALARY_ON_24_01_2019
        assert abs(award["bonus_vnd"] - expected) < 10_000, award
    assert result.decision["total_bonus_vnd"] == sum(a["bonus_vnd"] for a in awards)
    assert set(result.documents) >= {
        "ke-hoach-60-KH-STTTT.pdf",
        "bao-cao-tong-ket-2018.xlsx",
        "quyet-dinh-khen-thuong.pdf",
        "quyet-dinh-khen-thuong.docx",
        "danh-sach-khen-thuong.xlsx",
    }
    assert _all_written(result.documents.values())


async def _get(system: RunningSystem, path: str, **params: str) -> Any:
    headers = {"Authorization": f"Bearer {signed_token(Role.OFFICE, None)}"}
    async with httpx.AsyncClient(base_url=system.gateway, timeout=60, headers=headers) as http:
        response = await http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _required_titles() -> dict[str, set[str]]:
    """Title -> the titles of the same subject and year whose rules read it, transitively."""
    rules = rule_set("law-2013-decree-91-2017").rules
    reads = {
        rule.title: {
            c.title
            for c in flatten(rule.conditions)
            if isinstance(c, HoldsTitleThisYear | ConsecutiveYearsWithTitle)
        }
        for rule in rules
    }
    needing: dict[str, set[str]] = {}
    for title in reads:
        found: set[str] = set()
        frontier = {title}
        while frontier:
            frontier = {t for t, read in reads.items() if read & frontier} - found
            found |= frontier
        needing[title] = found
    return needing


async def _disclosed(system: RunningSystem, campaign_id: str) -> list[dict[str, Any]]:
    listed = await _get(system, "/awards/public/disclosures", campaign_id=campaign_id)
    return [item for disclosure in listed["items"] for item in disclosure["items"]]


async def test_a_council_refusal_takes_every_title_that_requires_it(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]], system: RunningSystem
) -> None:
    result, _, _ = year
    [session] = await _get(system, "/awards/council/sessions", campaign_id=result.campaign_id)
    votes = {(v["subject_code"], v["title"]): v for v in session["votes"]}
    # The council's own refusals: those below the threshold, not carried from another vote.
    refused = [
        v for v in session["votes"] if not v["approved"] and v["votes_for"] < v["members_present"]
    ]
    needing = _required_titles()
    carried = [
        (v, votes[(v["subject_code"], title)])
        for v in refused
        for title in needing.get(v["title"], set())
        if (v["subject_code"], title) in votes
    ]
    # BCVT-001's case, or one like it: a refused title other nominations of its holder need.
    assert carried, [(v["subject_code"], v["title"]) for v in refused]
    for cause, dependent in carried:
        assert not dependent["approved"], dependent
        assert dependent["reason"].startswith(
            "Hội đồng thi đua – khen thưởng không thông qua danh hiệu "
        ), dependent
        assert f"({cause['subject_code']})" in dependent["reason"]
        assert (
            f"{cause['votes_for']}/{cause['members_present']} thành viên" in (dependent["reason"])
        )
    disclosed = {
        (i["subject_code"], i["title"]) for i in await _disclosed(system, result.campaign_id)
    }
    awarded = {(a["subject_code"], a["title"]) for a in result.decision["awards"]}
    for _, dependent in carried:
        key = (dependent["subject_code"], dependent["title"])
        assert key not in disclosed
        assert key not in awarded


async def test_one_achievement_earns_one_form(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]], system: RunningSystem
) -> None:
    result, _, _ = year
    held: dict[str, set[str]] = {}
    for item in await _disclosed(system, result.campaign_id):
        held.setdefault(item["subject_code"], set()).add(item["title"])
    for code, titles in held.items():
        assert not {"chien_si_thi_dua_cap_tinh", "bang_khen_cap_tinh"} <= titles, code
        assert not {"tap_the_lao_dong_tien_tien", "tap_the_lao_dong_xuat_sac"} <= titles, code
    withdrawn = [
        r
        for r in result.nominations["refusals"]
        if "không khen thưởng nhiều hình thức cho một thành tích" in r["failed_condition"]
    ]
    veteran = result.scenario.units[0].members[0].staff_code
    assert (veteran, "bang_khen_cap_tinh") in {(r["subject_code"], r["title"]) for r in withdrawn}
    # A CSTĐCS stays Lao động tiên tiến, paid once: the higher bonus.
    paid: dict[str, dict[str, int]] = {}
    for award in result.decision["awards"]:
        paid.setdefault(award["subject_code"], {})[award["title"]] = award["bonus_vnd"]
    pair = {"lao_dong_tien_tien", "chien_si_thi_dua_co_so"}
    both = [bonuses for bonuses in paid.values() if pair <= bonuses.keys()]
    assert both
    for bonuses in both:
        assert bonuses["lao_dong_tien_tien"] == 0
        assert bonuses["chien_si_thi_dua_co_so"] > 0


async def test_flags_go_only_to_collectives_meeting_the_flags_criteria(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]], system: RunningSystem
) -> None:
    result, _, _ = year
    agenda = await _get(system, "/awards/council/agenda", campaign_id=result.campaign_id)
    flags = [c for c in agenda["candidates"] if c["title"] == "co_thi_dua_cap_tinh"]
    # Every cluster elected a leader: each is on the agenda or withheld with its reason.
    assert len(flags) + len(agenda["withheld"]) == len(result.clusters)
    for withheld in agenda["withheld"]:
        assert "Điều 26" in withheld["reason"], withheld
    flagged = [
        i["subject_code"]
        for i in await _disclosed(system, result.campaign_id)
        if i["title"] == "co_thi_dua_cap_tinh"
    ]
    assert flagged, "the demo's year has a leader that exceeded its targets"
    for unit_code in flagged:
        reports = await _get(
            system,
            "/reports/reports",
            campaign_id=result.campaign_id,
            phase_number="2",
            unit_code=unit_code,
        )
        [final] = [r for r in reports["items"] if r["status"] == "approved"]
        assert (final["office_rating"] or final["self_assessment"]) == "xuat_sac", unit_code
        percents = [r["percent_of_target"] for r in final["results"]]
        percents = [p for p in percents if p is not None]
        assert percents, unit_code
        assert min(percents) >= 100, (unit_code, percents)
        assert sum(percents) / len(percents) > 100, (unit_code, percents)


def _all_written(paths: Iterable[Path]) -> bool:
    return all(path.stat().st_size > 0 for path in paths)


async def test_each_event_takes_effect_once_however_often_it_is_delivered(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]],
    archive: dict[str, Envelope],
    system: RunningSystem,
) -> None:
    _, department, examples = year
    for event_type, expected in EXPECTED_EVENTS.items():
        assert department.count(event_type) == expected, event_type
    assert set(department.ids) == set(archive), "the department and the archive differ"
    for example in examples:
        for _ in range(100):
            if len({str(e["id"]) for e in example.events}) >= len(archive):
                break
            await asyncio.sleep(0.1)
        printed = Counter(str(e["id"]) for e in example.events)
        missed = [e.type for e in archive.values() if e.id not in printed]
        assert not missed, f"the {example.language} example missed {missed}"
        assert set(printed) == set(archive)
        repeated = [event_id for event_id, times in printed.items() if times > 1]
        assert not repeated, f"the {example.language} example printed {repeated} twice"
    for service, consumed_types in CONSUMERS.items():
        consumed = Counter(e.id for e in archive.values() if e.type in consumed_types)
        applied = await _inbox_once_caught_up(system.databases[service], len(consumed))
        extra, missing = applied - consumed, consumed - applied
        assert applied == consumed, f"{service} applied {extra} too and missed {missing}"


async def _inbox_once_caught_up(database: str, expected: int, patience: float = 30) -> Counter[str]:
    """The event ids a service recorded as applied (its inbox, keyed by event id), once it holds
    as many as expected or its patience runs out."""
    dsn = make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        deadline = asyncio.get_running_loop().time() + patience
        while True:
            rows = await connection.fetch("SELECT event_id FROM inbox")
            if len(rows) >= expected or asyncio.get_running_loop().time() > deadline:
                return Counter(str(row["event_id"]) for row in rows)
            await asyncio.sleep(0.2)
    finally:
        await connection.close()


async def test_replaying_the_archive_into_a_fresh_awards_database_rebuilds_the_nominations(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]],
    archive: dict[str, Envelope],
) -> None:
    result, _, _ = year
    envelopes = list(archive.values())
    consumed = CONSUMERS["awards"]
    database = await migrated_database(awards_spec, "thidua_test_year_replay")
    async with running_service(awards_spec, database, RecordingBus()) as awards:
        # The award history is the awards service's own input, not an event: import it again.
        imported = await awards.client.post(
            "/awards/history/import",
            content=history_csv(result.scenario),
            headers={"Content-Type": "text/csv; charset=utf-8"},
        )
        assert imported.status_code == 200, imported.text
        for envelope in envelopes:
            if envelope.type in consumed:
                await awards.replay(envelope)
        rebuilt = await awards.client.get(f"/awards/campaigns/{result.campaign_id}/nominations")

    def decided(nominations: dict[str, Any]) -> set[tuple[str, str, tuple[str, ...]]]:
        return {
            (n["subject_code"], n["title"], tuple(n["facts"])) for n in nominations["nominations"]
        }

    assert rebuilt.status_code == 200, rebuilt.text
    assert decided(rebuilt.json()) == decided(result.nominations)


async def test_the_gateway_serves_every_api_and_its_docs(system: RunningSystem) -> None:
    async with httpx.AsyncClient(base_url=system.gateway) as client:
        for service in SERVICES:
            spec = await client.get(f"/{service}/openapi.json")
            assert spec.status_code == 200
            assert spec.json()["info"]["title"] == f"thidua {service}"
            assert (await client.get(f"/{service}/docs")).status_code == 200
        missing = await client.get("/nowhere")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
