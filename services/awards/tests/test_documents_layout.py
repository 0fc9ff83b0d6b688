"""The council's minutes, a cluster's minutes and the decision as an office reads them
(Nghị định 30/2020): the same text in the PDF and the DOCX, dated at the agency's province,
numbered, signed by the secretary and the chair, the award list in an annex, nothing but
Vietnamese."""

from datetime import date
from typing import Any

from sqlalchemy import update

from awards.decisions.documents import LIST_HEADERS
from awards.read_model.models import Campaign
from services.awards.tests.test_council_story import CouncilStory
from services.awards.tests.test_decisions import ANONYMOUS, _decided
from services.awards.tests.test_voting import _vote_body
from thidua_shared.document_readback import (
    docx_body_text,
    pdf_body_text,
    pdf_horizontal_lines,
)
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

# Words of the notes the data carries and the documents must not: English, "unverified".
NOT_IN_DOCUMENTS = ("unverified", "the council", "members", "present", "kiểm chứng")
MEMBERS = [
    ("Lê Hoàng Ngọc", "Chủ tịch", True),
    ("Phạm Thị Lan", "Ủy viên thường trực", True),
    ("Võ Minh Tuấn", "Ủy viên", True),
    ("Huỳnh Ngọc Anh", "Ủy viên", False),
]


async def _story_in_dong_nai(awards: RunningService) -> CouncilStory:
    story = CouncilStory(awards)
    await story.compiled()
    async with awards.runtime.sessionmaker() as session, session.begin():
        await session.execute(
            update(Campaign)
            .where(Campaign.id == story.campaign_id)
            .values(issuing_agency="Sở Thông tin và Truyền thông", place_of_issue="Đồng Nai")
        )
    return story


async def _both(
    awards: RunningService, base: str, headers: dict[str, str] | None = None
) -> tuple[bytes, bytes]:
    pdf = await awards.client.get(f"{base}.pdf", headers=headers)
    word = await awards.client.get(f"{base}.docx", headers=headers)
    assert pdf.status_code == word.status_code == 200, (pdf.text, word.text)
    return pdf.content, word.content


def _only_vietnamese(text: str) -> None:
    for word in NOT_IN_DOCUMENTS:
        assert word not in text.casefold(), word


async def test_council_minutes_are_dated_at_the_province_and_signed_by_both(
    awards: RunningService,
) -> None:
    story = await _story_in_dong_nai(awards)
    created = await awards.client.post(
        "/awards/council/sessions",
        json={
            "campaign_id": str(story.campaign_id),
            "held_on": "2018-05-20",
            "place": "Phòng họp Sở Thông tin và Truyền thông",
            "members": [{"name": n, "role": r, "present": p} for n, r, p in MEMBERS],
        },
    )
    assert created.status_code == 201, created.text
    await story.approve_all(created.json()["id"], votes_for=1)

    pdf, word = await _both(awards, f"/awards/council/sessions/{created.json()['id']}/minutes")
    text = pdf_body_text(pdf)

    assert text == docx_body_text(word)
    assert text.startswith(
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG Số: 01/BB-HĐTĐKT"
    )
    assert "Đồng Nai, ngày 20 tháng 05 năm 2018" in text
    assert "tại Phòng họp Sở Thông tin và Truyền thông." in text
    assert "Phòng họp Sở Thông tin và Truyền thông, ngày" not in text
    assert "THƯ KÝ Phạm Thị Lan CHỦ TRÌ Lê Hoàng Ngọc" in text
    assert "Không đề nghị: Không đạt ngưỡng." in text
    # Under the agency, the motto and the title; the tables' grid spans the text area.
    assert len([line for line in pdf_horizontal_lines(pdf) if line.length < 200]) == 3
    _only_vietnamese(text)


async def test_cluster_minutes_are_dated_at_the_province(awards: RunningService) -> None:
    story = await _story_in_dong_nai(awards)
    body = _vote_body(story, place="Hội trường Sở Thông tin và Truyền thông")
    vote = await awards.client.post("/awards/cluster-votes", json=body)
    assert vote.status_code == 201, vote.text

    pdf, word = await _both(awards, f"/awards/cluster-votes/{vote.json()['id']}/minutes")
    text = pdf_body_text(pdf)

    assert text == docx_body_text(word)
    assert "Đồng Nai, ngày 20 tháng 12 năm 2018" in text
    assert "tại Hội trường Sở Thông tin và Truyền thông." in text
    assert "THƯ KÝ Đỗ Thị Thu Hà CHỦ TRÌ Phạm Văn Hùng" in text
    _only_vietnamese(text)


