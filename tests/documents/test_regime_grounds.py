"""The grounds a decision and a revocation cite are those of the regime in force on their own
date, numbered and dated from the rule-set catalogue: the 2003 law as amended and Nghị định
91/2017 for 2018-2023, the 2022 law and Nghị định 98/2023 from 2024."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from awards.decisions.documents import decision_document
from awards.decisions.grounds import council_proposal, decision_grounds
from awards.decisions.models import Decision, DecisionAward
from awards.decisions.revocation_document import revocation_document
from awards.read_model.models import Campaign
from tests.documents.official_text import assert_only_vietnamese
from thidua_shared.document_readback import docx_body_text, pdf_body_text
from thidua_shared.documents import AdministrativeDocument, render_docx, render_pdf

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
NEW_REGIME = (
    "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 06 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi "
    "tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
)
OLD_REGIME = ("15/2003/QH11", "39/2013/QH13", "91/2017/NĐ-CP")


def _campaign(year: int, rule_set: str) -> Campaign:
    return Campaign(
        title=f"Phát động phong trào thi đua năm {year}",
        year=year,
        rule_set=rule_set,
        issuing_agency="Sở Thông tin và Truyền thông",
        plan_number="12/KH-STTTT",
        plan_issued_on=date(year, 1, 10),
    )


def _decision(decided_on: date, campaign: Campaign) -> Decision:
    award = DecisionAward(
        position=1,
        subject_kind="person",
        subject_code="VP-001",
        subject_name="Nguyễn Thị Hoà",
        unit_code="VP",
        title="lao_dong_tien_tien",
        multiplier=Decimal("0.3"),
        bonus_vnd=540_000,
        revoked_at=None,
    )
    return Decision(
        number="20/QĐ-STTTT",
        decided_on=decided_on,
        place="Đồng Nai",
        issuing_agency="Sở Thông tin và Truyền thông",
        parent_agency="UBND tỉnh Đồng Nai",
        signer_authority="",
        signer_title="Giám đốc",
        signer_name="Lê Hoàng Ngọc",
        preamble=decision_grounds(decided_on, campaign, []),
        proposal=council_proposal("Sở Thông tin và Truyền thông", 1, decided_on),
        recipients=["Như Điều 3", "Lưu: VT"],
        base_salary_vnd=1_800_000,
        base_salary_source="Nghị định 24/2023/NĐ-CP, từ 01/07/2023",
        rounding_rule="làm tròn lên đến hàng 10.000 đồng (source note)",
        total_bonus_vnd=540_000,
        issued_at=datetime.combine(decided_on, datetime.min.time(), VIETNAM),
        awards=[award],
    )


def _text(document: AdministrativeDocument) -> str:
    text = pdf_body_text(render_pdf(document))
    assert text == docx_body_text(render_docx(document))
    assert_only_vietnamese(text)
    return text


def test_a_2023_movement_decided_in_2024_cites_the_2022_law_and_decree_98() -> None:
    campaign = _campaign(2023, "law-2022-decree-98-2023")
    text = _text(decision_document(_decision(date(2024, 1, 25), campaign), {"VP": "Văn phòng Sở"}))
    assert "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG " + NEW_REGIME[0] in text
    assert NEW_REGIME[1] in text
    assert "Căn cứ Kế hoạch số 12/KH-STTTT ngày 10/01/2023" in text
    for instrument in OLD_REGIME:
        assert instrument not in text


def test_a_revocation_cites_the_regime_of_its_own_date() -> None:
    campaign = _campaign(2023, "law-2013-decree-91-2017")
    issued = _decision(date(2023, 12, 20), campaign)
    assert not any("98/2023" in line for line in issued.preamble)
    award = issued.awards[0]
    award.revoked_at = datetime(2024, 2, 1, 9, tzinfo=VIETNAM)
    award.revoked_on = date(2024, 2, 1)
    award.revocation_reason = "Khai man thành tích"
    award.bonus_recovered_vnd = award.bonus_vnd
    text = _text(revocation_document(issued, award, campaign, {"VP": "Văn phòng Sở"}))
    for ground in NEW_REGIME:
        assert ground in text
    assert "Căn cứ Quyết định số 20/QĐ-STTTT ngày 20/12/2023" in text
    assert "Thu hồi số tiền thưởng 540.000 đồng" in text
    assert "Số: /QĐ-STTTT" in text
