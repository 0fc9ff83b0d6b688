"""The council's refusal carries through to every nomination whose rule reads the refused
title, whatever order the votes come in, and the refusal cites the vote."""

from decimal import Decimal

from awards.read_model.models import RegisteredMember
from services.awards.tests.test_council_story import CouncilStory, Nominee
from thidua_shared.testing import RunningService

LDTT, CSTDCS, TTLDTT = "lao_dong_tien_tien", "chien_si_thi_dua_co_so", "tap_the_lao_dong_tien_tien"
NOMINEES = (
    Nominee("unit", "VP", "Văn phòng Sở", "VP", TTLDTT, Decimal("0.8")),
    Nominee("person", "VP-001", "Nguyễn Thị Hồng Nhung", "VP", LDTT, Decimal("0.3")),
    Nominee("person", "VP-001", "Nguyễn Thị Hồng Nhung", "VP", CSTDCS, Decimal("1.0")),
    Nominee("person", "VP-002", "Trần Văn Đức", "VP", LDTT, Decimal("0.3")),
)


def _vote(kind: str, code: str, title: str, votes_for: int, against: int = 0) -> dict[str, object]:
    return {
        "subject_kind": kind,
        "subject_code": code,
        "title": title,
        "votes_for": votes_for,
        "votes_against": against,
    }


async def test_a_refused_ldtt_takes_the_cstdcs_and_the_units_share_with_it(
    awards: RunningService,
) -> None:
    story = CouncilStory(awards)
    await story.compiled(NOMINEES)
    async with awards.runtime.sessionmaker() as session, session.begin():
        for code, name in (("VP-001", "Nguyễn Thị Hồng Nhung"), ("VP-002", "Trần Văn Đức")):
            session.add(
                RegisteredMember(
                    campaign_id=story.campaign_id, unit_code="VP", staff_code=code, full_name=name
                )
            )
    council = await story.council_session(present=8, absent=1)
    votes_url = f"/awards/council/sessions/{council['id']}/votes"
    first = await awards.client.post(
        votes_url,
        json={
            "votes": [
                _vote("person", "VP-001", CSTDCS, 8),
                _vote("unit", "VP", TTLDTT, 8),
                _vote("person", "VP-002", LDTT, 8),
            ]
        },
    )
    assert first.status_code == 200, first.text
    assert all(vote["approved"] for vote in first.json()["votes"])

    second = await awards.client.post(
        votes_url, json={"votes": [_vote("person", "VP-001", LDTT, 2, 6)]}
    )
    assert second.status_code == 200, second.text
    votes = {(v["subject_code"], v["title"]): v for v in second.json()["votes"]}
    assert not votes[("VP-001", LDTT)]["approved"]
    cstdcs = votes[("VP-001", CSTDCS)]
    assert not cstdcs["approved"]
    assert cstdcs["reason"].startswith(
        "Hội đồng thi đua – khen thưởng không thông qua danh hiệu Lao động tiên tiến của "
        "Nguyễn Thị Hồng Nhung (VP-001) tại phiên họp ngày 20/05/2018: 2/8 thành viên có mặt "
        "tán thành, 6 không tán thành (ngưỡng 1/2); danh hiệu Chiến sĩ thi đua cơ sở đòi hỏi "
        "danh hiệu Lao động tiên tiến năm nay (Điều 23"
    )
    unit = votes[("VP", TTLDTT)]
    assert not unit["approved"]
    assert unit["reason"].startswith(
        "Sau khi Hội đồng không thông qua danh hiệu Lao động tiên tiến của VP-001, đơn vị còn "
        "1/2 thành viên (50 %) đạt danh hiệu Lao động tiên tiến (yêu cầu trên 50 %)"
    )
    assert votes[("VP-002", LDTT)]["approved"]

    disclosure = await awards.client.post("/awards/disclosures", json={"session_id": council["id"]})
    assert disclosure.status_code == 201, disclosure.text
    disclosed = {(i["subject_code"], i["title"]) for i in disclosure.json()["items"]}
    assert disclosed == {("VP-002", LDTT)}