async def test_the_decision_lists_its_awards_in_an_annex(awards: RunningService) -> None:
    decision: dict[str, Any] = await _decided(awards, date(2018, 7, 1))

    pdf, word = await _both(
        awards, f"/awards/public/decisions/{decision['id']}/decision", ANONYMOUS
    )
    text = pdf_body_text(pdf, repeated=[[*LIST_HEADERS, "Tiền thưởng (đồng)"]])

    assert text == docx_body_text(word)
    # The grounds of the regime in force on 01/07/2018, numbered and dated, then the plan's.
    assert (
        "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG Căn cứ Luật Thi đua, khen thưởng số 15/2003/QH11 "
        "ngày 26 tháng 11 năm 2003; các Luật số 47/2005/QH11"
    ) in text
    assert (
        "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 07 năm 2017 của Chính phủ quy định chi "
        "tiết thi hành một số điều của Luật Thi đua, khen thưởng;"
    ) in text
    assert "98/2023" not in text
    assert "Xét đề nghị của Hội đồng Thi đua – Khen thưởng" in text
    assert "tại Biên bản họp số 01/BB-HĐTĐKT ngày" in text
    assert "QUYẾT ĐỊNH: Điều 1." in text
    assert "làm tròn lên đến hàng 10.000 đồng. Tổng số tiền thưởng" in text
    assert (
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG (Kèm theo Quyết định số "
        f"{decision['number']} ngày 01/07/2018 của SỞ THÔNG TIN VÀ TRUYỀN THÔNG)"
    ) in text
    assert "Nơi nhận: - Như Điều 3; - Lưu: VT, VP. KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text
    _only_vietnamese(text)


async def test_a_revocation_is_a_decision_of_its_own_recovering_the_bonus(
    awards: RunningService,
) -> None:
    decision: dict[str, Any] = await _decided(awards, date(2018, 7, 1))
    revoked = await awards.client.post(
        f"/awards/decisions/{decision['id']}/revocations",
        json={
            "subject_kind": "person",
            "subject_code": "VP-002",
            "title": "lao_dong_tien_tien",
            "reason": "Khai man thành tích",
            "number": "42/QĐ-STTTT",
            "decided_on": "2019-03-15",
        },
        headers=bearer(Role.DECISION_SIGNER),
    )
    assert revoked.status_code == 200, revoked.text
    [award] = [a for a in revoked.json()["awards"] if a["revoked_at"]]
    assert (award["revocation_number"], award["revoked_on"]) == ("42/QĐ-STTTT", "2019-03-15")

    base = f"/awards/public/decisions/{decision['id']}/revocations/{award['id']}/decision"
    pdf, word = await _both(awards, base, ANONYMOUS)
    text = pdf_body_text(pdf)

    assert text == docx_body_text(word)
    assert "Số: 42/QĐ-STTTT" in text
    assert "Đồng Nai, ngày 15 tháng 03 năm 2019" in text
    assert "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG Căn cứ Luật Thi đua, khen thưởng số" in text
    assert f"Căn cứ Quyết định số {decision['number']} ngày 01/07/2018 của Giám đốc" in text
    assert "QUYẾT ĐỊNH: Điều 1. Hủy bỏ việc tặng danh hiệu Lao động tiên tiến" in text
    assert "Lý do: Khai man thành tích." in text
    assert "Điều 2. Thu hồi số tiền thưởng 420.000 đồng" in text
    assert "Nơi nhận: - Như Điều 3; - Lưu: VT. KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in text
    _only_vietnamese(text)

    in_force = await awards.client.get(
        f"/awards/public/decisions/{decision['id']}/revocations/{revoked.json()['awards'][0]['id']}"
        "/decision.pdf",
        headers=ANONYMOUS,
    )
    assert in_force.status_code == 404
    assert in_force.json()["field"] == "award_id"
