"""The bonus of an award (tiền thưởng): its multiplier × the base salary (mức lương cơ sở) in
force on the decision date, rounded as `data/base_salary.yaml` states."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parents[1] / "data"
ROUNDING_MODES = {"up": ROUND_CEILING, "nearest": ROUND_HALF_UP}


@dataclass(frozen=True)
class BaseSalaryRate:
    starts_on: date
    amount_vnd: int
    source: str


@dataclass(frozen=True)
class Rounding:
    step_vnd: int
    direction: str
    source: str

    def describe(self) -> str:
        how = "làm tròn lên" if self.direction == "up" else "làm tròn"
        return f"{how} đến hàng {self.step_vnd:,} đồng ({self.source})".replace(",", ".")

    def apply(self, amount: Decimal) -> int:
        steps = (amount / self.step_vnd).to_integral_value(rounding=ROUNDING_MODES[self.direction])
        return int(steps) * self.step_vnd


@dataclass(frozen=True)
class Multiplier:
    value: Decimal
    source: str


@dataclass(frozen=True)
class SalaryTable:
    rates: tuple[BaseSalaryRate, ...]
    rounding: Rounding

    def rate_on(self, day: date) -> BaseSalaryRate | None:
        in_force = [rate for rate in self.rates if rate.starts_on <= day]
        return max(in_force, key=lambda rate: rate.starts_on, default=None)

    def bonus(self, multiplier: Decimal, base_salary_vnd: int) -> int:
        return self.rounding.apply(multiplier * base_salary_vnd)


def _load_yaml(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return data


def load_salary_table(path: Path = DATA / "base_salary.yaml") -> SalaryTable:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rounding = data["rounding"]
    if rounding["direction"] not in ROUNDING_MODES:
        raise ValueError(f"{path.name}: rounding direction must be one of {list(ROUNDING_MODES)}.")
    rates = tuple(
        BaseSalaryRate(
            starts_on=row["from"], amount_vnd=int(row["amount_vnd"]), source=row["source"]
        )
        for row in data["rates"]
    )
    if len({rate.starts_on for rate in rates}) != len(rates):
        raise ValueError(f"{path.name}: two rates start on the same day.")
    return SalaryTable(
        rates=rates,
        rounding=Rounding(
            step_vnd=int(rounding["step_vnd"]),
            direction=rounding["direction"],
            source=rounding["source"],
        ),
    )


@cache
def salary_table() -> SalaryTable:
    return load_salary_table()


@cache
def default_multipliers() -> dict[str, Multiplier]:
    titles = _load_yaml("multipliers.yaml")["titles"]
    return {
        title: Multiplier(Decimal(str(entry["multiplier"])), entry["source"])
        for title, entry in titles.items()
    }
