"""A compilation's nominations and refusals from a rule set and the facts, in memory: every
rule in the file's order over every registered member or unit, the cap with its tie-breaks,
each initiative used as grounds once."""

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from awards.conditions import (
    RATING_RANK,
    Context,
    Evaluator,
    Subject,
    evaluator,
    percent_text,
    title_name,
)
from awards.facts import (
    FEMALE,
    PERSON,
    UNIT,
    CampaignFacts,
    HistoryFacts,
    InitiativeFact,
    MemberFacts,
    UnitFacts,
)
from awards.ruleset import Cap, Condition, Rule, RuleSet


@dataclass(frozen=True, slots=True)
class NominationDraft:
    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    rule_id: str
    citation: str
    multiplier: float | None
    facts: tuple[str, ...]
    initiative_identifiers: tuple[str, ...]
    basis: str

    @property
    def key(self) -> str:
        return f"{self.subject_kind}:{self.subject_code}:{self.title}"


@dataclass(frozen=True, slots=True)
class RefusalDraft:
    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    rule_id: str
    citation: str
    failed_condition: str
    # The conditions it did pass before the one that failed.
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Compiled:
    nominations: list[NominationDraft]
    refusals: list[RefusalDraft]


@dataclass(slots=True)
class _Candidate:
    subject: Subject
    facts: list[str]
    consumes: list[InitiativeFact]


def compile_nominations(
    rule_set: RuleSet, campaign: CampaignFacts, history: HistoryFacts
) -> Compiled:
    context = Context(
        year=campaign.year,
        phases_total=campaign.phases_total,
        members={m.staff_code: m for m in campaign.members},
        history=history,
        used_initiatives=dict(history.used_initiatives),
    )
    nominations: list[NominationDraft] = []
    refusals: list[RefusalDraft] = []
    for rule in rule_set.rules:
        subjects: Sequence[Subject] = campaign.members if rule.subject == PERSON else campaign.units
        checks = [(evaluator(condition), condition) for condition in rule.conditions]
        candidates: list[_Candidate] = []
        for subject in subjects:
            candidate, failed = _try(checks, subject, context)
            if candidate is not None:
                candidates.append(candidate)
            elif _registered_for(subject, rule.title):
                refusals.append(_refusal(rule, subject, failed))
        if rule.cap is not None:
            candidates, capped = _apply_cap(rule, rule.cap, rule_set, candidates, context)
            refusals.extend(
                _refusal(rule, c.subject, (c.facts, line))
                for c, line in capped
                if _registered_for(c.subject, rule.title)
            )
        for candidate in candidates:
            nominations.append(_award(rule, rule_set, candidate, context))
    refusals.extend(_without_rule(rule_set, campaign))
    return Compiled(nominations, refusals)


def _without_rule(rule_set: RuleSet, campaign: CampaignFacts) -> list[RefusalDraft]:
    """Registered titles no rule of the set compiles (the cluster's flag, Giấy khen, ...):
    they are proposed by another path, and the registrant is told so."""
    compiled = {(rule.subject, rule.title) for rule in rule_set.rules}
    subjects: list[tuple[Subject, str | None]] = [
        *((m, m.title_aimed) for m in campaign.members),
        *((u, u.collective_title) for u in campaign.units),
    ]
    refusals = []
    for subject, title in subjects:
        kind, code = _kind_and_code(subject)
        if title is None or (kind, title) in compiled:
            continue
        name, unit_code = _names(subject)
        reason = (
            f"Danh hiệu {title_name(title)} không được xét theo tiêu chuẩn tự động của "
            f"{rule_set.name}; đề nghị qua bình xét của cụm thi đua hoặc Hội đồng thi đua – "
            "khen thưởng"
        )
        refusals.append(
            RefusalDraft(kind, code, name, unit_code, title, "", rule_set.name, reason, ())
        )
    return refusals


def _try(
    checks: list[tuple[Evaluator, Condition]], subject: Subject, context: Context
) -> tuple[_Candidate | None, tuple[list[str], str]]:
    facts: list[str] = []
    consumes: list[InitiativeFact] = []
    for check, condition in checks:
        verdict = check(condition, subject, context)
        if not verdict.passed:
            return None, (facts, verdict.line)
        facts.append(verdict.line)
        consumes.extend(verdict.consumes)
    return _Candidate(subject, facts, consumes), (facts, "")


def _kind_and_code(subject: Subject) -> tuple[str, str]:
    if isinstance(subject, MemberFacts):
        return PERSON, subject.staff_code
    return UNIT, subject.unit_code


def _registered_for(subject: Subject, title: str) -> bool:
    if isinstance(subject, MemberFacts):
        return subject.title_aimed == title
    return subject.collective_title == title


def _names(subject: Subject) -> tuple[str, str]:
    if isinstance(subject, MemberFacts):
        return subject.full_name, subject.unit_code
    return subject.unit_name, subject.unit_code


