"""The council's rules as data (`data/council.yaml`): quorum, the vote threshold per title and
the public comment period per title, each with its source note."""

from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from thidua_shared.contracts.vocabulary import TITLES

DATA_FILE = Path(__file__).parent / "data" / "council.yaml"


@dataclass(frozen=True)
class Share:
    text: str
    value: Fraction
    source: str

    def reached_by(self, part: int, whole: int) -> bool:
        return whole > 0 and Fraction(part, whole) >= self.value


@dataclass(frozen=True)
class Period:
    working_days: int
    source: str


@dataclass(frozen=True)
class CouncilRules:
    quorum: Share
    default_threshold: Share
    thresholds: dict[str, Share]
    default_period: Period
    periods: dict[str, Period]

    def threshold(self, title: str) -> Share:
        return self.thresholds.get(title, self.default_threshold)

    def comment_period(self, titles: set[str]) -> Period:
        """The longest period among the titles: one list is disclosed as a whole."""
        periods = [self.periods.get(title, self.default_period) for title in sorted(titles)]
        return max(periods, key=lambda period: period.working_days, default=self.default_period)


def _share(text: str, source: str) -> Share:
    value = Fraction(text)
    if not 0 < value <= 1:
        raise ValueError(f"{DATA_FILE.name}: share {text} is not in (0, 1].")
    return Share(text, value, source)


def _titles(entries: dict[str, Any]) -> dict[str, Any]:
    unknown = set(entries) - set(TITLES)
    if unknown:
        raise ValueError(f"{DATA_FILE.name}: unknown titles {sorted(unknown)}.")
    return entries


def load_council_rules(path: Path = DATA_FILE) -> CouncilRules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    thresholds = data["thresholds"]
    disclosure = data["disclosure"]
    return CouncilRules(
        quorum=_share(data["quorum"]["share_present"], data["quorum"]["source"]),
        default_threshold=_share(thresholds["default"]["share"], thresholds["default"]["source"]),
        thresholds={
            title: _share(entry["share"], entry["source"])
            for title, entry in _titles(thresholds.get("titles") or {}).items()
        },
        default_period=Period(
            int(disclosure["default"]["working_days"]), disclosure["default"]["source"]
        ),
        periods={
            title: Period(int(entry["working_days"]), entry["source"])
            for title, entry in _titles(disclosure.get("titles") or {}).items()
        },
    )


@cache
def council_rules() -> CouncilRules:
    return load_council_rules()
