"""Who may do what with phase reports: roles per route, and unit heads bound to their unit."""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

NewCampaign = Callable[..., Awaitable[UUID]]
Body = Callable[..., dict[str, Any]]
Published = Callable[[str, UUID], Awaitable[list[Envelope]]]
URL = "/reports/reports"
HEAD_A = bearer(Role.UNIT_HEAD, "VP")
OBSERVER = bearer(Role.OBSERVER)


async def _submit(reports: RunningService, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    response = await reports.client.post(URL, json=body, headers=headers or None)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _total(reports: RunningService, campaign_id: UUID) -> int:
    page = await reports.client.get(URL, params={"campaign_id": str(campaign_id)})
    assert page.status_code == 200, page.text
    total: int = page.json()["total"]
    return total


def _same_problem(refused: httpx.Response, unknown: httpx.Response, refused_id: str) -> None:
    """A report of another unit answers exactly like an id that does not exist."""
    assert refused.status_code == unknown.status_code == 404
    mine, theirs = refused.json(), unknown.json()
    assert {k: v for k, v in mine.items() if k not in ("detail", "instance")} == {
        k: v for k, v in theirs.items() if k not in ("detail", "instance")
    }
    assert mine["field"] == "report_id"
    assert mine["detail"] == f"No report {refused_id}."


async def test_a_unit_head_cannot_report_for_another_unit(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()

    response = await reports.client.post(
        URL, json=new_report(campaign_id, unit_code="TTCNTT"), headers=HEAD_A
    )

    assert response.status_code == 403, response.text
    assert response.json()["field"] == "unit_code"
    assert await _total(reports, campaign_id) == 0
    assert await published("report.submitted", campaign_id) == []
    # Their own unit is fine, and so is the office reporting for any unit.
    await _submit(reports, new_report(campaign_id), **HEAD_A)
    await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
    assert await _total(reports, campaign_id) == 2


async def test_another_units_report_reads_as_missing(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body
) -> None:
    campaign_id = await new_campaign()
    theirs = await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
    missing = uuid4()

    for suffix in ("", "/submissions"):
        refused = await reports.client.get(f"{URL}/{theirs['id']}{suffix}", headers=HEAD_A)
        unknown = await reports.client.get(f"{URL}/{missing}{suffix}", headers=HEAD_A)
        _same_problem(refused, unknown, theirs["id"])
    own_unit_head = bearer(Role.UNIT_HEAD, "TTCNTT")
    assert (await reports.client.get(f"{URL}/{theirs['id']}", headers=own_unit_head)).is_success


async def test_a_unit_head_cannot_resubmit_another_units_report(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    theirs = await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
    url = f"{URL}/{theirs['id']}"
    returned = await reports.client.post(f"{url}/return", json={"reason": "Thiếu số liệu"})
    assert returned.status_code == 200, returned.text

    content = {"summary": "Bản của đơn vị khác"}
    refused = await reports.client.post(f"{url}/resubmit", json=content, headers=HEAD_A)
    unknown = await reports.client.post(f"{URL}/{uuid4()}/resubmit", json=content, headers=HEAD_A)

    _same_problem(refused, unknown, theirs["id"])
    after = (await reports.client.get(url)).json()
    assert (after["status"], after["submission"]) == ("returned", 1)
    assert after["summary"] == theirs["summary"]
    assert len(await published("report.submitted", campaign_id)) == 1


@pytest.mark.parametrize(
    ("action", "body", "event"),
    [("approve", None, "report.approved"), ("return", {"reason": "Thiếu"}, "report.returned")],
)
async def test_a_unit_head_cannot_review_even_their_own_report(
    reports: RunningService,
    new_campaign: NewCampaign,
    new_report: Body,
    published: Published,
    action: str,
    body: dict[str, Any] | None,
    event: str,
) -> None:
    campaign_id = await new_campaign()
    own = await _submit(reports, new_report(campaign_id), **HEAD_A)

    refused = await reports.client.post(f"{URL}/{own['id']}/{action}", json=body, headers=HEAD_A)

    assert refused.status_code == 403, refused.text
    assert refused.json()["field"] == "Authorization"
    after = (await reports.client.get(f"{URL}/{own['id']}")).json()
    assert (after["status"], after["version"]) == ("submitted", own["version"])
    assert await published(event, campaign_id) == []


async def test_a_unit_head_lists_their_own_unit_only(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body
) -> None:
    campaign_id = await new_campaign()
    await _submit(reports, new_report(campaign_id), **HEAD_A)
    await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
    params = {"campaign_id": str(campaign_id)}

    page = await reports.client.get(URL, params=params, headers=HEAD_A)
    assert page.status_code == 200, page.text
    assert (page.json()["total"], [r["unit_code"] for r in page.json()["items"]]) == (1, ["VP"])
    own_filter = await reports.client.get(URL, params={**params, "unit_code": "VP"}, headers=HEAD_A)
    assert own_filter.json()["total"] == 1
    other = await reports.client.get(URL, params={**params, "unit_code": "TTCNTT"}, headers=HEAD_A)
    assert other.status_code == 403
    assert other.json()["field"] == "unit_code"
    assert await _total(reports, campaign_id) == 2


async def test_an_observer_reads_but_cannot_submit(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    created = await _submit(reports, new_report(campaign_id), **HEAD_A)
    url = f"{URL}/{created['id']}"
    await reports.client.post(f"{url}/return", json={"reason": "Thiếu"})

    assert (await reports.client.get(url, headers=OBSERVER)).status_code == 200
    assert (await reports.client.get(f"{url}/submissions", headers=OBSERVER)).status_code == 200
    listed = await reports.client.get(
        URL, params={"campaign_id": str(campaign_id)}, headers=OBSERVER
    )
    assert listed.json()["total"] == 1
    for refused in (
        await reports.client.post(
            URL, json=new_report(campaign_id, unit_code="TTCNTT"), headers=OBSERVER
        ),
        await reports.client.post(f"{url}/resubmit", json={"summary": "Mới"}, headers=OBSERVER),
        await reports.client.post(f"{url}/approve", headers=OBSERVER),
    ):
        assert refused.status_code == 403, refused.text
        assert refused.json()["field"] == "Authorization"
    assert await _total(reports, campaign_id) == 1
    assert (await reports.client.get(url)).json()["status"] == "returned"
    assert len(await published("report.submitted", campaign_id)) == 1


async def _without_token(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> Any:
    request = client.build_request(method, url, **kw)
    del request.headers["Authorization"]
    return await client.send(request)


async def test_callers_without_a_valid_token_are_unauthenticated(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    body = new_report(campaign_id)
    client = reports.client
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
    assert await _total(reports, campaign_id) == 0
    assert await published("report.submitted", campaign_id) == []
