"""The working-day calendar that comment periods are counted in."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from awards.common.calendar import WorkingCalendar, agency_calendar, load_calendar, vietnam_today


@pytest.mark.parametrize(
    ("starts_on", "working_days", "ends_on"),
    [
        # Tết Kỷ Hợi: 04–08/02/2019 off, between two weekends.
        (date(2019, 1, 28), 10, date(2019, 2, 15)),
        # Tết Mậu Tuất: 14–20/02/2018 off, Wednesday to Tuesday.
        (date(2018, 2, 12), 5, date(2018, 2, 23)),
        # 30/4–1/5/2019: 29/4 off in exchange for Saturday 04/5, which is worked.
        (date(2019, 4, 22), 10, date(2019, 5, 7)),
        # 2/9/2018 fell on a Sunday: Monday 03/9 is off instead.
        (date(2018, 8, 27), 10, date(2018, 9, 10)),
        # An ordinary fortnight.
        (date(2018, 10, 1), 10, date(2018, 10, 12)),
    ],
)
def test_a_comment_period_skips_weekends_holidays_and_days_off(
    starts_on: date, working_days: int, ends_on: date
) -> None:
    first, last = agency_calendar().period(starts_on, working_days)
    assert first == starts_on
    assert last == ends_on
    assert agency_calendar().working_days_between(first, last) == working_days


def test_a_period_starting_on_a_holiday_starts_on_the_next_working_day() -> None:
    first, last = agency_calendar().period(date(2019, 2, 4), 1)
    assert first == last == date(2019, 2, 11)


def test_make_up_saturdays_are_working_days_and_swapped_days_are_not() -> None:
    calendar = agency_calendar()
    assert calendar.is_working_day(date(2019, 5, 4))  # Saturday, làm bù
    assert calendar.is_working_day(date(2019, 1, 5))  # Saturday, làm bù
    assert not calendar.is_working_day(date(2019, 4, 29))  # Monday, nghỉ bù
    assert not calendar.is_working_day(date(2018, 12, 31))  # Monday, nghỉ bù
    assert not calendar.is_working_day(date(2018, 4, 25))  # Giỗ Tổ Hùng Vương
    assert not calendar.is_working_day(date(2018, 10, 13))  # an ordinary Saturday


def test_swaps_are_configurable_in_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "holidays.yaml"
    data.write_text(
        "extra_days_off:\n"
        "  - {date: 2018-10-15, source: 'nghỉ theo quyết định của tỉnh'}\n"
        "extra_working_days:\n"
        "  - {date: 2018-10-20, source: 'làm bù thứ Bảy'}\n",
        encoding="utf-8",
    )
    calendar = load_calendar(data)
    assert not calendar.is_working_day(date(2018, 10, 15))
    assert calendar.is_working_day(date(2018, 10, 20))
    # Without the swaps ten working days from 08/10 end on Friday 19/10; with Monday 15/10
    # off they end on the Saturday worked in exchange.
    assert WorkingCalendar().period(date(2018, 10, 8), 10)[1] == date(2018, 10, 19)
    assert calendar.period(date(2018, 10, 8), 10) == (date(2018, 10, 8), date(2018, 10, 20))
    assert calendar.period(date(2018, 10, 15), 6) == (date(2018, 10, 16), date(2018, 10, 22))
    assert WorkingCalendar().period(date(2018, 10, 15), 6)[1] == date(2018, 10, 22)


def test_a_bad_date_in_the_data_file_is_named(tmp_path: Path) -> None:
    data = tmp_path / "holidays.yaml"
    data.write_text("extra_days_off:\n  - {date: 'mùng 1 Tết', source: x}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mùng 1 Tết"):
        load_calendar(data)


def test_the_day_is_counted_in_vietnam_time() -> None:
    assert vietnam_today(datetime(2018, 6, 29, 18, 0, tzinfo=UTC)) == date(2018, 6, 30)
    assert vietnam_today(datetime(2018, 6, 29, 16, 59, tzinfo=UTC)) == date(2018, 6, 29)
