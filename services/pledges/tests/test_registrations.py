import asyncio
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest

from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.contracts.pledges import PledgeSubmitted
from thidua_shared.testing import RecordingBus, RunningService

Body = Callable[..., dict[str, Any]]
Members = Callable[..., list[dict[str, Any]]]
URL = "/pledges/registrations"


async def _submitted_for(
    pledges: RunningService, bus: RecordingBus, campaign_id: UUID
) -> list[PledgeSubmitted]:
    await pledges.drain_outbox()
    events: list[PledgeSubmitted] = [
        e.payload(PledgeSubmitted) for e in bus.of_type("pledge.submitted")
    ]
    return [e for e in events if e.campaign_id == campaign_id]


async def _registrations_for(pledges: RunningService, campaign_id: UUID) -> int:
    page = await pledges.client.get(URL, params={"campaign_id": str(campaign_id)})
    assert page.status_code == 200, page.text
    total: int = page.json()["total"]
    return total


async def test_a_unit_registers_its_titles_and_members(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    response = await pledges.client.post(URL, json=new_registration(launched.campaign_id))

    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["ETag"] == f'"{created["version"]}"'
    assert response.headers["Location"] == f"{URL}/{created['id']}"
    assert created["status"] == "submitted"
    assert created["submission_number"] == 1
    assert created["unit_code"] == "VP"
    assert created["collective_title"] == "tap_the_lao_dong_xuat_sac"
    assert [m["staff_code"] for m in created["members"]] == ["NV001", "NV002"]

    read = await pledges.client.get(f"{URL}/{created['id']}")
    assert read.status_code == 200
    assert read.json() == created
    [submitted] = await _submitted_for(pledges, bus, launched.campaign_id)
    assert (str(submitted.registration_id), submitted.unit_code, submitted.version) == (
        created["id"],
        "VP",
        1,
    )


async def test_unknown_registration_is_a_problem(pledges: RunningService) -> None:
    response = await pledges.client.get(f"{URL}/{uuid4()}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "registration_id"


async def test_campaign_not_launched_here_is_refused(
    pledges: RunningService, bus: RecordingBus, new_registration: Body
) -> None:
    campaign_id = uuid4()
    response = await pledges.client.post(URL, json=new_registration(campaign_id))
    assert response.status_code == 409
    assert response.json()["field"] == "campaign_id"
    assert await _registrations_for(pledges, campaign_id) == 0
    assert await _submitted_for(pledges, bus, campaign_id) == []


async def test_unit_outside_the_campaign_is_refused(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    body = new_registration(launched.campaign_id, unit_code="SOYTE")
    response = await pledges.client.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["field"] == "unit_code"
    assert await _registrations_for(pledges, launched.campaign_id) == 0
    assert await _submitted_for(pledges, bus, launched.campaign_id) == []


async def test_second_registration_of_a_unit_is_refused(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    first = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    assert first.status_code == 201
    again = new_registration(launched.campaign_id, members=new_members("NV009"))
    response = await pledges.client.post(URL, json=again)
    assert response.status_code == 409
    assert response.json()["field"] == "unit_code"
    assert response.json()["registration_id"] == first.json()["id"]
    assert await _registrations_for(pledges, launched.campaign_id) == 1
    assert len(await _submitted_for(pledges, bus, launched.campaign_id)) == 1


@pytest.mark.parametrize(
    ("member_list", "field"),
    [
        (["NV001", "NV002", "NV001"], "members[2].staff_code"),
        (["NV001", "NV 002"], "members[1].staff_code"),
        ([f"NV{i}" for i in range(5001)], "members"),
    ],
    ids=["duplicate-staff-code", "malformed-staff-code", "too-many"],
)
async def test_a_bad_member_list_names_the_field(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
    member_list: list[str],
    field: str,
) -> None:
    body = new_registration(launched.campaign_id, members=new_members(*member_list))
    response = await pledges.client.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert await _registrations_for(pledges, launched.campaign_id) == 0
    assert await _submitted_for(pledges, bus, launched.campaign_id) == []


async def test_a_member_without_a_name_names_the_field(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    body = new_registration(launched.campaign_id, members=[{"staff_code": "NV001"}])
    response = await pledges.client.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["field"] == "members[0].full_name"


async def test_idempotency_key_replays_the_first_answer(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    headers = {"Idempotency-Key": f"register-{launched.campaign_id}"}
    body = new_registration(launched.campaign_id)
    first = await pledges.client.post(URL, json=body, headers=headers)
    again = await pledges.client.post(URL, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(await _submitted_for(pledges, bus, launched.campaign_id)) == 1


async def test_list_filters_and_pages(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    for unit_code in ("VP", "TTCNTT"):
        body = new_registration(launched.campaign_id, unit_code=unit_code)
        assert (await pledges.client.post(URL, json=body)).status_code == 201

    campaign = {"campaign_id": str(launched.campaign_id)}
    page = (await pledges.client.get(URL, params={**campaign, "limit": 1, "offset": 1})).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 1, 1)
    only_vp = (await pledges.client.get(URL, params={**campaign, "unit_code": "VP"})).json()
    assert [r["unit_code"] for r in only_vp["items"]] == ["VP"]
    too_big = await pledges.client.get(URL, params={"limit": 10_001})
    assert too_big.status_code == 422
    assert too_big.json()["field"] == "limit"


async def test_concurrent_registrations_of_one_unit_leave_one(
    pledges: RunningService,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    bodies = [
        new_registration(launched.campaign_id, members=new_members(*codes))
        for codes in (["NV001"], ["NV002"], ["NV003"])
    ]
    responses = await asyncio.gather(*(pledges.client.post(URL, json=b) for b in bodies))
    assert sorted(r.status_code for r in responses) == [201, 409, 409]
    assert {r.json()["field"] for r in responses if r.status_code == 409} == {"unit_code"}
    assert await _registrations_for(pledges, launched.campaign_id) == 1
