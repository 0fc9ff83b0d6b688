"""Whether a cluster's elected leader meets the emulation flag's criteria of the campaign's
rule set: the year's targets exceeded, and rated excellent by the office where it recorded a
rating, else by the unit itself (reports approved before the office could rate)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from awards.compile.rules.conditions import percent_text
from awards.compile.rules.ruleset import FlagCriteria
from thidua_shared.contracts.vocabulary import RATING_RANK, TASK_RATINGS


@dataclass(frozen=True, slots=True)
class FlagCheck:
    passed: bool
    # The facts read, in Vietnamese: the basis when it passes, the reason when it does not.
    line: str


def check_flag(
    criteria: FlagCriteria, rating: str | None, rated_by_office: bool, results: Sequence[Any]
) -> FlagCheck:
    who = "Cơ quan thường trực đánh giá" if rated_by_office else "Đơn vị tự đánh giá"
    rating_line = f"{who}: {TASK_RATINGS.get(rating or '', 'chưa xếp loại')}"
    percents = [
        float(r["percent_of_target"]) for r in results if r.get("percent_of_target") is not None
    ]
    met = sum(1 for p in percents if p >= criteria.each_target_percent_at_least)
    average = sum(percents) / len(percents) if percents else 0.0
    targets_line = (
        f"{met}/{len(percents)} chỉ tiêu đạt từ "
        f"{percent_text(criteria.each_target_percent_at_least)} % trở lên, bình quân "
        f"{percent_text(round(average, 1))} %"
    )
    failures = []
    if RATING_RANK.get(rating or "", -1) < RATING_RANK[criteria.rating]:
        failures.append(f"{rating_line}, chưa đạt mức {TASK_RATINGS[criteria.rating]}")
    if not percents or met < len(percents) or average <= criteria.average_percent_above:
        failures.append(f"{targets_line}: chưa hoàn thành vượt mức các chỉ tiêu thi đua")
    if failures:
        return FlagCheck(False, "; ".join(failures) + f" ({criteria.citation})")
    return FlagCheck(True, f"{rating_line}; {targets_line} ({criteria.citation})")
