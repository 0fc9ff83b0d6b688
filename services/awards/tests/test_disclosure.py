"""Disclosure: the approved list published for comment during working days; comments and
complaints answered; no decision before the period ends."""

from datetime import date
from decimal import Decimal
from typing import Any

from services.awards.tests.test_council_story import NOMINEES, CouncilStory, Nominee, clock_at
from thidua_shared.contracts.awards import NominationsDisclosed
from thidua_shared.testing import RecordingBus, RunningService

PROVINCIAL = Nominee(
    "person", "VP-009", "Hoàng Thị Lan", "VP", "chien_si_thi_dua_cap_tinh", Decimal("3.0")
)


def _decision(disclosure: dict[str, Any], number: str, decided_on: date) -> dict[str, Any]:
    return {
        "disclosure_id": disclosure["id"],
        "number": number,
        "decided_on": decided_on.isoformat(),
        "place": "Đồng Nai",
        "issuing_agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn A",
    }


async def test_high_titles_are_disclosed_for_ten_working_days_across_tet(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = CouncilStory(awards)
    await story.compiled([*NOMINEES, PROVINCIAL])
    disclosure = await story.disclosed(date(2019, 1, 28))
    assert disclosure["working_days"] == 10
    # A 2018 movement follows the 2013 law and its decree, not Nghị định 98/2023.
    assert "Nghị định 91/2017/NĐ-CP Điều 45" in disclosure["period_source"]
    assert "98/2023" not in disclosure["period_source"]
    assert (disclosure["comment_from"], disclosure["comment_until"]) == ("2019-01-28", "2019-02-15")
    assert {item["subject_code"] for item in disclosure["items"]} == {
        "VP",
        "VP-001",
        "VP-002",
        "VP-009",
    }

    await awards.drain_outbox()
    [event] = [
        e.payload(NominationsDisclosed)
        for e in bus.of_type("nominations.disclosed")
        if e.subject == f"disclosures/{disclosure['id']}"
    ]
    assert event.campaign_id == story.campaign_id
    assert event.comment_until == date(2019, 2, 15)
    assert {n.subject_name for n in event.nominations} >= {"Hoàng Thị Lan", "Văn phòng Sở"}

    public = await awards.client.get(
        "/awards/public/disclosures",
        params={"campaign_id": str(story.campaign_id)},
        headers={"Authorization": ""},
    )
    assert public.status_code == 200, public.text
    [listed] = public.json()["items"]
    assert listed["comment_until"] == "2019-02-15"
    assert "comments" not in listed


async def test_lower_titles_take_the_shorter_configured_period_across_30_4(
    awards: RunningService,
) -> None:
    story = CouncilStory(awards, year=2019)
    await story.compiled()
    disclosure = await story.disclosed(date(2019, 4, 24))
    assert disclosure["working_days"] == 5
    assert disclosure["comment_until"] == "2019-05-03"


async def test_no_decision_before_the_comment_period_ends(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    disclosure = await story.disclosed(date(2018, 6, 4))
    assert disclosure["comment_until"] == "2018-06-08"
    body = _decision(disclosure, "901/QĐ-STTTT", date(2018, 6, 11))
    with clock_at(date(2018, 6, 8), hour=16):
        early = await awards.client.post("/awards/decisions", json=body)
    assert early.status_code == 409, early.text
    assert early.json()["rule"] == "disclosure_period"
    assert "08/06/2018" in early.json()["detail"]
    with clock_at(date(2018, 6, 11)):
        dated_inside = await awards.client.post(
            "/awards/decisions", json={**body, "decided_on": "2018-06-08"}
        )
        assert dated_inside.status_code == 422
        assert dated_inside.json()["field"] == "decided_on"
        issued = await awards.client.post("/awards/decisions", json=body)
    assert issued.status_code == 201, issued.text


async def test_comments_and_complaints_are_recorded_and_answered(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    disclosure = await story.disclosed(date(2018, 6, 4))
    url = f"/awards/disclosures/{disclosure['id']}/comments"
    with clock_at(date(2018, 6, 6)):
        complaint = await awards.client.post(
            url,
            json={
                "kind": "complaint",
                "author": "Công dân Lý Văn Bình",
                "content": "Ông Trần Văn Đức từng bị nhắc nhở trong năm.",
                "subject_code": "VP-002",
            },
        )
        assert complaint.status_code == 201, complaint.text
        stranger = await awards.client.post(
            url, json={"kind": "comment", "author": "X", "content": "?", "subject_code": "KHAC"}
        )
        assert stranger.status_code == 422
        assert stranger.json()["field"] == "subject_code"
    with clock_at(date(2018, 6, 11)):
        late = await awards.client.post(
            url, json={"kind": "comment", "author": "Y", "content": "Góp ý muộn."}
        )
        assert late.status_code == 409
        blocked = await awards.client.post(
            "/awards/decisions", json=_decision(disclosure, "902/QĐ-STTTT", date(2018, 6, 11))
        )
        assert blocked.status_code == 409
        assert blocked.json()["rule"] == "complaints_answered"
        answer_url = f"{url}/{complaint.json()['id']}/answer"
        answered = await awards.client.post(
            answer_url, json={"answer": "Đã xác minh: không có hình thức kỷ luật."}
        )
        assert answered.status_code == 200, answered.text
        assert answered.json()["answered_at"] is not None
        assert (await awards.client.post(answer_url, json={"answer": "lần hai"})).status_code == 409
        decision = _decision(disclosure, "902/QĐ-STTTT", date(2018, 6, 11))
        withheld = {
            "subject_kind": "person",
            "subject_code": "VP-002",
            "title": "lao_dong_tien_tien",
            "reason": "Khiếu nại được xác minh là đúng.",
        }
        stranger_withheld = {**withheld, "title": "giay_khen"}
        refused = await awards.client.post(
            "/awards/decisions", json={**decision, "withheld": [stranger_withheld]}
        )
        assert refused.status_code == 422
        assert refused.json()["field"] == "withheld.0"
        issued = await awards.client.post(
            "/awards/decisions", json={**decision, "withheld": [withheld]}
        )
        assert issued.status_code == 201, issued.text
    assert [a["subject_code"] for a in issued.json()["awards"]] == ["VP", "VP-001"]
    assert issued.json()["withheld"] == [withheld]
    stored = await awards.client.get(f"/awards/disclosures/{disclosure['id']}")
    [comment] = stored.json()["comments"]
    assert comment["content"] == "Ông Trần Văn Đức từng bị nhắc nhở trong năm."


async def test_a_disclosure_is_made_once_from_approved_votes(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    disclosure = await story.disclosed(date(2018, 6, 4))
    with clock_at(date(2018, 6, 4)):
        again = await awards.client.post(
            "/awards/disclosures", json={"session_id": disclosure["session_id"]}
        )
        assert again.status_code == 409
        empty = await story.council_session(present=3, absent=0)
        nothing = await awards.client.post("/awards/disclosures", json={"session_id": empty["id"]})
        assert nothing.status_code == 409
        past = await awards.client.post(
            "/awards/disclosures", json={"session_id": empty["id"], "starts_on": "2018-06-01"}
        )
        assert past.status_code == 422
        assert past.json()["field"] == "starts_on"
