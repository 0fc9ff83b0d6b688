"""Who may do what with registrations: roles per route, and unit heads bound to their unit."""

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer

Body = Callable[..., dict[str, Any]]
Members = Callable[..., list[dict[str, Any]]]
URL = "/pledges/registrations"
HEAD_A = bearer(Role.UNIT_HEAD, "VP")
OBSERVER = bearer(Role.OBSERVER)


async def _create(pledges: RunningService, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    response = await pledges.client.post(URL, json=body, headers=headers or None)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _submitted_events(pledges: RunningService, bus: RecordingBus, campaign_id: UUID) -> int:
    await pledges.drain_outbox()
    return sum(
        1 for e in bus.of_type("pledge.submitted") if e.data["campaign_id"] == str(campaign_id)
    )


async def _total(pledges: RunningService, campaign_id: UUID, **params: str) -> int:
    page = await pledges.client.get(URL, params={"campaign_id": str(campaign_id), **params})
    assert page.status_code == 200, page.text
    total: int = page.json()["total"]
    return total


def _same_problem(refused: httpx.Response, unknown: httpx.Response, refused_id: str) -> None:
    """A record of another unit answers exactly like an id that does not exist."""
    assert refused.status_code == unknown.status_code == 404
    mine, theirs = refused.json(), unknown.json()
    assert {k: v for k, v in mine.items() if k not in ("detail", "instance")} == {
        k: v for k, v in theirs.items() if k not in ("detail", "instance")
    }
    assert mine["field"] == "registration_id"
    assert mine["detail"] == f"No registration {refused_id}."


async def test_a_unit_head_cannot_register_for_another_unit(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    response = await pledges.client.post(
        URL, json=new_registration(launched.campaign_id, unit_code="TTCNTT"), headers=HEAD_A
    )

    assert response.status_code == 403, response.text
    assert response.json()["field"] == "unit_code"
    assert await _total(pledges, launched.campaign_id) == 0
    assert await _submitted_events(pledges, bus, launched.campaign_id) == 0
    # Their own unit is fine, and so is the office registering for any unit.
    await _create(pledges, new_registration(launched.campaign_id), **HEAD_A)
    await _create(pledges, new_registration(launched.campaign_id, unit_code="TTCNTT"))
    assert await _total(pledges, launched.campaign_id) == 2


async def test_another_units_registration_reads_as_missing(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    theirs = await _create(pledges, new_registration(launched.campaign_id, unit_code="TTCNTT"))
    missing = uuid4()

    for suffix in ("", "/versions"):
        refused = await pledges.client.get(f"{URL}/{theirs['id']}{suffix}", headers=HEAD_A)
        unknown = await pledges.client.get(f"{URL}/{missing}{suffix}", headers=HEAD_A)
        _same_problem(refused, unknown, theirs["id"])
    own_unit_head = bearer(Role.UNIT_HEAD, "TTCNTT")
    assert (await pledges.client.get(f"{URL}/{theirs['id']}", headers=own_unit_head)).is_success


async def test_a_unit_head_cannot_resubmit_another_units_registration(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    theirs = await _create(pledges, new_registration(launched.campaign_id, unit_code="TTCNTT"))
    url = f"{URL}/{theirs['id']}"
    returned = await pledges.client.post(f"{url}/return", json={"reason": "Bổ sung"})
    assert returned.status_code == 200, returned.text

    refused = await pledges.client.post(
        f"{url}/resubmit", json={"members": new_members("NV009")}, headers=HEAD_A
    )
    unknown = await pledges.client.post(
        f"{URL}/{uuid4()}/resubmit", json={"members": new_members("NV009")}, headers=HEAD_A
    )

    _same_problem(refused, unknown, theirs["id"])
    after = (await pledges.client.get(url)).json()
    assert (after["status"], after["submission_number"]) == ("returned", 1)
    assert [m["staff_code"] for m in after["members"]] == ["NV001", "NV002"]
    assert await _submitted_events(pledges, bus, launched.campaign_id) == 1


@pytest.mark.parametrize(
    ("action", "body"), [("approve", None), ("return", {"reason": "Thiếu danh sách"})]
)
async def test_a_unit_head_cannot_review_even_their_own_registration(
    pledges: RunningService,
    launched: CampaignLaunched,
    new_registration: Body,
    action: str,
    body: dict[str, Any] | None,
) -> None:
    own = await _create(pledges, new_registration(launched.campaign_id), **HEAD_A)

    refused = await pledges.client.post(f"{URL}/{own['id']}/{action}", json=body, headers=HEAD_A)

    assert refused.status_code == 403, refused.text
    assert refused.json()["field"] == "Authorization"
    after = (await pledges.client.get(f"{URL}/{own['id']}")).json()
    assert (after["status"], after["version"]) == ("submitted", own["version"])


async def test_a_unit_head_lists_their_own_unit_only(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    await _create(pledges, new_registration(launched.campaign_id), **HEAD_A)
    await _create(pledges, new_registration(launched.campaign_id, unit_code="TTCNTT"))
    params = {"campaign_id": str(launched.campaign_id)}

    page = await pledges.client.get(URL, params=params, headers=HEAD_A)
    assert page.status_code == 200, page.text
    assert (page.json()["total"], [r["unit_code"] for r in page.json()["items"]]) == (1, ["VP"])
    own_filter = await pledges.client.get(URL, params={**params, "unit_code": "VP"}, headers=HEAD_A)
    assert own_filter.json()["total"] == 1
    other = await pledges.client.get(URL, params={**params, "unit_code": "TTCNTT"}, headers=HEAD_A)
    assert other.status_code == 403
    assert other.json()["field"] == "unit_code"
    assert await _total(pledges, launched.campaign_id) == 2


async def test_an_observer_reads_but_cannot_register(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    created = await _create(pledges, new_registration(launched.campaign_id), **HEAD_A)
    url = f"{URL}/{created['id']}"
    await pledges.client.post(f"{url}/return", json={"reason": "Bổ sung"})

    assert (await pledges.client.get(url, headers=OBSERVER)).status_code == 200
    assert (await pledges.client.get(f"{url}/versions", headers=OBSERVER)).status_code == 200
    listed = await pledges.client.get(
        URL, params={"campaign_id": str(launched.campaign_id)}, headers=OBSERVER
    )
    assert listed.json()["total"] == 1
    for refused in (
        await pledges.client.post(
            URL, json=new_registration(launched.campaign_id, unit_code="TTCNTT"), headers=OBSERVER
        ),
        await pledges.client.post(
            f"{url}/resubmit", json={"members": new_members("NV009")}, headers=OBSERVER
        ),
        await pledges.client.post(f"{url}/approve", headers=OBSERVER),
    ):
        assert refused.status_code == 403, refused.text
        assert refused.json()["field"] == "Authorization"
    assert await _total(pledges, launched.campaign_id) == 1
    assert (await pledges.client.get(url)).json()["status"] == "returned"
    assert await _submitted_events(pledges, bus, launched.campaign_id) == 1


async def _without_token(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> Any:
    request = client.build_request(method, url, **kw)
    del request.headers["Authorization"]
    return await client.send(request)


async def test_callers_without_a_valid_token_are_unauthenticated(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    body = new_registration(launched.campaign_id)
    client = pledges.client
    wrong_key = bearer(Role.OFFICE, signing_key="another-key-that-is-long-enough-0123456789abcd")
    answers = [
        await _without_token(client, "GET", URL),
        await _without_token(client, "POST", URL, json=body),
        await client.get(URL, headers={"Authorization": "Bearer not-a-token"}),
        await client.post(URL, json=body, headers={"Authorization": "Bearer not-a-token"}),
        await client.post(URL, json=body, headers=wrong_key),
        await client.post(URL, json=body, headers={"Authorization": "Basic b2ZmaWNlOm9mZmljZQ=="}),
    ]

    for response in answers:
        assert response.status_code == 401, response.text
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["field"] == "Authorization"
    assert await _total(pledges, launched.campaign_id) == 0
