"""The plan's content (kế hoạch 60/KH-STTTT, 2018) lives on the campaign and is announced."""

import unicodedata
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.testing import RecordingBus, RunningService

Body = Callable[..., dict[str, Any]]

OFFICIALS_TARGET = {
    "indicator": "Cán bộ, công chức, viên chức, nhân viên hoàn thành tốt nhiệm vụ được giao",
    "unit_of_measure": "%",
    "target_value": 100,
}
TASKS = [
    "Tiếp tục tuyên truyền, quán triệt sâu sắc tư tưởng Hồ Chí Minh về Thi đua ái quốc.",
    "100% cán bộ, công chức, viên chức, nhân viên chấp hành tốt chủ trương, đường lối của Đảng,"
    " pháp luật của Nhà nước; hoàn thành tốt nhiệm vụ được giao.",
    "Xây dựng tổ chức Đảng và các đoàn thể trong sạch, vững mạnh.",
    "Tiếp tục đổi mới nội dung, phương thức tổ chức các phong trào thi đua; phát động phong trào"
    " thi đua chuyên đề chào mừng kỷ niệm 70 năm Ngày Chủ tịch Hồ Chí Minh ra lời kêu gọi thi"
    " đua ái quốc.",
    "Thực hiện tốt công tác quản lý nhà nước về thông tin và truyền thông; đảm bảo an toàn, an"
    " ninh thông tin.",
    "Không ngừng nâng cao chất lượng các hoạt động thông tin, báo chí, xuất bản.",
]
PLAN: dict[str, Any] = {
    "issuing_agency": "Sở Thông tin và Truyền thông tỉnh Đồng Nai",
    "place_of_issue": "Đồng Nai",
    "issued_on": "2018-01-09",
    "kind": "regular",
    "legal_bases": [
        "Chỉ thị số 82/CT-BTTTT ngày 22/12/2017 của Bộ Thông tin và Truyền thông",
    ],
    "objectives": [
        "Tiếp tục triển khai Chỉ thị số 07-CT/TW và Quyết định 52/2016/QĐ-TTg.",
        "Tiếp tục thực hiện Nghị quyết 36-NQ/TW ngày 01/7/2014 của Bộ Chính trị.",
        "Không ngừng nâng cao chất lượng hoạt động thông tin, báo chí, xuất bản, thông tin cơ sở.",
    ],
    "tasks": [
        {"content": content, "targets": [OFFICIALS_TARGET] if i == 2 else []}
        for i, content in enumerate(TASKS, start=1)
    ],
    "recipients": [
        "Bộ TT&TT",
        "Ban TĐ-KT tỉnh (Sở Nội vụ)",
        "Ban Giám đốc",
        "Các đơn vị thuộc các cụm thi đua do Sở TT-TT tổ chức",
        "Các phòng, các đơn vị thuộc Sở",
        "Lưu: VT, THTĐ",
    ],
    "signer_name": "Lê Hoàng Ngọc",
    "signer_title": "Giám đốc",
}


