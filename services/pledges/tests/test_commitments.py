"""A registration's commitments tied to the plan's tasks, titles by code, and attachments."""

from collections.abc import Callable
from typing import Any

import pytest

from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.testing import RecordingBus, RunningService

Body = Callable[..., dict[str, Any]]
URL = "/pledges/registrations"
MINUTES = {
    "url": "https://vanban.dongnai.gov.vn/stttt/bien-ban-hop-vp-2018.pdf",
    "sha256": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
    "description": "Biên bản họp đơn vị",
}


async def _count(pledges: RunningService, launched: CampaignLaunched) -> int:
    page = await pledges.client.get(URL, params={"campaign_id": str(launched.campaign_id)})
    total: int = page.json()["total"]
    return total


async def test_commitments_take_what_they_leave_out_from_the_plan(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    body = new_registration(
        launched.campaign_id,
        commitments=[
            {"task_number": 2},
            {"task_number": 2, "indicator": "vụ việc vi phạm kỷ luật"},
            {
                "task_number": 2,
                "content": "100% công chức Văn phòng hoàn thành xuất sắc nhiệm vụ",
                "indicator": "Công chức hoàn thành xuất sắc nhiệm vụ",
                "unit_of_measure": "%",
                "target_value": 30,
            },
            {"task_number": 1, "content": "Tổ chức 4 buổi sinh hoạt chuyên đề"},
        ],
    )

    response = await pledges.client.post(URL, json=body)

    assert response.status_code == 201, response.text
    plan_task_2 = launched.tasks[1]
    assert response.json()["commitments"] == [
        {
            "task_number": 2,
            "content": plan_task_2.content,
            "indicator": "Cán bộ hoàn thành tốt nhiệm vụ",
            "unit_of_measure": "%",
            "target_value": 100.0,
            "lower_is_better": False,
        },
        {
            "task_number": 2,
            "content": plan_task_2.content,
            "indicator": "vụ việc vi phạm kỷ luật",
            "unit_of_measure": "vụ",
            "target_value": 0.0,
            "lower_is_better": True,
        },
        {
            "task_number": 2,
            "content": "100% công chức Văn phòng hoàn thành xuất sắc nhiệm vụ",
            "indicator": "Công chức hoàn thành xuất sắc nhiệm vụ",
            "unit_of_measure": "%",
            "target_value": 30.0,
            "lower_is_better": False,
        },
        {
            "task_number": 1,
            "content": "Tổ chức 4 buổi sinh hoạt chuyên đề",
            "indicator": "",
            "unit_of_measure": "",
            "target_value": None,
            "lower_is_better": False,
        },
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"commitments": [{"task_number": 1}, {"task_number": 7}]}, "commitments[1].task_number"),
        ({"commitments": [{"task_number": 0}]}, "commitments[0].task_number"),
        ({"collective_title": "Tập thể lao động xuất sắc"}, "collective_title"),
        ({"collective_title": "lao_dong_tien_tien"}, "collective_title"),
        (
            {"members": [{"staff_code": "A1", "full_name": "Hà", "title_aimed": "giay_khen_x"}]},
            "members[0].title_aimed",
        ),
        (
            {"members": [{"staff_code": "A1", "full_name": "Hà", "gender": "nu"}]},
            "members[0].gender",
        ),
        ({"attachments": [{**MINUTES, "sha256": "abc123"}]}, "attachments[0].sha256"),
        ({"attachments": [{**MINUTES, "url": "ftp://example/a.pdf"}]}, "attachments[0].url"),
        ({"attachments": [MINUTES, MINUTES]}, "attachments[1].url"),
    ],
    ids=[
        "task-not-in-plan",
        "task-zero",
        "title-as-words",
        "person-title-for-a-unit",
        "unknown-person-title",
        "unknown-gender",
        "short-checksum",
        "not-http",
        "attached-twice",
    ],
)
async def test_bad_content_names_the_field_and_writes_nothing(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
    overrides: dict[str, Any],
    field: str,
) -> None:
    response = await pledges.client.post(
        URL, json=new_registration(launched.campaign_id, **overrides)
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == field
    assert await _count(pledges, launched) == 0


async def test_attachments_are_kept_with_a_lower_case_checksum(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    body = new_registration(launched.campaign_id, attachments=[MINUTES])
    response = await pledges.client.post(URL, json=body)
    assert response.status_code == 201, response.text
    assert response.json()["attachments"] == [{**MINUTES, "sha256": MINUTES["sha256"].lower()}]


async def test_the_approval_carries_the_approved_versions_content(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    first = new_registration(
        launched.campaign_id, commitments=[{"task_number": 1, "content": "Bản đầu"}]
    )
    created = (await pledges.client.post(URL, json=first)).json()
    base = f"{URL}/{created['id']}"
    assert (await pledges.client.post(f"{base}/return", json={"reason": "Bổ sung"})).is_success
    revised = {
        "collective_title": "tap_the_lao_dong_tien_tien",
        "members": [
            {
                "staff_code": "NV001",
                "full_name": "Nguyễn Thị Hồng",
                "gender": "female",
                "position": "Chánh Văn phòng",
                "title_aimed": "chien_si_thi_dua_co_so",
            }
        ],
        "commitments": [{"task_number": 2}],
        "attachments": [MINUTES],
    }
    resubmitted = await pledges.client.post(f"{base}/resubmit", json=revised)
    assert resubmitted.status_code == 200, resubmitted.text
    assert (await pledges.client.post(f"{base}/approve")).is_success

    versions = (await pledges.client.get(f"{base}/versions")).json()
    assert [v["commitments"][0]["content"] for v in versions] == [
        "Bản đầu",
        launched.tasks[1].content,
    ]
    assert [len(v["attachments"]) for v in versions] == [0, 1]
    await pledges.drain_outbox()
    [approval] = [
        e.payload(PledgeApproved)
        for e in bus.of_type("pledge.approved")
        if e.data["registration_id"] == created["id"]
    ]
    assert (approval.version, approval.cluster) == (2, "Cụm 1")
    assert approval.collective_title == "tap_the_lao_dong_tien_tien"
    [member] = approval.members
    assert (member.gender, member.position, member.title_aimed) == (
        "female",
        "Chánh Văn phòng",
        "chien_si_thi_dua_co_so",
    )
    [commitment] = approval.commitments
    assert (commitment.task_number, commitment.target_value, commitment.unit_of_measure) == (
        2,
        100.0,
        "%",
    )
    [attachment] = approval.attachments
    assert (attachment.url, attachment.sha256) == (MINUTES["url"], MINUTES["sha256"].lower())


async def test_a_plan_without_tasks_takes_no_commitment(
    pledges: RunningService, new_launch: Callable[..., CampaignLaunched], new_registration: Body
) -> None:
    launch = new_launch().model_copy(update={"tasks": []})
    await pledges.deliver(launch, source="/thidua/campaigns")
    body = new_registration(launch.campaign_id, commitments=[{"task_number": 1}])
    response = await pledges.client.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["field"] == "commitments[0].task_number"
    assert "none" in response.json()["detail"]
