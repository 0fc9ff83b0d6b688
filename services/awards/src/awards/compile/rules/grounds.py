"""The conditions on an award's grounds: recognised initiatives and accepted research at a
level, not yet grounding another award. The award that passes uses them up (`consumes`)."""

from collections.abc import Iterable
from typing import TypeVar

from awards.compile.rules.facts import InitiativeFact, MemberFacts, ResearchFact
from awards.compile.rules.ruleset import InitiativeAtLevel, ResearchAtLevel
from awards.compile.rules.verdicts import FAILED, Context, Subject, Verdict
from thidua_shared.contracts.vocabulary import INITIATIVE_LEVELS, LEVEL_RANK

Ground = TypeVar("Ground", InitiativeFact, ResearchFact)


def _at_level(
    grounds: Iterable[Ground], level: str, context: Context
) -> tuple[list[Ground], list[Ground]]:
    """Those recognised at the level or above, and of them the ones not yet grounding an award,
    the lowest level first, so the higher ones stay for higher titles."""
    eligible = [g for g in grounds if LEVEL_RANK.get(g.level, 0) >= LEVEL_RANK[level]]
    free = [g for g in eligible if g.identifier not in context.used_initiatives]
    free.sort(key=lambda g: (LEVEL_RANK.get(g.level, 0), g.identifier))
    return eligible, free


def initiative_at_level(
    condition: InitiativeAtLevel, subject: Subject, context: Context, explain: bool
) -> Verdict:
    assert isinstance(subject, MemberFacts)
    if not subject.initiatives and not explain:
        return FAILED
    eligible, free = _at_level(subject.initiatives, condition.level, context)
    if len(free) >= condition.count:
        chosen = tuple(free[: condition.count])
        if not explain:
            return Verdict(True, "", chosen)
        described = "; ".join(
            f"Sáng kiến {i.identifier} \u201c{i.title}\u201d được công nhận "
            f"{INITIATIVE_LEVELS.get(i.level, i.level).lower()} năm {i.year}"
            for i in chosen
        )
        return Verdict(True, described, chosen)
    if not explain:
        return FAILED
    level_name = INITIATIVE_LEVELS[condition.level].lower()
    used = [
        f"{i.identifier} đã làm căn cứ cho {context.used_initiatives[i.identifier]}"
        for i in eligible
        if i.identifier in context.used_initiatives
    ]
    line = (
        f"Không có đủ {condition.count} sáng kiến được công nhận từ {level_name} trở lên "
        "chưa dùng làm căn cứ khen thưởng"
    )
    if used:
        line += (
            f" (sáng kiến {'; '.join(used)}; mỗi sáng kiến chỉ làm căn cứ cho một lần khen thưởng)"
        )
    return Verdict(False, line)


def research_at_level(
    condition: ResearchAtLevel, subject: Subject, context: Context, explain: bool
) -> Verdict:
    assert isinstance(subject, MemberFacts)
    if not subject.research and not explain:
        return FAILED
    eligible, free = _at_level(subject.research, condition.level, context)
    if len(free) >= condition.count:
        chosen = tuple(free[: condition.count])
        if not explain:
            return Verdict(True, "", chosen)
        described = "; ".join(
            f"Đề tài khoa học {r.identifier} \u201c{r.title}\u201d được nghiệm thu "
            f"{INITIATIVE_LEVELS.get(r.level, r.level).lower()}"
            + (f" ngày {r.accepted_on:%d/%m/%Y}" if r.accepted_on else f" năm {r.year}")
            for r in chosen
        )
        return Verdict(True, described, chosen)
    if not explain:
        return FAILED
    level_name = INITIATIVE_LEVELS[condition.level].lower()
    line = (
        f"Không có đủ {condition.count} đề tài khoa học được nghiệm thu từ {level_name} trở "
        "lên chưa dùng làm căn cứ khen thưởng"
    )
    used = [r.identifier for r in eligible if r.identifier in context.used_initiatives]
    if used:
        line += f" (đề tài {', '.join(used)} đã làm căn cứ cho lần khen thưởng khác)"
    return Verdict(False, line)
