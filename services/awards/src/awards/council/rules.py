"""The council's rules as data (`data/council.yaml`): the vote threshold per title (the agency's
settings), and per regime (the campaign's rule set) the quorum and the public comment period per
title, each with its source note."""

from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from thidua_shared.contracts.rule_sets import RuleSetId
from thidua_shared.contracts.vocabulary import TITLES

DATA_FILE = Path(__file__).parents[1] / "data" / "council.yaml"


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


def _regime(regime: dict[str, Any], thresholds: dict[str, Any]) -> CouncilRules:
    disclosure = regime["disclosure"]
    return CouncilRules(
        quorum=_share(regime["quorum"]["share_present"], regime["quorum"]["source"]),
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


def load_council_rules(path: Path = DATA_FILE) -> dict[RuleSetId, CouncilRules]:
    """Every regime of the rule-set catalogue has its rules, and no other is named."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    regimes: dict[str, Any] = data["regimes"]
    if set(regimes) != set(RuleSetId):
        raise ValueError(
            f"{path.name}: regimes {sorted(regimes)} differ from the rule sets {sorted(RuleSetId)}."
        )
    return {
        RuleSetId(name): _regime(regime, data["thresholds"]) for name, regime in regimes.items()
    }


@cache
def _all_rules() -> dict[RuleSetId, CouncilRules]:
    return load_council_rules()


def council_rules(rule_set: str | None = None) -> CouncilRules:
    """The rules under the campaign's rule set; without one (a campaign not launched yet), the
    latest regime's."""
    rules = _all_rules()
    if rule_set in rules:
        return rules[RuleSetId(rule_set)]
    return rules[list(RuleSetId)[-1]]
