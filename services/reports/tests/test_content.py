"""A report's content: results against the approved commitments, member evaluations, drafts."""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import pytest

from reports.percent import percent_of_target
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.pledges import Commitment, PledgeApproved
from thidua_shared.contracts.reports import ReportApproved, ReportSubmitted
from thidua_shared.testing import RunningService

NewCampaign = Callable[..., Awaitable[UUID]]
Body = Callable[..., dict[str, Any]]
Items = Callable[[], list[dict[str, Any]]]
Published = Callable[[str, UUID], Awaitable[list[Envelope]]]
URL = "/reports/reports"


@pytest.mark.parametrize(
    ("target", "achieved", "lower_is_better", "expected"),
    [
        (100, 95, False, 95.0),
        (20, 30, False, 150.0),
        (3, 1, False, 33.33),
        (5, 4, True, 125.0),
        (5, 10, True, 50.0),
        # A divisor of zero: 100 % when the target is met, 0 % when it is not.
        (0, 0, False, 100.0),
        (0, 7, False, 100.0),
        (0, 0, True, 100.0),
        (0, 3, True, 0.0),
        (5, 0, True, 100.0),
        (None, 4, False, None),
        (10, None, True, None),
    ],
)
def test_percent_of_target(
    target: float | None, achieved: float | None, lower_is_better: bool, expected: float | None
) -> None:
    assert percent_of_target(target, achieved, lower_is_better=lower_is_better) == expected


async def test_results_carry_their_targets_and_the_computed_percentage(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    published: Published,
) -> None:
    campaign_id = await seed_campaign()
    body = new_report(campaign_id, results=results())
    body["results"][0]["percent_of_target"] = 200
    refused = await reports.client.post(URL, json=body)
    assert refused.status_code == 422, "the % is computed, never typed"
    assert refused.json()["field"] == "results[0].percent_of_target"

    response = await reports.client.post(URL, json=new_report(campaign_id, results=results()))

    assert response.status_code == 201, response.text
    report = response.json()
    assert [
        (r["task_number"], r["target_value"], r["achieved_value"], r["percent_of_target"])
        for r in report["results"]
    ] == [(2, 100, 95, 95.0), (5, 5, 4, 125.0), (3, None, None, None)]
    assert report["results"][1]["lower_is_better"] is True
    assert report["results"][0]["evidence"] == ["Biên bản họp xét 12/BB-VP"]
    assert report["late"] is False
    [submitted] = await published("report.submitted", campaign_id)
    assert submitted.payload(ReportSubmitted).kind == "preliminary"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.pop(2), "results"),
        (lambda r: r[1].pop("achieved_value"), "results[1].achieved_value"),
        (lambda r: r.append({"commitment_number": 4, "achieved_value": 1}), "results[3]"),
        (lambda r: r.append({"commitment_number": 1, "achieved_value": 1}), "results[3]"),
        (lambda r: r[0].update(achieved_value=-1), "results[0].achieved_value"),
    ],
)
async def test_incomplete_or_unknown_results_are_refused(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    change: Callable[[list[dict[str, Any]]], object],
    field: str,
) -> None:
    campaign_id = await seed_campaign()
    given = results()
    change(given)

    response = await reports.client.post(URL, json=new_report(campaign_id, results=given))

    assert response.status_code == 422, response.text
    assert response.json()["field"].startswith(field)
    listed = await reports.client.get(URL, params={"campaign_id": str(campaign_id)})
    assert listed.json()["total"] == 0


async def test_a_unit_without_an_approved_registration_is_refused(
    reports: RunningService, new_campaign: NewCampaign, new_report: Body, published: Published
) -> None:
    campaign_id = await new_campaign(registered=("VP",))

    refused = await reports.client.post(URL, json=new_report(campaign_id, unit_code="TTCNTT"))

    assert refused.status_code == 409, refused.text
    assert refused.json()["field"] == "unit_code"
    assert "no approved registration" in refused.json()["detail"]
    assert await published("report.submitted", campaign_id) == []


async def test_a_draft_is_saved_before_the_phase_closes_and_submitted_after(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    close_event: Callable[..., Any],
    published: Published,
) -> None:
    campaign_id = await seed_campaign(closed=())
    refused = await reports.client.post(URL, json=new_report(campaign_id, results=results()))
    assert refused.status_code == 409
    assert refused.json()["field"] == "phase_number"

    partial = results()[:1]
    draft = await reports.client.post(
        URL, json=new_report(campaign_id, results=partial, draft=True)
    )
    assert draft.status_code == 201, draft.text
    assert (draft.json()["status"], draft.json()["submission"]) == ("draft", 0)
    url = f"{URL}/{draft.json()['id']}"
    too_early = await reports.client.post(f"{url}/submit")
    assert too_early.status_code == 409
    assert too_early.json()["field"] == "phase_number"

    await reports.deliver(close_event(campaign_id, 1))
    incomplete = await reports.client.post(f"{url}/submit")
    assert incomplete.status_code == 422
    assert incomplete.json()["field"] == "results"
    no_if_match = await reports.client.put(url, json={"summary": "x", "results": results()})
    assert no_if_match.status_code == 428
    updated = await reports.client.put(
        url, json={"summary": "Bản hoàn chỉnh", "results": results()}, headers={"If-Match": '"1"'}
    )
    assert updated.status_code == 200, updated.text
    assert await published("report.submitted", campaign_id) == []

    submitted = await reports.client.post(f"{url}/submit", headers={"If-Match": '"2"'})
    assert submitted.status_code == 200, submitted.text
    assert (submitted.json()["status"], submitted.json()["submission"]) == ("submitted", 1)
    assert len(await published("report.submitted", campaign_id)) == 1
    kept = (await reports.client.get(f"{url}/submissions")).json()
    assert [(k["submission"], k["summary"]) for k in kept] == [(1, "Bản hoàn chỉnh")]