def _refusal(rule: Rule, subject: Subject, failed: tuple[list[str], str]) -> RefusalDraft:
    kind, code = _kind_and_code(subject)
    name, unit_code = _names(subject)
    passed, line = failed
    return RefusalDraft(
        kind, code, name, unit_code, rule.title, rule.id, rule.citation, line, tuple(passed)
    )


def _award(
    rule: Rule, rule_set: RuleSet, candidate: _Candidate, context: Context
) -> NominationDraft:
    kind, code = _kind_and_code(candidate.subject)
    name, unit_code = _names(candidate.subject)
    context.awarded.setdefault((kind, code), set()).add(rule.title)
    if candidate.consumes:
        grounds = f"danh hiệu {title_name(rule.title)} năm {context.year} của {name} ({code})"
        for initiative in candidate.consumes:
            context.used_initiatives[initiative.identifier] = grounds
    basis = f"{rule.citation} ({rule_set.name}): " + "; ".join(candidate.facts) + "."
    return NominationDraft(
        subject_kind=kind,
        subject_code=code,
        subject_name=name,
        unit_code=unit_code,
        title=rule.title,
        rule_id=rule.id,
        citation=rule.citation,
        multiplier=rule.multiplier,
        facts=tuple(candidate.facts),
        initiative_identifiers=tuple(i.identifier for i in candidate.consumes),
        basis=basis,
    )


def _apply_cap(
    rule: Rule, cap: Cap, rule_set: RuleSet, candidates: list[_Candidate], context: Context
) -> tuple[list[_Candidate], list[tuple[_Candidate, str]]]:
    """The candidates within the cap, and those beyond it with the reason."""
    kind = PERSON if rule.subject == PERSON else UNIT
    holders = Counter(
        _scope(cap, code, context)
        for (subject_kind, code), titles in context.awarded.items()
        if subject_kind == kind and cap.relative_to in titles
    )
    groups: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        code = _kind_and_code(candidate.subject)[1]
        groups.setdefault(_scope(cap, code, context), []).append(candidate)
    order = _priority(rule, rule_set, context)
    accepted: list[_Candidate] = []
    refused: list[tuple[_Candidate, str]] = []
    source = cap.source_note + (" (chưa kiểm chứng)" if cap.unverified else "")
    for scope, group in groups.items():
        group.sort(key=order)
        limit = math.floor(holders[scope] * cap.percent / 100)
        quota = (
            f"tỷ lệ tối đa {percent_text(cap.percent)} % số đạt danh hiệu "
            f"{title_name(cap.relative_to)} năm {context.year}: {limit} suất trên "
            f"{holders[scope]}, {len(group)} trường hợp đủ tiêu chuẩn, thứ tự ưu tiên: "
            f"{_priority_words(rule_set, kind)}. {source}"
        )
        for rank, candidate in enumerate(group, start=1):
            if rank <= limit:
                candidate.facts.append(f"Xếp thứ {rank}, trong {quota}")
                accepted.append(candidate)
            else:
                refused.append((candidate, f"Xếp thứ {rank}, vượt {quota}"))
    return accepted, refused


def _scope(cap: Cap, code: str, context: Context) -> str:
    if cap.scope == "campaign":
        return ""
    member = context.members.get(code)
    return member.unit_code if member is not None else code


def _priority_words(rule_set: RuleSet, kind: str) -> str:
    words = ["đăng ký danh hiệu", "xếp loại cao hơn"]
    if kind == PERSON and rule_set.tie_breaks.women_first:
        words.append("nữ")
    threshold = rule_set.tie_breaks.units_with_women_percent_at_least
    if kind == UNIT and threshold is not None:
        words.append(f"tập thể có từ {percent_text(threshold)} % nữ")
    return ", ".join(words)


def _priority(
    rule: Rule, rule_set: RuleSet, context: Context
) -> Callable[[_Candidate], tuple[bool, int, bool, str]]:
    """Registered for the title first, then the better rating, then the tie-breaks."""
    ties = rule_set.tie_breaks

    def key(candidate: _Candidate) -> tuple[bool, int, bool, str]:
        subject = candidate.subject
        registered = _registered_for(subject, rule.title)
        if isinstance(subject, MemberFacts):
            favoured = ties.women_first and subject.gender == FEMALE
            rating, code = subject.task_rating, subject.staff_code
        else:
            threshold = ties.units_with_women_percent_at_least
            favoured = threshold is not None and _women_percent(subject, context) >= threshold
            rating, code = subject.rating, subject.unit_code
        return (not registered, -RATING_RANK.get(rating or "", -1), not favoured, code)

    return key


def _women_percent(unit: UnitFacts, context: Context) -> float:
    if not unit.member_codes:
        return 0.0
    members = [context.members[c] for c in unit.member_codes if c in context.members]
    return 100 * sum(1 for m in members if m.gender == FEMALE) / len(unit.member_codes)
