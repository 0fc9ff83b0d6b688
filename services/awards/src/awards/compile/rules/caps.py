"""A rule's cap: at most a share of the subjects holding another title, chosen in order of
priority. A cap over the whole campaign ranks candidates from every unit, so a compilation
that reads the campaign a part at a time first tallies each part's candidates (their places
in the order, not their facts) and the title's holders, then ranks each part against the
tally."""

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from awards.compile.rules.conditions import percent_text, title_name
from awards.compile.rules.facts import FEMALE, PERSON, UNIT, MemberFacts, UnitFacts
from awards.compile.rules.ruleset import Cap, Rule, RuleSet
from awards.compile.rules.verdicts import Context, Subject
from thidua_shared.contracts.vocabulary import RATING_RANK

# Registered for the title first, then the better rating, then the tie-breaks, then the code:
# a string ordered as that order is, one character for each of the first three, then the code.
# A tally keeps one for every candidate of the campaign, and a string takes half the memory of
# a tuple holding the same.
PriorityKey = str
# The rating's character: the better the rating, the lower it sorts (no rating: last).
_BEST_RANK = max(RATING_RANK.values())
_RATING_CHARACTER = {r: chr(ord("A") + _BEST_RANK - rank) for r, rank in RATING_RANK.items()}
_NO_RATING_CHARACTER = chr(ord("A") + _BEST_RANK + 1)
Candidate = TypeVar("Candidate")


# Between the keys of a part held together: no code holds it (PostgreSQL text cannot).
_SEPARATOR = "\x00"


@dataclass(slots=True)
class Tally:
    """Every candidate's priority key and the holders of the title the cap is relative to,
    gathered over the campaign's parts; `settle` sorts the keys once all are in."""

    holders: int = 0
    keys: list[PriorityKey] = field(default_factory=list)
    settled: bool = False
    # Each part's keys as one string until settled. Thousands of small strings kept from each
    # part would sit among the part's own objects, each keeping its memory page from being
    # freed when the part is: the process would grow with every part surveyed.
    parts: list[str] = field(default_factory=list)

    def add(self, keys: Iterable[PriorityKey]) -> None:
        if joined := _SEPARATOR.join(keys):
            self.parts.append(joined)

    def settle(self) -> None:
        self.keys = sorted(key for part in self.parts for key in part.split(_SEPARATOR))
        self.parts = []
        self.settled = True

    def ranks(self, ordered: list[PriorityKey]) -> list[int]:
        """The campaign-wide ranks of a part's candidates, given in priority order. A subject
        listed twice (one code in two units) has equal keys, ranked one after the other as a
        stable sort over the whole campaign would."""
        found = []
        for i, key in enumerate(ordered):
            ties = 0
            while i - ties > 0 and ordered[i - ties - 1] == key:
                ties += 1
            found.append(bisect_left(self.keys, key) + 1 + ties)
        return found


@dataclass(frozen=True, slots=True)
class CapOutcome(Generic[Candidate]):
    accepted: list[tuple[Candidate, str]]
    refused: list[tuple[Candidate, str]]


def scope_of(cap: Cap, code: str, context: Context) -> str:
    if cap.scope == "campaign":
        return ""
    member = context.members.get(code)
    return member.unit_code if member is not None else code


def holders(rule: Rule, cap: Cap, context: Context) -> Counter[str]:
    kind = PERSON if rule.subject == PERSON else UNIT
    return Counter(
        scope_of(cap, code, context)
        for (subject_kind, code), titles in context.awarded.items()
        if subject_kind == kind and cap.relative_to in titles
    )


def apply_cap(
    rule: Rule,
    rule_set: RuleSet,
    candidates: Iterable[Candidate],
    subject: Callable[[Candidate], Subject],
    context: Context,
    tally: Tally | None,
) -> CapOutcome[Candidate]:
    """The candidates within the cap and those beyond it, each with its line: ranked among
    themselves, or against the campaign's settled tally when one is given."""
    cap = rule.cap
    assert cap is not None
    kind = PERSON if rule.subject == PERSON else UNIT
    held = holders(rule, cap, context) if tally is None else Counter({"": tally.holders})
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        code = _code(subject(candidate))
        groups.setdefault(scope_of(cap, code, context), []).append(candidate)
    order = priority(rule, rule_set, context)
    accepted: list[tuple[Candidate, str]] = []
    refused: list[tuple[Candidate, str]] = []
    source = cap.source_note + (" (chưa kiểm chứng)" if cap.unverified else "")
    for scope, group in groups.items():
        keyed = sorted(((order(subject(c)), c) for c in group), key=lambda pair: pair[0])
        if tally is None:
            ranks, total = list(range(1, len(keyed) + 1)), len(keyed)
        else:
            ranks, total = tally.ranks([key for key, _ in keyed]), len(tally.keys)
        limit = math.floor(held[scope] * cap.percent / 100)
        quota = (
            f"tỷ lệ tối đa {percent_text(cap.percent)} % của {held[scope]} trường hợp đạt "
            f"danh hiệu {title_name(cap.relative_to)} năm {context.year}; {total} trường hợp "
            "đủ tiêu chuẩn, thứ tự ưu tiên: "
            f"{_priority_words(rule_set, kind)}. {source}"
        )
        for rank, (_, candidate) in zip(ranks, keyed, strict=True):
            if rank <= limit:
                accepted.append((candidate, f"Xếp thứ {rank} trên {limit} suất, trong {quota}"))
            else:
                refused.append(
                    (candidate, f"Xếp thứ {rank} trên {limit} suất, ngoài số suất theo {quota}")
                )
    return CapOutcome(accepted, refused)


def _code(subject: Subject) -> str:
    return subject.staff_code if isinstance(subject, MemberFacts) else subject.unit_code


def _priority_words(rule_set: RuleSet, kind: str) -> str:
    words = ["đăng ký danh hiệu này hoặc danh hiệu cao hơn", "xếp loại cao hơn"]
    if kind == PERSON and rule_set.tie_breaks.women_first:
        words.append("nữ")
    threshold = rule_set.tie_breaks.units_with_women_percent_at_least
    if kind == UNIT and threshold is not None:
        words.append(f"tập thể có từ {percent_text(threshold)} % nữ")
    return ", ".join(words)


def priority(rule: Rule, rule_set: RuleSet, context: Context) -> Callable[[Subject], PriorityKey]:
    """Registered for the title first, then the better rating, then the tie-breaks."""
    ties = rule_set.tie_breaks
    aims_at = rule_set.consistency.aims_at

    def key(subject: Subject) -> PriorityKey:
        if isinstance(subject, MemberFacts):
            # Aiming higher (CSTĐ cấp tỉnh) counts as registering for the title below it.
            registered = aims_at(rule.subject, subject.title_aimed, rule.title)
            favoured = ties.women_first and subject.gender == FEMALE
            rating, code = subject.task_rating, subject.staff_code
        else:
            registered = aims_at(rule.subject, subject.collective_title, rule.title)
            threshold = ties.units_with_women_percent_at_least
            favoured = threshold is not None and _women_percent(subject, context) >= threshold
            rating, code = subject.rating, subject.unit_code
        rank = _RATING_CHARACTER.get(rating or "", _NO_RATING_CHARACTER)
        return f"{'1' if registered else '2'}{rank}{'1' if favoured else '2'}{code}"

    return key


def _women_percent(unit: UnitFacts, context: Context) -> float:
    if not unit.member_codes:
        return 0.0
    members = [context.members[c] for c in unit.member_codes if c in context.members]
    return 100 * sum(1 for m in members if m.gender == FEMALE) / len(unit.member_codes)