async def test_the_final_review_carries_member_evaluations_to_the_approval(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    evaluations: Items,
    published: Published,
) -> None:
    campaign_id = await seed_campaign(closed=(1, 2))
    preliminary = new_report(campaign_id, results=results(), member_evaluations=evaluations())
    refused = await reports.client.post(URL, json=preliminary)
    assert refused.status_code == 422
    assert refused.json()["field"] == "member_evaluations"

    given = evaluations()
    given[2] = {
        "staff_code": "CB09",
        "full_name": "Phạm Minh Tuấn",
        "task_rating": "tot",
        "joined_during_year": True,
        "joined_on": "2018-08-01",
    }
    body = new_report(
        campaign_id,
        phase_number=2,
        results=results(),
        member_evaluations=given,
        members_left=[{"staff_code": "CB03", "left_on": "2018-09-30", "notes": "Chuyển công tác"}],
    )
    created = await reports.client.post(URL, json=body)
    assert created.status_code == 201, created.text
    report = created.json()
    assert report["kind"] == "final"
    approved = await reports.client.post(f"{URL}/{report['id']}/approve")
    assert approved.status_code == 200, approved.text

    [event] = await published("report.approved", campaign_id)
    content = event.payload(ReportApproved)
    assert (content.kind, content.late, content.self_assessment) == ("final", False, "tot")
    assert [r.percent_of_target for r in content.results] == [95.0, 125.0, None]
    first, second, joined = content.member_evaluations
    assert (first.full_name, first.gender, first.title_aimed) == (
        "Nguyễn Thị Hoà",
        "female",
        "chien_si_thi_dua_co_so",
    )
    assert first.initiatives[0].identifier == "SK-2018-014"
    assert first.counted_leave_days == 120
    assert (second.staff_code, second.task_rating) == ("CB02", "tot")
    assert (joined.full_name, joined.joined_during_year) == ("Phạm Minh Tuấn", True)
    [left] = content.members_left
    assert (left.staff_code, left.full_name, str(left.left_on)) == (
        "CB03",
        "Lê Hoàng Ngọc",
        "2018-09-30",
    )


@pytest.mark.parametrize(
    ("change", "field", "named"),
    [
        (
            lambda e: e.append(
                {"staff_code": "CB77", "full_name": "Hồ Văn Lạ", "task_rating": "tot"}
            ),
            "member_evaluations[3].staff_code",
            "Hồ Văn Lạ (CB77) was never registered",
        ),
        (lambda e: e.pop(1), "member_evaluations", "Trần Văn Đức (CB02)"),
        (
            lambda e: e[0].update(joined_during_year=True, full_name="X"),
            "member_evaluations[0].staff_code",
            "Nguyễn Thị Hoà (CB01) is on the unit's registration",
        ),
        (lambda e: e.append(dict(e[0])), "member_evaluations[3].staff_code", "CB01"),
        (lambda e: e[1].update(discipline="canh_cao"), "member_evaluations[1]", "discipline"),
        (lambda e: e[1].update(task_rating="gioi"), "member_evaluations[1].task_rating", "gioi"),
    ],
)
async def test_evaluations_of_unknown_or_missing_members_are_refused_by_name(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    evaluations: Items,
    change: Callable[[list[dict[str, Any]]], object],
    field: str,
    named: str,
) -> None:
    campaign_id = await seed_campaign(closed=(1, 2))
    given = evaluations()
    change(given)
    body = new_report(campaign_id, phase_number=2, results=results(), member_evaluations=given)

    response = await reports.client.post(URL, json=body)

    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert named in response.text
    listed = await reports.client.get(URL, params={"campaign_id": str(campaign_id)})
    assert listed.json()["total"] == 0


async def test_the_latest_approved_registration_wins(
    reports: RunningService,
    new_campaign: NewCampaign,
    new_report: Body,
    approval_event: Callable[..., PledgeApproved],
) -> None:
    campaign_id = await new_campaign(registered=())
    newer = approval_event(
        campaign_id,
        "VP",
        version=2,
        commitments=[Commitment(task_number=1, content="Tuyên truyền", target_value=12)],
    )
    older = approval_event(
        campaign_id, "VP", version=1, approved_at=newer.approved_at.replace(day=2)
    )
    await reports.deliver(newer)
    await reports.deliver(older)

    response = await reports.client.post(
        URL,
        json=new_report(campaign_id, results=[{"commitment_number": 1, "achieved_value": 15}]),
    )

    assert response.status_code == 201, response.text
    assert response.json()["results"][0]["percent_of_target"] == 125.0
