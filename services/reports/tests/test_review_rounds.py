"""Review beyond approve/return: item reasons, lateness, reopening, gaps, correction rounds."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from thidua_shared.contracts.campaigns import CampaignAmended, CampaignCancelled, CampaignLaunched
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.reports import PhaseReviewed, ReportReturned
from thidua_shared.platform.auth import Role
from thidua_shared.platform.clock import set_clock
from thidua_shared.testing import RunningService, bearer

NewCampaign = Callable[..., Awaitable[UUID]]
Body = Callable[..., dict[str, Any]]
Items = Callable[[], list[dict[str, Any]]]
Published = Callable[[str, UUID], Awaitable[list[Envelope]]]
URL = "/reports/reports"


async def _submit(reports: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    response = await reports.client.post(
        URL, json=body, headers=bearer(Role.UNIT_HEAD, body["unit_code"])
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _approve(reports: RunningService, report_id: str) -> dict[str, Any]:
    response = await reports.client.post(f"{URL}/{report_id}/approve")
    assert response.status_code == 200, response.text
    approved: dict[str, Any] = response.json()
    return approved


def _amended(launched: CampaignLaunched, number: int, units: tuple[str, ...]) -> CampaignAmended:
    plan = launched.model_dump(exclude={"units", "clusters"})
    return CampaignAmended(
        **plan,
        units=[u for u in launched.units if u.code in units],
        clusters=[],
        amendment_number=number,
        reason="Điều chỉnh đơn vị tham gia",
        changed_fields=["units"],
        amended_at=datetime(2018, 7, 10, tzinfo=UTC),
    )


async def test_a_report_is_returned_with_reasons_per_item_and_every_version_kept(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    published: Published,
) -> None:
    campaign_id = await seed_campaign()
    report = await _submit(reports, new_report(campaign_id, results=results()))
    url = f"{URL}/{report['id']}"
    unknown_item = await reports.client.post(
        f"{url}/return",
        json={"reason": "Bổ sung", "item_reasons": [{"item": "commitment:9", "reason": "?"}]},
    )
    assert unknown_item.status_code == 422
    assert unknown_item.json()["field"] == "item_reasons[0].item"

    returned = await reports.client.post(
        f"{url}/return",
        json={
            "reason": "Bổ sung minh chứng",
            "item_reasons": [{"item": "commitment:2", "reason": "Thiếu số liệu theo tháng"}],
        },
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["item_reasons"] == [
        {"item": "commitment:2", "reason": "Thiếu số liệu theo tháng"}
    ]
    corrected = results()
    corrected[1]["achieved_value"] = 3.5
    again = await reports.client.post(
        f"{url}/resubmit",
        json={"summary": "Đã bổ sung", "results": corrected},
        headers=bearer(Role.UNIT_HEAD, "VP"),
    )
    assert again.status_code == 200, again.text
    assert again.json()["item_reasons"] == []
    await _approve(reports, report["id"])

    kept = (await reports.client.get(f"{url}/submissions")).json()
    assert [(k["submission"], k["results"][1]["achieved_value"]) for k in kept] == [
        (1, 4),
        (2, 3.5),
    ]
    assert kept[0]["item_reasons"][0]["item"] == "commitment:2"
    assert (kept[0]["approved_at"] is None, kept[1]["approved_at"] is not None) == (True, True)
    [event] = await published("report.returned", campaign_id)
    assert event.payload(ReportReturned).item_reasons[0].reason == "Thiếu số liệu theo tháng"


async def test_a_late_report_is_visible_and_overdue_units_are_listed_with_their_cluster(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body
) -> None:
    campaign_id = await new_campaign(units=("VP", "TTCNTT", "TTRA"))
    on_time = await _submit(reports, new_report(campaign_id, unit_code="VP"))
    set_clock(lambda: datetime(2018, 7, 20, tzinfo=UTC))
    late = await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
    draft = await reports.client.post(
        URL, json=new_report(campaign_id, unit_code="TTRA", draft=True)
    )
    assert draft.status_code == 201

    assert (on_time["late"], late["late"]) == (False, True)
    progress = await reports.client.get(f"/reports/campaigns/{campaign_id}/progress")
    assert progress.status_code == 200, progress.text
    first, second = progress.json()["phases"]
    assert {k: first[k] for k in ("units", "missing", "drafts", "submitted", "late")} == {
        "units": 3,
        "missing": 1,
        "drafts": 1,
        "submitted": 2,
        "late": 1,
    }
    assert first["overdue_units"] == [
        {"unit_code": "TTRA", "unit_name": "Đơn vị TTRA", "cluster": "Cụm 1", "status": "draft"}
    ]
    assert (second["status"], second["missing"], second["overdue_units"]) == ("pending", 3, [])


async def test_an_approval_given_by_mistake_is_reopened_only_before_the_review(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    first = await _submit(reports, new_report(campaign_id, unit_code="VP"))
    second = await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
    await _approve(reports, first["id"])

    reopened = await reports.client.post(
        f"{URL}/{first['id']}/reopen", json={"reason": "Duyệt nhầm"}
    )
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["status"], reopened.json()["approved_at"]) == ("submitted", None)
    [kept] = (await reports.client.get(f"{URL}/{first['id']}/submissions")).json()
    assert (kept["approved_at"], kept["approval_withdrawn_reason"]) == (None, "Duyệt nhầm")
    await _approve(reports, second["id"])
    assert await published("phase.reviewed", campaign_id) == []
    await _approve(reports, first["id"])
    assert len(await published("phase.reviewed", campaign_id)) == 1

    too_late = await reports.client.post(f"{URL}/{first['id']}/reopen", json={"reason": "Nhầm"})
    assert too_late.status_code == 409
    assert too_late.json()["field"] == "phase_number"


async def test_the_office_closes_a_review_with_units_missing_recording_who_and_why(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign(units=("VP", "TTCNTT", "TTRA"))
    report = await _submit(reports, new_report(campaign_id, unit_code="VP"))
    await _approve(reports, report["id"])
    url = f"/reports/campaigns/{campaign_id}/phases/1/close-review"
    not_missing = await reports.client.post(
        url, json={"reason": "Quá hạn", "units": [{"unit_code": "VP", "reason": "x"}]}
    )
    assert not_missing.status_code == 422
    assert not_missing.json()["field"] == "units[0].unit_code"

    closed = await reports.client.post(
        url,
        json={
            "reason": "Quá hạn nộp báo cáo",
            "units": [{"unit_code": "TTRA", "reason": "Đơn vị đang sáp nhập"}],
        },
    )

    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["review_round"]) == ("reviewed", 1)
    assert closed.json()["reviewed_by"] == "office:agency"
    [reviewed] = await published("phase.reviewed", campaign_id)
    event = reviewed.payload(PhaseReviewed)
    assert [r.unit_code for r in event.approved_reports] == ["VP"]
    assert {(m.unit_code, m.reason) for m in event.missing_units} == {
        ("TTCNTT", "Quá hạn nộp báo cáo"),
        ("TTRA", "Đơn vị đang sáp nhập"),
    }
    again = await reports.client.post(url, json={"reason": "Lần nữa"})
    assert again.status_code == 409
    consolidated = await reports.client.get(
        f"/reports/campaigns/{campaign_id}/phases/1/consolidated"
    )
    reasons = {u["unit_code"]: u["missing_reason"] for u in consolidated.json()["units"]}
    assert reasons == {"VP": None, "TTCNTT": "Quá hạn nộp báo cáo", "TTRA": "Đơn vị đang sáp nhập"}


async def test_a_reviewed_phase_reopened_for_a_correction_is_reviewed_again_next_round(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    ids = {}
    for unit in ("VP", "TTCNTT"):
        ids[unit] = (await _submit(reports, new_report(campaign_id, unit_code=unit)))["id"]
        await _approve(reports, ids[unit])
    url = f"/reports/campaigns/{campaign_id}/phases/1/reopen"

    reopened = await reports.client.post(
        url, json={"reason": "Sai số liệu chỉ tiêu 2", "unit_codes": ["TTCNTT"]}
    )

    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "reopened"
    report = (await reports.client.get(f"{URL}/{ids['TTCNTT']}")).json()
    assert (report["status"], report["return_reason"]) == ("returned", "Sai số liệu chỉ tiêu 2")
    resubmitted = await reports.client.post(
        f"{URL}/{ids['TTCNTT']}/resubmit", json={"summary": "Đã điều chỉnh số liệu"}
    )
    assert resubmitted.status_code == 200, resubmitted.text
    await _approve(reports, ids["TTCNTT"])

    rounds = [e.payload(PhaseReviewed) for e in await published("phase.reviewed", campaign_id)]
    assert [r.review_round for r in rounds] == [1, 2]
    # Each round names the version it read: the corrected report keeps its id, a new version.
    assert [{(r.unit_code, r.version) for r in review.approved_reports} for review in rounds] == [
        {("VP", 1), ("TTCNTT", 1)},
        {("VP", 1), ("TTCNTT", 2)},
    ]
    not_reviewed = await reports.client.post(
        f"/reports/campaigns/{campaign_id}/phases/2/reopen",
        json={"reason": "x", "unit_codes": ["VP"]},
    )
    assert not_reviewed.status_code == 409


async def test_concurrent_last_approvals_after_a_reopening_publish_the_round_once(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    ids = [
        (await _submit(reports, new_report(campaign_id, unit_code=u)))["id"]
        for u in ("VP", "TTCNTT")
    ]
    for report_id in ids:
        await _approve(reports, report_id)
    await reports.client.post(
        f"/reports/campaigns/{campaign_id}/phases/1/reopen",
        json={"reason": "Điều chỉnh", "unit_codes": ["VP", "TTCNTT"]},
    )
    for report_id in ids:
        response = await reports.client.post(f"{URL}/{report_id}/resubmit", json={"summary": "Sửa"})
        assert response.status_code == 200, response.text

    answers = await asyncio.gather(*(reports.client.post(f"{URL}/{i}/approve") for i in ids))

    assert [a.status_code for a in answers] == [200, 200]
    rounds = [
        e.payload(PhaseReviewed).review_round
        for e in await published("phase.reviewed", campaign_id)
    ]
    assert rounds == [1, 2]


async def test_an_amendment_that_removes_the_last_missing_unit_reviews_the_phase_once(
    reports: RunningService,
    new_campaign: NewCampaign,
    new_report: Body,
    launch_event: Callable[..., CampaignLaunched],
    published: Published,
) -> None:
    campaign_id = await new_campaign(units=("VP", "TTCNTT", "TTRA"))
    for unit in ("VP", "TTCNTT"):
        await _approve(
            reports, (await _submit(reports, new_report(campaign_id, unit_code=unit)))["id"]
        )
    launched = launch_event(campaign_id, units=("VP", "TTCNTT", "TTRA"))
    amendment = _amended(launched, 1, ("VP", "TTCNTT"))

    delivered = await reports.deliver(amendment)
    await reports.deliver(amendment, envelope=delivered)
    await reports.deliver(_amended(launched, 1, ("VP", "TTCNTT")))

    [reviewed] = await published("phase.reviewed", campaign_id)
    assert {r.unit_code for r in reviewed.payload(PhaseReviewed).approved_reports} == {
        "VP",
        "TTCNTT",
    }
    progress = (await reports.client.get(f"/reports/campaigns/{campaign_id}/progress")).json()
    assert progress["phases"][0]["units"] == 2


async def test_a_cancelled_campaign_is_frozen(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    report = await _submit(reports, new_report(campaign_id, unit_code="VP"))
    await reports.deliver(
        CampaignCancelled(
            campaign_id=campaign_id,
            reason="Hợp nhất vào kế hoạch khác",
            cancelled_at=datetime(2018, 7, 6, tzinfo=UTC),
        )
    )

    for refused in (
        await reports.client.post(URL, json=new_report(campaign_id, unit_code="TTCNTT")),
        await reports.client.post(f"{URL}/{report['id']}/approve"),
        await reports.client.post(f"{URL}/{report['id']}/return", json={"reason": "x"}),
    ):
        assert refused.status_code == 409, refused.text
        assert refused.json()["field"] == "campaign_id"
    assert (await reports.client.get(f"{URL}/{report['id']}")).json()["status"] == "submitted"
    assert await published("report.approved", campaign_id) == []


async def test_redelivered_and_repeated_events_do_not_review_a_phase_again(
    reports: RunningService,
    new_campaign: NewCampaign,
    new_report: Body,
    launch_event: Callable[..., CampaignLaunched],
    close_event: Callable[..., Any],
    approval_event: Callable[..., Any],
    published: Published,
) -> None:
    campaign_id = await new_campaign(closed=())
    closed = await reports.deliver(close_event(campaign_id, 1))
    for unit in ("VP", "TTCNTT"):
        await _approve(
            reports, (await _submit(reports, new_report(campaign_id, unit_code=unit)))["id"]
        )

    await reports.deliver(close_event(campaign_id, 1), envelope=closed)
    await reports.deliver(close_event(campaign_id, 1))
    await reports.deliver(launch_event(campaign_id))
    await reports.deliver(approval_event(campaign_id, "VP", version=2))

    [reviewed] = await published("phase.reviewed", campaign_id)
    assert reviewed.payload(PhaseReviewed).review_round == 1
    phases = (await reports.client.get(f"/reports/campaigns/{campaign_id}/phases")).json()
    assert [(p["number"], p["status"], p["review_round"]) for p in phases] == [
        (1, "reviewed", 1),
        (2, "pending", 0),
    ]


async def test_a_unit_the_review_closed_without_is_taken_in_by_a_reopening(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign()
    await _approve(reports, (await _submit(reports, new_report(campaign_id, unit_code="VP")))["id"])
    closing = await reports.client.post(
        f"/reports/campaigns/{campaign_id}/phases/1/close-review", json={"reason": "Quá hạn"}
    )
    assert closing.status_code == 200, closing.text
    late = await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
    refused = await reports.client.post(f"{URL}/{late['id']}/approve")
    assert refused.status_code == 409

    reopened = await reports.client.post(
        f"/reports/campaigns/{campaign_id}/phases/1/reopen",
        json={"reason": "Tiếp nhận báo cáo nộp muộn", "unit_codes": ["TTCNTT"]},
    )
    assert reopened.status_code == 200, reopened.text
    await _approve(reports, late["id"])

    rounds = [e.payload(PhaseReviewed) for e in await published("phase.reviewed", campaign_id)]
    assert [(r.review_round, len(r.approved_reports), len(r.missing_units)) for r in rounds] == [
        (1, 1, 1),
        (2, 2, 0),
    ]


async def test_a_returned_report_changed_in_place_is_resubmitted_without_a_body(
    reports: RunningService, seed_campaign: NewCampaign, new_report: Body, results: Items
) -> None:
    campaign_id = await seed_campaign()
    report = await _submit(reports, new_report(campaign_id, results=results()))
    url = f"{URL}/{report['id']}"
    await reports.client.post(f"{url}/return", json={"reason": "Sửa chỉ tiêu 1"})
    corrected = results()
    corrected[0]["achieved_value"] = 100
    changed = await reports.client.put(
        url, json={"summary": "Đã sửa", "results": corrected}, headers={"If-Match": '"2"'}
    )
    assert changed.status_code == 200, changed.text

    resubmitted = await reports.client.post(f"{url}/resubmit")

    assert resubmitted.status_code == 200, resubmitted.text
    body = resubmitted.json()
    assert (body["status"], body["submission"], body["summary"]) == ("submitted", 2, "Đã sửa")
    assert body["results"][0]["percent_of_target"] == 100.0


async def test_an_amendment_racing_the_last_approval_reviews_the_phase_once(
    reports: RunningService,
    new_campaign: NewCampaign,
    new_report: Body,
    launch_event: Callable[..., CampaignLaunched],
    published: Published,
) -> None:
    for _ in range(5):
        campaign_id = await new_campaign(units=("VP", "TTCNTT", "TTRA"))
        await _approve(
            reports, (await _submit(reports, new_report(campaign_id, unit_code="VP")))["id"]
        )
        last = await _submit(reports, new_report(campaign_id, unit_code="TTCNTT"))
        launched = launch_event(campaign_id, units=("VP", "TTCNTT", "TTRA"))

        approval, _ = await asyncio.gather(
            reports.client.post(f"{URL}/{last['id']}/approve"),
            reports.deliver(_amended(launched, 1, ("VP", "TTCNTT"))),
        )

        assert approval.status_code == 200, approval.text
        assert len(await published("phase.reviewed", campaign_id)) == 1
