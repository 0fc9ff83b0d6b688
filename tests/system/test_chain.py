"""The walking skeleton end to end: four service processes, the gateway, RabbitMQ, PostgreSQL."""

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.broker import BrokerNames, isolated_broker_names
from tests.support.processes import SERVICES, RunningSystem, running_system
from tests.system.chain import EXPECTED_EVENTS, UNITS, run_chain
from tests.system.department import DepartmentQueue
from thidua_shared.platform.auth import Role
from thidua_shared.testing import bearer

pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
async def names() -> AsyncIterator[BrokerNames]:
    async with isolated_broker_names(SERVICES) as broker_names:
        yield broker_names


@pytest.fixture(scope="module")
async def system(names: BrokerNames) -> AsyncIterator[RunningSystem]:
    async with running_system(names, "sys") as running:
        yield running


async def test_the_chain_compiles_nominations_and_a_department_sees_every_event(
    system: RunningSystem, names: BrokerNames
) -> None:
    async with (
        DepartmentQueue(names.exchange, f"{names.queue_prefix}department") as department,
        httpx.AsyncClient(
            base_url=system.gateway, timeout=30, headers=bearer(Role.OFFICE)
        ) as client,
    ):
        result = await run_chain(client, lambda unit: bearer(Role.UNIT_HEAD, unit))
        await department.wait_for(EXPECTED_EVENTS)

    nominated = {n["subject_code"] for n in result.nominations["items"]}
    assert nominated == {u["code"] for u in UNITS}
    assert result.nominations["version"] == 1

    assert all(count == 1 for count in department.ids.values()), "an event id arrived twice"
    for event_type, expected in EXPECTED_EVENTS.items():
        assert department.count(event_type) == expected, event_type
    sources = {str(e["source"]) for e in department.events}
    assert sources == {f"/thidua/{s}" for s in SERVICES}
    compiled = next(e for e in department.events if e["type"] == "nominations.compiled")
    assert isinstance(compiled["data"], dict)
    assert compiled["data"]["campaign_id"] == result.campaign_id


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
