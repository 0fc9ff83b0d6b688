"""Exemplars (điển hình tiên tiến): published with their story, announced, read publicly."""

from uuid import uuid4

from services.awards.tests.test_council_story import CouncilStory
from thidua_shared.contracts.awards import ExemplarPublished
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer

STORY = (
    "Chị Nguyễn Thị Hồng Nhung đề xuất sáng kiến số hóa hồ sơ một cửa, rút ngắn thời gian "
    "giải quyết thủ tục hành chính từ 5 ngày xuống còn 2 ngày làm việc."
)


async def test_an_exemplar_is_published_with_its_story(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    body = {
        "campaign_id": str(story.campaign_id),
        "subject_kind": "person",
        "subject_code": "VP-001",
        "subject_name": "Nguyễn Thị Hồng Nhung",
        "story": STORY,
    }
    response = await awards.client.post("/awards/exemplars", json=body)
    assert response.status_code == 201, response.text
    exemplar = response.json()

    await awards.drain_outbox()
    [event] = [
        e.payload(ExemplarPublished)
        for e in bus.of_type("exemplar.published")
        if e.subject == f"exemplars/{exemplar['id']}"
    ]
    assert (event.subject_code, event.subject_name, event.story) == (
        "VP-001",
        "Nguyễn Thị Hồng Nhung",
        STORY,
    )

    public = await awards.client.get(
        "/awards/public/exemplars",
        params={"campaign_id": str(story.campaign_id)},
        headers={"Authorization": ""},
    )
    assert public.status_code == 200
    assert [e["story"] for e in public.json()["items"]] == [STORY]

    again = await awards.client.post("/awards/exemplars", json=body)
    assert again.status_code == 409
    assert again.json()["field"] == "subject_code"


async def test_only_the_office_publishes_for_a_launched_campaign(awards: RunningService) -> None:
    body = {
        "campaign_id": str(uuid4()),
        "subject_kind": "unit",
        "subject_code": "VP",
        "subject_name": "Văn phòng Sở",
        "story": STORY,
    }
    missing = await awards.client.post("/awards/exemplars", json=body)
    assert missing.status_code == 404
    assert missing.json()["field"] == "campaign_id"
    refused = await awards.client.post(
        "/awards/exemplars", json=body, headers=bearer(Role.UNIT_HEAD, "VP")
    )
    assert refused.status_code == 403
