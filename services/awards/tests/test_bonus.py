"""Bonuses for several titles at one time, per each regime's principle: one achievement, the
highest bonus; achievements over different periods, each bonus."""

from dataclasses import dataclass

import pytest

from awards.decisions.bonus import settle_bonuses


@dataclass
class Award:
    subject_kind: str
    subject_code: str
    title: str
    multiplier: float
    bonus_vnd: int
    multiplier_source: str = "rule set"


@pytest.mark.parametrize("rule_set_id", ["law-2013-decree-91-2017", "law-2022-decree-98-2023"])
def test_the_years_titles_pay_the_highest_bonus_and_a_chain_pays_its_own(
    rule_set_id: str,
) -> None:
    awards = [
        Award("person", "CB01", "lao_dong_tien_tien", 0.3, 417_000),
        Award("person", "CB01", "chien_si_thi_dua_co_so", 1.0, 1_390_000),
        Award("person", "CB01", "chien_si_thi_dua_cap_tinh", 3.0, 4_170_000),
        Award("person", "CB02", "lao_dong_tien_tien", 0.3, 417_000),
        Award("unit", "VP", "tap_the_lao_dong_xuat_sac", 1.5, 2_085_000),
        Award("unit", "VP", "co_thi_dua_cap_tinh", 8.0, 11_120_000),
    ]
    settle_bonuses(awards, rule_set_id)
    paid = {(a.subject_code, a.title): a.bonus_vnd for a in awards}
    assert paid == {
        ("CB01", "lao_dong_tien_tien"): 0,
        ("CB01", "chien_si_thi_dua_co_so"): 1_390_000,
        ("CB01", "chien_si_thi_dua_cap_tinh"): 4_170_000,
        ("CB02", "lao_dong_tien_tien"): 417_000,
        ("VP", "tap_the_lao_dong_xuat_sac"): 0,
        ("VP", "co_thi_dua_cap_tinh"): 11_120_000,
    }
    unpaid = awards[0].multiplier_source
    assert "chỉ nhận mức thưởng cao nhất" in unpaid
    assert "Chiến sĩ thi đua cơ sở" in unpaid
    if rule_set_id.startswith("law-2013"):
        assert "Điểm c khoản 2 Điều 66 Nghị định 91/2017/NĐ-CP" in unpaid