async def _create(campaigns: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    response = await campaigns.client.post("/campaigns/campaigns", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_the_2018_plan_round_trips_and_is_announced(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body
) -> None:
    created = await _create(campaigns, new_campaign(**PLAN))
    url = f"/campaigns/campaigns/{created['id']}"
    read = (await campaigns.client.get(url)).json()

    for name in ("issuing_agency", "place_of_issue", "issued_on", "kind", "signer_name"):
        assert read[name] == PLAN[name]
    assert read["signer_title"] == "Giám đốc"
    assert read["parent_campaign_id"] is None
    assert read["legal_bases"] == PLAN["legal_bases"]
    assert read["objectives"] == PLAN["objectives"]
    assert read["recipients"] == PLAN["recipients"]
    assert [t["number"] for t in read["tasks"]] == [1, 2, 3, 4, 5, 6]
    assert [t["content"] for t in read["tasks"]] == TASKS
    assert read["tasks"][1]["targets"] == [{**OFFICIALS_TARGET, "lower_is_better": False}]
    assert all(t["targets"] == [] for t in read["tasks"] if t["number"] != 2)

    launched = await campaigns.client.post(f"{url}/launch")
    assert launched.status_code == 200, launched.text
    await campaigns.drain_outbox()
    [event] = [
        e for e in bus.of_type("campaign.launched") if (e.subject or "").endswith(created["id"])
    ]
    snapshot = event.payload(CampaignLaunched)
    assert snapshot.issuing_agency == PLAN["issuing_agency"]
    assert snapshot.kind == "regular"
    assert snapshot.parent_campaign_id is None
    assert snapshot.objectives == PLAN["objectives"]
    assert [(t.number, t.content) for t in snapshot.tasks] == list(enumerate(TASKS, start=1))
    [target] = snapshot.tasks[1].targets
    assert (target.indicator, target.unit_of_measure, target.target_value) == (
        OFFICIALS_TARGET["indicator"],
        "%",
        100.0,
    )
    assert target.lower_is_better is False
    assert (snapshot.signer_name, snapshot.signer_title) == ("Lê Hoàng Ngọc", "Giám đốc")


async def test_a_thematic_drive_nests_under_the_annual_movement(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body
) -> None:
    annual = await _create(campaigns, new_campaign(**PLAN))
    thematic = await _create(
        campaigns,
        new_campaign(
            document_number="61/KH-STTTT",
            title="Thi đua chuyên đề kỷ niệm 70 năm Ngày Bác Hồ ra lời kêu gọi thi đua ái quốc",
            kind="thematic",
            parent_campaign_id=annual["id"],
        ),
    )
    assert (thematic["kind"], thematic["parent_campaign_id"]) == ("thematic", annual["id"])
    assert thematic["tasks"] == thematic["objectives"] == thematic["recipients"] == []
    assert thematic["signer_name"] == thematic["issuing_agency"] == ""

    await campaigns.client.post(f"/campaigns/campaigns/{thematic['id']}/launch")
    await campaigns.drain_outbox()
    [event] = [
        e for e in bus.of_type("campaign.launched") if (e.subject or "").endswith(thematic["id"])
    ]
    snapshot = event.payload(CampaignLaunched)
    assert (snapshot.kind, str(snapshot.parent_campaign_id)) == ("thematic", annual["id"])


async def test_content_is_editable_in_draft_and_frozen_after_launch(
    campaigns: RunningService, new_campaign: Body
) -> None:
    created = await _create(campaigns, new_campaign())
    url = f"/campaigns/campaigns/{created['id']}"
    edited = await campaigns.client.patch(
        url,
        json={"tasks": PLAN["tasks"][:2], "signer_title": "Phó Giám đốc"},
        headers={"If-Match": '"1"'},
    )
    assert edited.status_code == 200, edited.text
    assert [t["number"] for t in edited.json()["tasks"]] == [1, 2]
    assert edited.json()["signer_title"] == "Phó Giám đốc"
    cleared = await campaigns.client.patch(url, json={"kind": None}, headers={"If-Match": '"2"'})
    assert cleared.status_code == 422
    assert cleared.json()["field"] == "kind"

    assert (await campaigns.client.post(f"{url}/launch")).status_code == 200
    frozen = await campaigns.client.patch(
        url, json={"objectives": ["Mục tiêu mới"]}, headers={"If-Match": '"3"'}
    )
    assert frozen.status_code == 409
    assert frozen.json()["field"] == "status"
    assert (await campaigns.client.get(url)).json()["objectives"] == []


async def test_an_unknown_parent_is_refused_naming_the_field(
    campaigns: RunningService, new_campaign: Body
) -> None:
    response = await campaigns.client.post(
        "/campaigns/campaigns", json=new_campaign(parent_campaign_id=str(uuid4()))
    )
    assert response.status_code == 422
    assert response.json()["field"] == "parent_campaign_id"

    created = await _create(campaigns, new_campaign())
    url = f"/campaigns/campaigns/{created['id']}"
    itself = await campaigns.client.patch(
        url, json={"parent_campaign_id": created["id"]}, headers={"If-Match": '"1"'}
    )
    assert itself.status_code == 422
    assert itself.json()["field"] == "parent_campaign_id"


async def test_vietnamese_text_is_kept_intact_and_composed(
    campaigns: RunningService, new_campaign: Body
) -> None:
    decomposed = unicodedata.normalize("NFD", "Nâng cao chất lượng thông tin cơ sở; 100% đạt")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    created = await _create(
        campaigns,
        new_campaign(
            signer_name=unicodedata.normalize("NFD", "Lê Hoàng Ngọc"),
            objectives=[decomposed],
            tasks=[{"content": decomposed, "targets": [{**OFFICIALS_TARGET}]}],
        ),
    )
    read = (await campaigns.client.get(f"/campaigns/campaigns/{created['id']}")).json()
    composed = unicodedata.normalize("NFC", decomposed)
    assert read["signer_name"] == "Lê Hoàng Ngọc"
    assert read["objectives"] == [composed]
    assert read["tasks"][0]["content"] == composed
    assert read["tasks"][0]["targets"][0]["indicator"] == OFFICIALS_TARGET["indicator"]
    for text in (read["signer_name"], read["objectives"][0], read["tasks"][0]["content"]):
        assert unicodedata.is_normalized("NFC", text)
