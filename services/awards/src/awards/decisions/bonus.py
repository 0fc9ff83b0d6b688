"""Bonuses when one subject earns several titles at one time, per the rule set's bonus
principle: among titles earned for the same achievement (the year's LĐTT and CSTĐCS; a
collective's year titles and its flag), only the highest bonus is paid; titles earned over
different periods (the three-year CSTĐ cấp tỉnh, the two-year bằng khen) are each paid."""

from collections.abc import Sequence
from typing import Protocol

from awards.compile.rules.conditions import title_name
from awards.compile.rules.ruleset import SeveralTitlesBonus
from awards.compile.ruleset_files import UnknownRuleSet, rule_set


class Award(Protocol):
    subject_kind: str
    subject_code: str
    title: str
    multiplier_source: str
    bonus_vnd: int


def settle_bonuses(awards: Sequence[Award], rule_set_id: str) -> None:
    """Sets, in place, the bonus of each lesser title of a same-achievement group to nothing,
    saying why in its multiplier's source."""
    principle = _principle(rule_set_id)
    if principle is None:
        return
    by_subject: dict[tuple[str, str], list[Award]] = {}
    for award in awards:
        by_subject.setdefault((award.subject_kind, award.subject_code), []).append(award)
    for held in by_subject.values():
        for group in principle.same_achievement:
            earned = [award for award in held if award.title in group]
            if len(earned) < 2:
                continue
            paid = max(earned, key=lambda award: (award.bonus_vnd, -group.index(award.title)))
            for award in earned:
                if award is paid:
                    continue
                award.bonus_vnd = 0
                award.multiplier_source = (
                    f"{award.multiplier_source}; không nhận tiền thưởng: cùng thời điểm, cùng "
                    f"thành tích với danh hiệu {title_name(paid.title)}, chỉ nhận mức thưởng cao "
                    f"nhất ({principle.citation})"
                )


def _principle(rule_set_id: str) -> SeveralTitlesBonus | None:
    try:
        return rule_set(rule_set_id).consistency.bonus
    except UnknownRuleSet:
        return None
