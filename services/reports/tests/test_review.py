import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.contracts.reports import (
    PhaseReviewed,
    ReportApproved,
    ReportReturned,
    ReportSubmitted,
)
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

NewCampaign = Callable[..., Awaitable[UUID]]
Body = Callable[..., dict[str, Any]]
Published = Callable[[str, UUID], Awaitable[list[Envelope]]]


async def _submit(reports: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    """The unit's head submits; the office reviews with the client's default token."""
    response = await reports.client.post(
        "/reports/reports", json=body, headers=bearer(Role.UNIT_HEAD, body["unit_code"])
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_return_and_resubmit_keep_every_submission(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    report = await _submit(reports, new_report(campaign_id, summary="Bản đầu"))
    url = f"/reports/reports/{report['id']}"

    returned = await reports.client.post(f"{url}/return", json={"reason": "Thiếu số liệu"})
    assert returned.status_code == 200, returned.text
    assert (returned.json()["status"], returned.json()["return_reason"]) == (
        "returned",
        "Thiếu số liệu",
    )
    for refused in (
        await reports.client.post(f"{url}/return", json={"reason": "Lần nữa"}),
        await reports.client.post(f"{url}/approve"),
    ):
        assert refused.status_code == 409
        assert refused.json()["field"] == "status"
    empty_reason = await reports.client.post(f"{url}/return", json={"reason": ""})
    assert empty_reason.status_code == 422
    assert empty_reason.json()["field"] == "reason"

    resubmitted = await reports.client.post(
        f"{url}/resubmit",
        json={"summary": "Bản bổ sung", "self_assessment": "xuat_sac"},
        headers=bearer(Role.UNIT_HEAD, "VP"),
    )
    assert resubmitted.status_code == 200, resubmitted.text
    body = resubmitted.json()
    assert (body["status"], body["submission"], body["summary"]) == ("submitted", 2, "Bản bổ sung")
    assert body["return_reason"] is None
    again = await reports.client.post(f"{url}/resubmit", json={"summary": "Bản ba"})
    assert again.status_code == 409
    assert again.json()["field"] == "status"

    approved = await reports.client.post(f"{url}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"

    kept = (await reports.client.get(f"{url}/submissions")).json()
    assert [(k["submission"], k["summary"], k["return_reason"]) for k in kept] == [
        (1, "Bản đầu", "Thiếu số liệu"),
        (2, "Bản bổ sung", None),
    ]
    submitted = await published("report.submitted", campaign_id)
    assert [e.payload(ReportSubmitted).version for e in submitted] == [1, 2]
    [returned_event] = await published("report.returned", campaign_id)
    assert returned_event.payload(ReportReturned).reason == "Thiếu số liệu"
    [approved_event] = await published("report.approved", campaign_id)
    assert approved_event.payload(ReportApproved).version == 2
    assert approved_event.payload(ReportApproved).self_assessment == "xuat_sac"


async def test_stale_if_match_is_refused(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body
) -> None:
    campaign_id = await new_campaign()
    report = await _submit(reports, new_report(campaign_id))
    url = f"/reports/reports/{report['id']}"
    returned = await reports.client.post(
        f"{url}/return", json={"reason": "Thiếu"}, headers={"If-Match": '"1"'}
    )
    assert returned.status_code == 200
    assert returned.headers["ETag"] == '"2"'
    stale = await reports.client.post(
        f"{url}/resubmit", json={"summary": "Bản mới"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["field"] == "If-Match"
    assert (await reports.client.get(url)).json()["status"] == "returned"


async def test_the_phase_is_reviewed_once_every_unit_is_approved(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign(closed=(1, 2))
    first = await _submit(reports, new_report(campaign_id, unit_code="VP"))
    second = await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
    other_phase = await _submit(reports, new_report(campaign_id, unit_code="VP", phase_number=2))

    for report in (first, other_phase):
        response = await reports.client.post(f"/reports/reports/{report['id']}/approve")
        assert response.status_code == 200, response.text
    assert await published("phase.reviewed", campaign_id) == []

    last = await reports.client.post(f"/reports/reports/{second['id']}/approve")
    assert last.status_code == 200, last.text
    [reviewed] = await published("phase.reviewed", campaign_id)
    event = reviewed.payload(PhaseReviewed)
    assert (event.phase_number, event.phases_total) == (1, 2)
    assert {(r.unit_code, str(r.report_id)) for r in event.approved_reports} == {
        ("VP", first["id"]),
        ("TTCNTT", second["id"]),
    }
    assert len(await published("report.approved", campaign_id)) == 3


async def test_a_retried_last_approval_replays_the_first_answer_and_reviews_once(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign(units=("VP",))
    report = await _submit(reports, new_report(campaign_id))
    url = f"/reports/reports/{report['id']}/approve"
    headers = {"Idempotency-Key": str(uuid4())}

    first = await reports.client.post(url, headers=headers)
    again = await reports.client.post(url, headers=headers)

    assert first.status_code == again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    current = (await reports.client.get(f"/reports/reports/{report['id']}")).json()
    assert current["version"] == first.json()["version"]
    assert len(await published("report.approved", campaign_id)) == 1
    assert len(await published("phase.reviewed", campaign_id)) == 1


async def test_concurrent_last_approvals_review_the_phase_exactly_once(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    for _ in range(5):
        campaign_id = await new_campaign()
        ids = [
            (await _submit(reports, new_report(campaign_id, unit_code=unit)))["id"]
            for unit in ("VP", "TTCNTT")
        ]
        responses = await asyncio.gather(
            *(reports.client.post(f"/reports/reports/{i}/approve") for i in ids)
        )
        assert [r.status_code for r in responses] == [200, 200]
        assert len(await published("phase.reviewed", campaign_id)) == 1


async def test_a_report_of_a_reviewed_phase_cannot_be_approved(
    reports: RunningService,
    new_campaign: NewCampaign,
    new_report: Body,
    launch_event: Callable[..., CampaignLaunched],
    approval_event: Callable[..., PledgeApproved],
    published: Published,
) -> None:
    campaign_id = await new_campaign()
    for unit in ("VP", "TTCNTT"):
        report = await _submit(reports, new_report(campaign_id, unit_code=unit))
        await reports.client.post(f"/reports/reports/{report['id']}/approve")
    # A unit added to the plan after the review reports late.
    await reports.deliver(launch_event(campaign_id, units=("VP", "TTCNTT", "SOYTE")))
    await reports.deliver(approval_event(campaign_id, "SOYTE"))
    late = await _submit(reports, new_report(campaign_id, unit_code="SOYTE"))

    refused = await reports.client.post(f"/reports/reports/{late['id']}/approve")
    assert refused.status_code == 409
    assert refused.json()["field"] == "phase_number"
    assert (await reports.client.get(f"/reports/reports/{late['id']}")).json()["status"] == (
        "submitted"
    )
    assert len(await published("phase.reviewed", campaign_id)) == 1
