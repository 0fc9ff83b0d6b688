"""The office's own rating of a unit at the final review, and accepted research as a fact of
its own in a member's evaluation: both carried on report.approved."""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.reports import ReportApproved
from thidua_shared.testing import RunningService

NewCampaign = Callable[..., Awaitable[UUID]]
Body = Callable[..., dict[str, Any]]
Items = Callable[[], list[dict[str, Any]]]
Published = Callable[[str, UUID], Awaitable[list[Envelope]]]
URL = "/reports/reports"
RESEARCH = {
    "identifier": "ĐT-2018-03",
    "title": "Nghiên cứu mô hình chính quyền số cấp huyện",
    "level": "provincial",
    "accepted_on": "2018-11-20",
    "year": 2018,
}


async def test_the_office_rates_the_unit_at_the_final_review_and_research_is_carried(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    evaluations: Items,
    published: Published,
) -> None:
    campaign_id = await seed_campaign(closed=(1, 2))
    preliminary = await reports.client.post(URL, json=new_report(campaign_id, results=results()))
    assert preliminary.status_code == 201, preliminary.text
    too_early = await reports.client.post(
        f"{URL}/{preliminary.json()['id']}/approve", json={"office_rating": "xuat_sac"}
    )
    assert too_early.status_code == 422, too_early.text
    assert too_early.json()["field"] == "office_rating"

    given = evaluations()
    given[0]["research"] = [RESEARCH]
    body = new_report(campaign_id, phase_number=2, results=results(), member_evaluations=given)
    created = await reports.client.post(URL, json=body)
    assert created.status_code == 201, created.text
    report = created.json()
    assert report["member_evaluations"][0]["research"][0]["identifier"] == "ĐT-2018-03"
    unknown = await reports.client.post(
        f"{URL}/{report['id']}/approve", json={"office_rating": "gioi"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "office_rating"
    approved = await reports.client.post(
        f"{URL}/{report['id']}/approve", json={"office_rating": "hoan_thanh"}
    )
    assert approved.status_code == 200, approved.text
    assert (approved.json()["self_assessment"], approved.json()["office_rating"]) == (
        "tot",
        "hoan_thanh",
    )

    [event] = await published("report.approved", campaign_id)
    content = event.payload(ReportApproved)
    assert (content.self_assessment, content.office_rating) == ("tot", "hoan_thanh")
    [research] = content.member_evaluations[0].research
    assert (research.title, research.level, str(research.accepted_on)) == (
        RESEARCH["title"],
        "provincial",
        "2018-11-20",
    )


async def test_a_research_topic_cannot_be_listed_as_an_initiative_too(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    evaluations: Items,
) -> None:
    campaign_id = await seed_campaign(closed=(1, 2))
    given = evaluations()
    initiative = given[0]["initiatives"][0]
    given[0]["research"] = [{**RESEARCH, "identifier": initiative["identifier"]}]
    body = new_report(campaign_id, phase_number=2, results=results(), member_evaluations=given)
    refused = await reports.client.post(URL, json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"].startswith("member_evaluations")
