"""The 2018 year, whole, through the four services as separate processes on RabbitMQ and
PostgreSQL, with another department's two example subscribers beside them."""

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest

from awards.main import spec as awards_spec
from tests.examples.subscribers import RunningSubscriber, subscriber
from tests.support.broker import BrokerNames, isolated_broker_names, read_archive
from tests.support.processes import SERVICES, RunningSystem, running_system
from tests.system.department import DepartmentQueue
from thidua_local.demo.commendation import history_csv
from thidua_local.demo.run import YearResult, play_year
from thidua_shared.contracts.envelope import Envelope
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
    "award.decided": 1,
}
BASE_SALARY_ON_24_01_2019 = 1_390_000


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


async def test_the_decision_gives_each_title_by_the_rules(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]],
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
    assert "chien_si_thi_dua_cap_tinh" in titles[veteran]
    assert sum("co_thi_dua_cap_tinh" in t for t in titles.values()) == len(result.clusters)
    for award in awards:
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


def _all_written(paths: Iterable[Path]) -> bool:
    return all(path.stat().st_size > 0 for path in paths)


async def test_every_event_reaches_a_department_once_per_id(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]],
) -> None:
    _, department, examples = year
    for event_type, expected in EXPECTED_EVENTS.items():
        assert department.count(event_type) == expected, event_type
    assert all(count == 1 for count in department.ids.values()), "an event id arrived twice"
    for example in examples:
        for _ in range(100):
            if len(example.events) >= len(department.ids):
                break
            await asyncio.sleep(0.1)
        printed = Counter(str(e["id"]) for e in example.events)
        missed = [e["type"] for e in department.events if e["id"] not in printed]
        assert not missed, f"the {example.language} example missed {missed}"
        assert set(printed) == set(department.ids)
        assert max(printed.values()) == 1


async def test_replaying_the_archive_into_a_fresh_awards_database_rebuilds_the_nominations(
    year: tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]], names: BrokerNames
) -> None:
    result, department, _ = year
    bodies = await read_archive(names.exchange, len(department.ids))
    envelopes = [Envelope.model_validate_json(body) for body in bodies]
    consumed = set(awards_spec.handlers)
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
