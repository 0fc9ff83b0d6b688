import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

import pytest

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.reports import ReportSubmitted
from thidua_shared.testing import RunningService

NewCampaign = Callable[..., Awaitable[UUID]]
Body = Callable[..., dict[str, Any]]
Published = Callable[[str, UUID], Awaitable[list[Envelope]]]


async def test_submit_answers_the_report_and_announces_it(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    response = await reports.client.post("/reports/reports", json=new_report(campaign_id))
    assert response.status_code == 201, response.text
    report = response.json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/reports/reports/{report['id']}"
    assert (report["kind"], report["status"], report["submission"]) == (
        "preliminary",
        "submitted",
        1,
    )
    assert (report["phase_number"], report["unit_code"]) == (1, "VP")
    assert report["self_assessment"] == "tot"

    read = await reports.client.get(f"/reports/reports/{report['id']}")
    assert read.json() == report
    [submitted] = await published("report.submitted", campaign_id)
    event = submitted.payload(ReportSubmitted)
    assert (str(event.report_id), event.unit_code, event.version) == (report["id"], "VP", 1)
    assert submitted.subject == f"reports/{report['id']}"


async def test_the_last_phase_gets_a_final_report(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body
) -> None:
    campaign_id = await new_campaign(closed=(1, 2))
    response = await reports.client.post(
        "/reports/reports", json=new_report(campaign_id, phase_number=2)
    )
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "final"


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"campaign_id": str(uuid4())}, 409, "campaign_id"),
        ({"phase_number": 3}, 422, "phase_number"),
        ({"phase_number": 2}, 409, "phase_number"),
        ({"phase_number": 0}, 422, "phase_number"),
        ({"unit_code": "SOYTE"}, 422, "unit_code"),
        ({"self_assessment": "gioi"}, 422, "self_assessment"),
        ({"summary": "   "}, 422, "summary"),
        ({"summary": "x" * 20001}, 422, "summary"),
    ],
)
async def test_refusals_name_the_field_and_write_nothing(
    reports: RunningService,
    new_campaign: NewCampaign,
    new_report: Body,
    published: Published,
    overrides: dict[str, object],
    status: int,
    field: str,
) -> None:
    campaign_id = await new_campaign()
    response = await reports.client.post(
        "/reports/reports", json={**new_report(campaign_id), **overrides}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == field

    listed = await reports.client.get("/reports/reports", params={"campaign_id": str(campaign_id)})
    assert listed.json()["total"] == 0
    assert await published("report.submitted", campaign_id) == []


async def test_a_unit_reports_once_per_phase(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    first = await reports.client.post("/reports/reports", json=new_report(campaign_id))
    assert first.status_code == 201
    again = await reports.client.post(
        "/reports/reports", json=new_report(campaign_id, summary="Bản khác")
    )
    assert again.status_code == 409
    assert again.json()["field"] == "unit_code"

    listed = await reports.client.get("/reports/reports", params={"campaign_id": str(campaign_id)})
    assert listed.json()["total"] == 1
    assert len(await published("report.submitted", campaign_id)) == 1


async def test_the_same_units_report_sent_at_once_is_kept_once(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    # Reports of a phase go in side by side (under the phase's share lock), so copies of one
    # unit's report race to the unique constraint: one is kept, the others are told why.
    for _ in range(5):
        campaign_id = await new_campaign()
        answers = await asyncio.gather(
            *(
                reports.client.post(
                    "/reports/reports", json=new_report(campaign_id, summary=f"Bản {n}")
                )
                for n in range(4)
            )
        )

        assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
        assert {a.json()["field"] for a in answers if a.status_code == 409} == {"unit_code"}
        assert len(await published("report.submitted", campaign_id)) == 1


async def test_idempotency_key_replays_the_first_answer(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body
) -> None:
    campaign_id = await new_campaign()
    headers = {"Idempotency-Key": f"report-{campaign_id}"}
    body = new_report(campaign_id)
    first = await reports.client.post("/reports/reports", json=body, headers=headers)
    again = await reports.client.post("/reports/reports", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    listed = await reports.client.get("/reports/reports", params={"campaign_id": str(campaign_id)})
    assert listed.json()["total"] == 1


async def test_list_filters_by_unit_and_status(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body
) -> None:
    campaign_id = await new_campaign()
    for unit in ("VP", "TTCNTT"):
        response = await reports.client.post(
            "/reports/reports", json=new_report(campaign_id, unit_code=unit)
        )
        assert response.status_code == 201

    def query(**params: str | int) -> dict[str, str | int]:
        return {"campaign_id": str(campaign_id), **params}

    everything = (await reports.client.get("/reports/reports", params=query())).json()
    assert [r["unit_code"] for r in everything["items"]] == ["TTCNTT", "VP"]
    one = (await reports.client.get("/reports/reports", params=query(unit_code="VP"))).json()
    assert [r["unit_code"] for r in one["items"]] == ["VP"]
    approved = await reports.client.get("/reports/reports", params=query(status="approved"))
    assert approved.json()["total"] == 0
    paged = (await reports.client.get("/reports/reports", params=query(limit=1, offset=1))).json()
    assert (paged["total"], [r["unit_code"] for r in paged["items"]]) == (2, ["VP"])

    wrong = await reports.client.get("/reports/reports", params=query(status="rejected"))
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "status"


async def test_unknown_report_is_not_found(reports: RunningService) -> None:
    missing = uuid4()
    for response in (
        await reports.client.get(f"/reports/reports/{missing}"),
        await reports.client.get(f"/reports/reports/{missing}/submissions"),
        await reports.client.post(f"/reports/reports/{missing}/approve"),
        await reports.client.post(f"/reports/reports/{missing}/return", json={"reason": "Thiếu"}),
    ):
        assert response.status_code == 404
        assert response.json()["field"] == "report_id"
