"""The working-day calendar (ngày làm việc) that comment periods are counted in.

A working day is Monday to Friday, not a Vietnamese public holiday, not a day off given in
exchange (nghỉ bù); a Saturday or Sunday worked in exchange (làm bù) is one. The holidays and
the swaps the government announced come from the `holidays` package; `data/holidays.yaml`
adds what it does not know.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import holidays
import yaml

VIETNAM_TIME = timezone(timedelta(hours=7))
DATA_FILE = Path(__file__).parents[1] / "data" / "holidays.yaml"


def vietnam_today(moment: datetime) -> date:
    """The calendar day in Việt Nam at a moment, which is what periods and deadlines count."""
    return moment.astimezone(VIETNAM_TIME).date()


@dataclass(frozen=True)
class WorkingCalendar:
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        public = _public_holidays(day.year)
        if day in public.weekend_workdays:
            return True
        return day.weekday() < 5 and day not in public

    def first_working_day_from(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def period(self, starts_on: date, working_days: int) -> tuple[date, date]:
        """The first and the last day of a period of `working_days` working days that begins
        on the first working day on or after `starts_on`."""
        if working_days < 1:
            raise ValueError("A period has at least one working day.")
        first = self.first_working_day_from(starts_on)
        last = first
        counted = 1
        while counted < working_days:
            last = self.first_working_day_from(last + timedelta(days=1))
            counted += 1
        return first, last

    def working_days_between(self, first: date, last: date) -> int:
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return sum(1 for day in days if self.is_working_day(day))


@cache
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


def _dates(entries: Iterable[Mapping[str, Any]]) -> frozenset[date]:
    days = set()
    for entry in entries:
        day = entry["date"]
        if not isinstance(day, date):
            raise ValueError(f"{DATA_FILE.name}: {day!r} is not a date (yyyy-mm-dd).")
        days.add(day)
    return frozenset(days)


def load_calendar(path: Path = DATA_FILE) -> WorkingCalendar:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return WorkingCalendar(
        extra_days_off=_dates(data.get("extra_days_off") or ()),
        extra_working_days=_dates(data.get("extra_working_days") or ()),
    )


@cache
def agency_calendar() -> WorkingCalendar:
    return load_calendar()
