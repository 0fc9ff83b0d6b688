"""Object-level access, across units: a unit head of one unit reaches none of another unit's
records, by their real ids, on any route of the service that names them, and no unit_code
filter shows another unit's records; the clock routes are the office's (and readers').

Campaigns holds no unit's own record: the plans and the directory are the agency's, which every
role reads, so there a unit head reads what the office reads and changes nothing. Awards is in
test_object_access_awards.py."""

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from fastapi.routing import APIRoute

from campaigns.main import spec as campaigns_spec
from pledges.main import spec as pledges_spec
from reports.main import spec as reports_spec
from services.campaigns.tests.conftest import campaign_body
from services.pledges.tests.conftest import BEFORE_DEADLINE, registration_body
from services.pledges.tests.conftest import campaign_launched as pledges_launch
from services.reports.tests.conftest import ON_TIME, phase_closed, pledge_approved, report_body
from services.reports.tests.conftest import campaign_launched as reports_launch
from tests.api.test_access_matrix import access_rule, served_routes
from thidua_local.allinone import SPECS
from thidua_shared.platform.app import ServiceSpec
from thidua_shared.platform.auth import Role
from thidua_shared.platform.clock import set_clock
from thidua_shared.testing import RecordingBus, RunningService, bearer, migrated_database
from thidua_shared.testing import running_service as run

OFFICE = bearer(Role.OFFICE)
OWNER = bearer(Role.UNIT_HEAD, "VP")
INTRUDER = bearer(Role.UNIT_HEAD, "TTCNTT")


@pytest.fixture
def at(request: pytest.FixtureRequest) -> Iterator[None]:
    moment: datetime = request.param
    set_clock(lambda: moment)
    yield
    set_clock(lambda: datetime.now(UTC))


def filled(path: str, route: APIRoute, ids: dict[str, str]) -> str | None:
    """The path with the real ids, or None when it names something not in `ids`."""
    for param in route.dependant.path_params:
        if param.name not in ids:
            return None
        path = path.replace("{" + param.name + "}", ids[param.name])
    return path


async def probe(service: RunningService, spec: ServiceSpec, ids: dict[str, str], owned: str) -> int:
    """Every route naming the owner's record `owned`, every method, as the other unit's head:
    never a success, never a server error; a read is a 403 or 404. Returns the routes probed."""
    probed = 0
    for path, route in served_routes(spec):
        names = {p.name for p in route.dependant.path_params}
        url = filled(path, route, ids)
        if owned not in names or url is None:
            continue
        for method in sorted(route.methods or ()):
            response = await service.client.request(
                method, url, json={}, headers={**INTRUDER, "If-Match": '"1"'}
            )
            where = f"{method} {path}: {response.status_code} {response.text[:200]}"
            assert 400 <= response.status_code < 500, where
            if method == "GET":
                assert response.status_code in (403, 404), where
            probed += 1
    return probed


async def no_other_unit_listed(service: RunningService, url: str, campaign_id: str) -> None:
    listed = await service.client.get(
        url, params={"campaign_id": campaign_id, "unit_code": "VP"}, headers=INTRUDER
    )
    assert listed.status_code in (200, 403), listed.text
    if listed.status_code == 200:
        body: Any = listed.json()
        items = body["items"] if isinstance(body, dict) else body
        assert all(item["unit_code"] != "VP" for item in items), listed.text


@pytest.fixture(scope="module")
async def pledges() -> AsyncIterator[RunningService]:
    database = await migrated_database(pledges_spec, "thidua_test_object_access_pledges")
    async with run(pledges_spec, database, RecordingBus()) as service:
        yield service


@pytest.fixture(scope="module")
async def reports() -> AsyncIterator[RunningService]:
    database = await migrated_database(reports_spec, "thidua_test_object_access_reports")
    async with run(reports_spec, database, RecordingBus()) as service:
        yield service


@pytest.mark.parametrize("at", [BEFORE_DEADLINE], indirect=True)
async def test_another_units_registration_is_out_of_reach(
    pledges: RunningService, at: None
) -> None:
    launch = pledges_launch()
    await pledges.deliver(launch, source="/thidua/campaigns")
    created = await pledges.client.post(
        "/pledges/registrations", json=registration_body(launch.campaign_id), headers=OWNER
    )
    assert created.status_code == 201, created.text
    before = (await pledges.client.get(f"/pledges/registrations/{created.json()['id']}")).json()
    ids = {
        "registration_id": created.json()["id"],
        "campaign_id": str(launch.campaign_id),
        "unit_code": "VP",
        "phase_number": "1",
        "version": "1",
    }
    assert await probe(pledges, pledges_spec, ids, "registration_id") >= 4
    after = (await pledges.client.get(f"/pledges/registrations/{ids['registration_id']}")).json()
    assert after == before, "another unit's head changed the registration"
    await no_other_unit_listed(pledges, "/pledges/registrations", ids["campaign_id"])


