"""The council session: quorum of 2/3 present, votes per nomination against its threshold."""

import io
from decimal import Decimal
from fractions import Fraction
from uuid import uuid4

import pypdf

from awards.council.rules import council_rules
from services.awards.tests.test_council_story import CouncilStory, Nominee
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer


async def test_below_two_thirds_present_the_session_cannot_vote(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    council = await story.council_session(present=5, absent=3)  # 5/8 < 2/3
    assert council["quorum_met"] is False
    assert (council["members_total"], council["members_present"]) == (8, 5)

    response = await awards.client.post(
        f"/awards/council/sessions/{council['id']}/votes",
        json={
            "votes": [
                {
                    "subject_kind": "person",
                    "subject_code": "VP-002",
                    "title": "lao_dong_tien_tien",
                    "votes_for": 5,
                    "votes_against": 0,
                }
            ]
        },
    )
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["field"] == "members"
    assert problem["rule"] == "quorum"
    assert "2/3" in problem["detail"]
    assert "5 of 8" in problem["detail"]
    stored = await awards.client.get(f"/awards/council/sessions/{council['id']}")
    assert stored.json()["votes"] == []


async def test_exactly_two_thirds_present_is_a_quorum(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    council = await story.council_session(present=6, absent=3)
    assert council["quorum_met"] is True
    assert council_rules().quorum.value == Fraction(2, 3)


def test_each_regime_cites_its_own_decree() -> None:
    """A 2018 movement's council and disclosure follow the 2013 law's decree, not the 2023 one."""
    old = council_rules("law-2013-decree-91-2017")
    new = council_rules("law-2022-decree-98-2023")
    old_sources = [old.quorum.source, *(p.source for p in old.periods.values())]
    assert not any("98/2023" in source for source in old_sources)
    assert "91/2017" in old.periods["chien_si_thi_dua_cap_tinh"].source
    assert "98/2023" in new.quorum.source
    assert old.threshold("bang_khen_cap_tinh") == new.threshold("bang_khen_cap_tinh")


async def test_each_title_has_its_threshold(awards: RunningService) -> None:
    story = CouncilStory(awards)
    higher = Nominee(
        "person", "VP-003", "Lê Thị Mai", "VP", "chien_si_thi_dua_cap_tinh", Decimal("3.0")
    )
    await story.compiled([*_lower(), higher])
    council = await story.council_session(present=9, absent=0)
    # 5 of 9 present: a majority, under 2/3.
    votes = [
        {
            "subject_kind": kind,
            "subject_code": code,
            "title": title,
            "votes_for": 5,
            "votes_against": 4,
        }
        for kind, code, title in (
            ("person", "VP-002", "lao_dong_tien_tien"),
            ("person", "VP-003", "chien_si_thi_dua_cap_tinh"),
        )
    ]
    response = await awards.client.post(
        f"/awards/council/sessions/{council['id']}/votes",
        json={"votes": votes},
        headers=bearer(Role.COUNCIL_MEMBER),
    )
    assert response.status_code == 200, response.text
    results = {v["subject_code"]: v for v in response.json()["votes"]}
    assert results["VP-002"]["approved"] is True
    assert results["VP-002"]["threshold"] == "1/2"
    assert results["VP-002"]["reason"] == ""
    assert results["VP-003"]["approved"] is False
    assert results["VP-003"]["threshold"] == "2/3"
    assert "unverified" in results["VP-003"]["threshold_source"]
    assert "5/9" in results["VP-003"]["reason"]

    again = await awards.client.post(
        f"/awards/council/sessions/{council['id']}/votes",
        json={"votes": [{**votes[0], "votes_for": 9, "votes_against": 0}]},
    )
    assert again.status_code == 409
    assert again.json()["field"] == "votes.0"


async def test_a_rejection_keeps_the_councils_reason(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    council = await story.council_session(present=7, absent=0)
    response = await awards.client.post(
        f"/awards/council/sessions/{council['id']}/votes",
        json={
            "votes": [
                {
                    "subject_kind": "unit",
                    "subject_code": "VP",
                    "title": "tap_the_lao_dong_tien_tien",
                    "votes_for": 2,
                    "votes_against": 5,
                    "reason": "Đơn vị còn để xảy ra khiếu nại kéo dài.",
                }
            ]
        },
    )
    assert response.status_code == 200, response.text
    [vote] = response.json()["votes"]
    assert vote["approved"] is False
    assert vote["reason"] == "Đơn vị còn để xảy ra khiếu nại kéo dài."

    minutes = await awards.client.get(
        f"/awards/council/sessions/{council['id']}/minutes.pdf",
        params={"agency": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG SỞ TT&TT"},
    )
    assert minutes.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(minutes.content))
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "BIÊN BẢN",
        "Có mặt 7/7 thành viên; đủ điều kiện biểu quyết",
        "Văn phòng Sở",
        "Tập thể lao động tiên tiến",
        "Không đề nghị: Đơn vị còn để xảy ra khiếu nại kéo dài.",
    ):
        assert expected in text, expected


async def test_votes_are_checked_against_the_agenda_and_attendance(
    awards: RunningService,
) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    council = await story.council_session(present=7, absent=1)
    url = f"/awards/council/sessions/{council['id']}/votes"
    vote = {"subject_kind": "person", "subject_code": "VP-002", "title": "lao_dong_tien_tien"}
    not_nominated = {**vote, "title": "chien_si_thi_dua_co_so", "votes_for": 7, "votes_against": 0}
    too_many = {**vote, "votes_for": 6, "votes_against": 2}
    unknown_title = {**vote, "title": "huan_chuong", "votes_for": 1, "votes_against": 0}
    for body, field in ((not_nominated, "votes.0"), (too_many, "votes.0")):
        response = await awards.client.post(url, json={"votes": [body]})
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field
    response = await awards.client.post(url, json={"votes": [unknown_title]})
    assert response.status_code == 422
    assert "title" in response.json()["field"]


async def test_sessions_need_a_launched_campaign_and_unit_heads_may_not_vote(
    awards: RunningService,
) -> None:
    response = await awards.client.post(
        "/awards/council/sessions",
        json={
            "campaign_id": str(uuid4()),
            "held_on": "2018-05-20",
            "place": "Đồng Nai",
            "members": [{"name": "A", "role": "Chủ tịch", "present": True}],
        },
    )
    assert response.status_code == 404
    assert response.json()["field"] == "campaign_id"
    story = CouncilStory(awards)
    await story.compiled()
    council = await story.council_session(present=3, absent=0)
    refused = await awards.client.post(
        f"/awards/council/sessions/{council['id']}/votes",
        json={"votes": []},
        headers=bearer(Role.UNIT_HEAD, "VP"),
    )
    assert refused.status_code == 403


def _lower() -> list[Nominee]:
    return [Nominee("person", "VP-002", "Trần Văn Đức", "VP", "lao_dong_tien_tien", Decimal("0.3"))]
