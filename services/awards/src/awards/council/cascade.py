"""The council's refusal carries through: a nomination whose rule, in the campaign's rule set,
reads a title of the same year that the council refused is refused as well, citing the vote.

A person's rule reads the person's own titles (Lao động tiên tiến for CSTĐCS; the chain of
CSTĐCS years for the provincial CSTĐ and the bằng khen); a unit's rule reads how many of its
members hold a title, counted again without those the council refused."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from awards.compile.rules.conditions import COMPARISON_WORDS, compare, percent_text, title_name
from awards.compile.rules.ruleset import (
    AtLeastNMembersWithTitle,
    ConsecutiveYearsWithTitle,
    HoldsTitleThisYear,
    Rule,
    RuleSet,
    ShareOfMembersWithTitle,
    flatten,
)
from thidua_shared.contracts.vocabulary import SubjectKind

Key = tuple[str, str, str]


class Vote(Protocol):
    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    votes_for: int
    votes_against: int
    members_present: int
    threshold: str
    approved: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Holder:
    """A member the compiled list gives a title."""

    staff_code: str
    unit_code: str
    title: str


def carry_refusals(
    votes: Sequence[Vote],
    rules: RuleSet,
    holders: Iterable[Holder],
    unit_sizes: Mapping[str, int],
    held_on: str,
) -> list[Vote]:
    """Refuses, in place, every approved vote whose rule reads a title refused for the same
    subject (or a unit whose members' count falls short once refusals are taken out); the
    votes it changed."""
    by_key: dict[Key, Vote] = {(v.subject_kind, v.subject_code, v.title): v for v in votes}
    # The council's own vote behind each refusal, in words; a carried one names the same vote.
    causes = {key: _vote_words(vote, held_on) for key, vote in by_key.items() if not vote.approved}
    compiled = list(holders)
    changed: list[Vote] = []
    while True:
        found = False
        for key, vote in by_key.items():
            if not vote.approved:
                continue
            rule = _rule_for(rules, vote.subject_kind, vote.title)
            if rule is None:
                continue
            broken = _broken_by(vote, rule, causes, compiled, unit_sizes)
            if broken:
                reason, cause = broken
                vote.approved, vote.reason = False, reason
                causes[key] = cause
                changed.append(vote)
                found = True
        if not found:
            return changed


def _rule_for(rules: RuleSet, kind: str, title: str) -> Rule | None:
    return next((r for r in rules.rules if r.subject == kind and r.title == title), None)


def _vote_words(vote: Vote, held_on: str) -> str:
    return (
        f"Hội đồng thi đua – khen thưởng không thông qua danh hiệu {title_name(vote.title)} của "
        f"{vote.subject_name} ({vote.subject_code}) tại phiên họp ngày {held_on}: "
        f"{vote.votes_for}/{vote.members_present} thành viên có mặt tán thành, "
        f"{vote.votes_against} không tán thành (ngưỡng {vote.threshold})"
    )


def _broken_by(
    vote: Vote,
    rule: Rule,
    causes: Mapping[Key, str],
    holders: list[Holder],
    unit_sizes: Mapping[str, int],
) -> tuple[str, str] | None:
    """Why the vote falls with a refusal (its reason, and the council's vote behind it)."""
    refused = set(causes)
    for condition in flatten(rule.conditions):
        if isinstance(condition, HoldsTitleThisYear | ConsecutiveYearsWithTitle):
            key = (vote.subject_kind, vote.subject_code, condition.title)
            if key in causes:
                reason = (
                    f"{causes[key]}; danh hiệu {title_name(vote.title)} đòi hỏi danh hiệu "
                    f"{title_name(condition.title)} năm nay ({rule.citation})"
                )
                return reason, causes[key]
        if vote.subject_kind == SubjectKind.UNIT and isinstance(
            condition, ShareOfMembersWithTitle | AtLeastNMembersWithTitle
        ):
            line = _members_short(vote, condition, refused, holders, unit_sizes)
            if line:
                return f"{line} ({rule.citation})", line
    return None


def _members_short(
    vote: Vote,
    condition: ShareOfMembersWithTitle | AtLeastNMembersWithTitle,
    refused: set[Key],
    holders: list[Holder],
    unit_sizes: Mapping[str, int],
) -> str:
    """The count again without the members the council refused, when it no longer passes."""
    title = condition.title
    members = [h for h in holders if h.unit_code == vote.subject_code and h.title == title]
    taken_out = [
        h for h in members if (SubjectKind.PERSON, h.staff_code, condition.title) in refused
    ]
    if not taken_out:
        return ""
    count = len(members) - len(taken_out)
    total = unit_sizes.get(vote.subject_code, 0)
    name = title_name(condition.title)
    named = ", ".join(h.staff_code for h in taken_out)
    if isinstance(condition, AtLeastNMembersWithTitle):
        if count >= condition.n:
            return ""
        return (
            f"Sau khi Hội đồng không thông qua danh hiệu {name} của {named}, đơn vị còn {count} "
            f"thành viên đạt danh hiệu {name} (yêu cầu ít nhất {condition.n})"
        )
    if total and compare(count, total, condition.op, condition.percent):
        return ""
    share = percent_text(Fraction(count, total) * 100) if total else "0"
    return (
        f"Sau khi Hội đồng không thông qua danh hiệu {name} của {named}, đơn vị còn "
        f"{count}/{total} thành viên ({share} %) đạt danh hiệu {name} (yêu cầu "
        f"{COMPARISON_WORDS[condition.op]} {percent_text(condition.percent)} %)"
    )