@pytest.mark.parametrize("at", [ON_TIME], indirect=True)
async def test_another_units_report_is_out_of_reach(reports: RunningService, at: None) -> None:
    campaign_id = uuid4()
    await reports.deliver(reports_launch(campaign_id))
    for unit in ("VP", "TTCNTT"):
        await reports.deliver(pledge_approved(campaign_id, unit))
    await reports.deliver(phase_closed(campaign_id, 1))
    created = await reports.client.post(
        "/reports/reports", json=report_body(campaign_id), headers=OWNER
    )
    assert created.status_code == 201, created.text
    before = (await reports.client.get(f"/reports/reports/{created.json()['id']}")).json()
    ids = {
        "report_id": created.json()["id"],
        "campaign_id": str(campaign_id),
        "unit_code": "VP",
        "phase_number": "1",
    }
    assert await probe(reports, reports_spec, ids, "report_id") >= 3
    after = (await reports.client.get(f"/reports/reports/{ids['report_id']}")).json()
    assert after == before, "another unit's head changed the report"
    await no_other_unit_listed(reports, "/reports/reports", ids["campaign_id"])


@pytest.fixture(scope="module")
async def campaigns() -> AsyncIterator[RunningService]:
    database = await migrated_database(campaigns_spec, "thidua_test_object_access_campaigns")
    async with run(campaigns_spec, database, RecordingBus()) as service:
        yield service


async def read_as_the_office_reads(
    service: RunningService, ids: dict[str, str], only: str
) -> list[str]:
    """Every campaigns route under `only` naming the ids, as the other unit's head: a write is
    refused (403), a read answers what the office's does. Returns the routes probed."""
    probed: list[str] = []
    for path, route in served_routes(campaigns_spec):
        url = filled(path, route, ids)
        if not path.startswith(only) or not route.dependant.path_params or url is None:
            continue
        for method in sorted(route.methods or ()):
            response = await service.client.request(
                method, url, json={}, headers={**INTRUDER, "If-Match": "*"}
            )
            where = f"{method} {path}: {response.status_code} {response.text[:200]}"
            if Role.UNIT_HEAD not in access_rule(route):
                assert response.status_code == 403, where
            else:
                office = await service.client.request(method, url, headers=OFFICE)
                assert response.status_code == office.status_code == 200, where
            probed.append(f"{method} {path}")
    return probed


async def test_a_unit_head_changes_neither_the_plan_nor_another_units_directory_record(
    campaigns: RunningService,
) -> None:
    for code, name in (("VP", "Văn phòng Sở"), ("TTCNTT", "Trung tâm Công nghệ thông tin")):
        unit = await campaigns.client.post("/campaigns/units", json={"code": code, "name": name})
        assert unit.status_code == 201, unit.text
    cluster = {"code": "CUM1", "name": "Cụm thi đua số 1", "unit_codes": ["VP", "TTCNTT"]}
    assert (await campaigns.client.post("/campaigns/clusters", json=cluster)).status_code == 201
    created = await campaigns.client.post("/campaigns/campaigns", json=campaign_body())
    assert created.status_code == 201, created.text
    campaign = f"/campaigns/campaigns/{created.json()['id']}"
    launched = await campaigns.client.post(f"{campaign}/launch")
    assert launched.status_code == 200, launched.text
    records = (campaign, "/campaigns/units/VP", "/campaigns/clusters/CUM1")
    before = [(await campaigns.client.get(url)).json() for url in records]

    plan = {"campaign_id": created.json()["id"], "phase_number": "1"}
    probed = await read_as_the_office_reads(campaigns, plan, "/campaigns/campaigns")
    probed += await read_as_the_office_reads(campaigns, {"code": "VP"}, "/campaigns/units")
    cluster_ids = {"code": "CUM1", "year": "2018"}
    probed += await read_as_the_office_reads(campaigns, cluster_ids, "/campaigns/clusters")
    assert len(probed) >= 15, probed

    after = [(await campaigns.client.get(url)).json() for url in records]
    assert after == before, "another unit's head changed the plan or the directory"
    # The plan names its units; filtering by one shows the intruder the office's own page.
    query = {"unit": "VP"}
    listed = await campaigns.client.get("/campaigns/campaigns", params=query, headers=INTRUDER)
    office = await campaigns.client.get("/campaigns/campaigns", params=query, headers=OFFICE)
    assert listed.status_code == 200, listed.text
    assert listed.json() == office.json()


@pytest.fixture(scope="module", params=SPECS, ids=lambda spec: spec.name)
async def service(request: pytest.FixtureRequest) -> AsyncIterator[tuple[str, RunningService]]:
    spec: ServiceSpec = request.param
    database = await migrated_database(spec, f"thidua_test_object_clock_{spec.name}")
    async with run(spec, database, RecordingBus(), demo_clock=True) as running:
        yield spec.name, running


async def test_only_the_office_moves_the_clock_and_unit_heads_do_not_read_it(
    service: tuple[str, RunningService],
) -> None:
    name, running = service
    path = f"/{name}/ops/clock"
    moment = {"now": "2018-03-01T08:00:00+07:00"}
    for role in Role:
        headers = bearer(role, "VP" if role is Role.UNIT_HEAD else None)
        moved = await running.client.put(path, json=moment, headers={**headers, "If-Match": "*"})
        assert moved.status_code == (200 if role is Role.OFFICE else 403), (role, moved.text)
        read = await running.client.get(path, headers=headers)
        assert read.status_code == (403 if role is Role.UNIT_HEAD else 200), (role, read.text)
    set_clock(lambda: datetime.now(UTC))
