"""Bonuses: multiplier × the base salary in force on the decision date, rounded up to 10,000."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from awards.decisions.salary import default_multipliers, load_salary_table, salary_table


@pytest.mark.parametrize(
    ("day", "amount", "decree"),
    [
        (date(2017, 7, 1), 1_300_000, "47/2017/NĐ-CP"),
        (date(2018, 6, 30), 1_300_000, "47/2017/NĐ-CP"),
        (date(2018, 7, 1), 1_390_000, "72/2018/NĐ-CP"),
        (date(2019, 6, 30), 1_390_000, "72/2018/NĐ-CP"),
        (date(2019, 7, 1), 1_490_000, "38/2019/NĐ-CP"),
        (date(2023, 6, 30), 1_490_000, "38/2019/NĐ-CP"),
        (date(2023, 7, 1), 1_800_000, "24/2023/NĐ-CP"),
        (date(2024, 7, 1), 2_340_000, "73/2024/NĐ-CP"),
        (date(2026, 1, 1), 2_340_000, "73/2024/NĐ-CP"),
    ],
)
def test_the_base_salary_is_the_one_in_force_on_the_day(
    day: date, amount: int, decree: str
) -> None:
    rate = salary_table().rate_on(day)
    assert rate is not None
    assert rate.amount_vnd == amount
    assert decree in rate.source


def test_no_base_salary_before_the_first_configured_rate() -> None:
    assert salary_table().rate_on(date(2017, 6, 30)) is None


@pytest.mark.parametrize(
    ("title", "base", "bonus"),
    [
        ("lao_dong_tien_tien", 1_300_000, 390_000),
        ("lao_dong_tien_tien", 1_390_000, 420_000),  # 417.000 rounded up
        ("tap_the_lao_dong_tien_tien", 1_390_000, 1_120_000),  # 1.112.000 rounded up
        ("chien_si_thi_dua_co_so", 1_490_000, 1_490_000),
        ("chien_si_thi_dua_cap_tinh", 1_390_000, 4_170_000),
        ("chien_si_thi_dua_toan_quoc", 1_390_000, 6_260_000),  # 6.255.000 rounded up
        ("tap_the_lao_dong_xuat_sac", 1_800_000, 2_700_000),
    ],
)
def test_bonus_is_multiplier_times_base_salary_rounded_up(
    title: str, base: int, bonus: int
) -> None:
    multiplier = default_multipliers()[title].value
    assert salary_table().bonus(multiplier, base) == bonus


def test_every_multiplier_and_the_rounding_carry_a_source() -> None:
    assert all(m.source for m in default_multipliers().values())
    assert default_multipliers()["chien_si_thi_dua_co_so"].value == Decimal("1.0")
    assert "unverified" in default_multipliers()["co_thi_dua_cap_tinh"].source
    assert "làm tròn lên đến hàng 10.000 đồng" in salary_table().rounding.describe()


def test_a_new_rate_is_a_row_in_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "base_salary.yaml"
    data.write_text(
        "rounding: {step_vnd: 1000, direction: nearest, source: test}\n"
        "rates:\n"
        "  - {from: 2024-07-01, amount_vnd: 2340000, source: 'Nghị định 73/2024/NĐ-CP'}\n"
        "  - {from: 2026-07-01, amount_vnd: 2530000, source: 'giả định'}\n",
        encoding="utf-8",
    )
    table = load_salary_table(data)
    rate = table.rate_on(date(2026, 7, 1))
    assert rate is not None
    assert rate.amount_vnd == 2_530_000
    assert table.bonus(Decimal("0.3"), 2_530_000) == 759_000


def test_an_unknown_rounding_direction_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "base_salary.yaml"
    data.write_text(
        "rounding: {step_vnd: 1000, direction: sideways, source: x}\nrates: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="rounding direction"):
        load_salary_table(data)
