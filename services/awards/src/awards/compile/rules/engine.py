"""A compilation's nominations and refusals from a rule set and the facts: every rule in the
file's order over every registered member or unit, the cap with its tie-breaks, each
initiative used as grounds once.

The facts may come a part of the campaign at a time (`Compiler`), a part being whole units
such that no member code or initiative is shared with another part: a rule reads only its
subject's own facts, its unit's members and the titles earlier rules gave them, so a part
compiles alone. Only a cap over the whole campaign reads every part; the parts are then gone
over once more per such cap to tally it (`survey`, `settle`) before they are compiled.

A condition's Vietnamese line is built only where it is written: for every candidate, and
for a subject that fails only when it registered for the title (or one above it); a survey
builds none.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from awards.compile.rules.caps import Tally, apply_cap, holders, priority
from awards.compile.rules.conditions import evaluator, title_name
from awards.compile.rules.consistency import settle_consistency
from awards.compile.rules.drafts import NominationDraft, RefusalDraft
from awards.compile.rules.facts import (
    PERSON,
    UNIT,
    CampaignFacts,
    HistoryFacts,
    MemberFacts,
)
from awards.compile.rules.ruleset import Condition, Rule, RuleSet
from awards.compile.rules.verdicts import Context, Evaluator, Grounds, Subject


@dataclass(frozen=True, slots=True)
class Compiled:
    nominations: list[NominationDraft]
    refusals: list[RefusalDraft]


@dataclass(slots=True)
class _Candidate:
    subject: Subject
    facts: list[str]
    consumes: list[Grounds]


class Compiler:
    """One compilation over the campaign's parts. While `unsettled` names a rule, every part
    goes through `survey` and then `settle` is called; after that, `compile` each part."""

    def __init__(self, rule_set: RuleSet) -> None:
        self._rule_set = rule_set
        self._tallies = {
            rule.id: Tally()
            for rule in rule_set.rules
            if rule.cap is not None and rule.cap.scope == "campaign"
        }

    @property
    def unsettled(self) -> Rule | None:
        """The first rule whose cap over the campaign still needs every part's tally."""
        for rule in self._rule_set.rules:
            tally = self._tallies.get(rule.id)
            if tally is not None and not tally.settled:
                return rule
        return None

    def survey(self, campaign: CampaignFacts, history: HistoryFacts) -> None:
        """Adds a part's candidates and holders to the tally of the unsettled rule."""
        _run(self._rule_set, self._tallies, campaign, history, survey=True)

    def settle(self) -> None:
        rule = self.unsettled
        assert rule is not None, "a cap waits for its tally"
        self._tallies[rule.id].settle()

    def compile(self, campaign: CampaignFacts, history: HistoryFacts) -> Compiled:
        assert self.unsettled is None, "every cap over the campaign is settled"
        compiled = _run(self._rule_set, self._tallies, campaign, history, survey=False)
        compiled.refusals.extend(_without_rule(self._rule_set, campaign))
        return compiled


def compile_nominations(
    rule_set: RuleSet, campaign: CampaignFacts, history: HistoryFacts
) -> Compiled:
    """The whole campaign at once."""
    compiler = Compiler(rule_set)
    while compiler.unsettled is not None:
        compiler.survey(campaign, history)
        compiler.settle()
    return compiler.compile(campaign, history)


def _run(
    rule_set: RuleSet,
    tallies: dict[str, Tally],
    campaign: CampaignFacts,
    history: HistoryFacts,
    *,
    survey: bool,
) -> Compiled:
    """Every rule over a part in the file's order; surveying, only up to the first unsettled
    cap, whose tally it feeds, and without drafting what it decides."""
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
        aiming = _titles_aiming_at(rule_set, rule)
        candidates: list[_Candidate] = []
        for subject in subjects:
            # Explained where it is written: a refusal only to those registered for the title
            # (or one above it), and every candidate, nominated or beyond the cap.
            told = not survey and _aimed(subject) in aiming
            candidate, failed = _try(checks, subject, context, told)
            if candidate is not None:
                if not survey and not told:
                    candidate, _ = _try(checks, subject, context, True)
                    assert candidate is not None, "an evaluation explained decides the same"
                candidates.append(candidate)
            elif told:
                refusals.append(_refusal(rule, subject, failed))
        tally = tallies.get(rule.id)
        if survey and tally is not None and not tally.settled:
            assert rule.cap is not None
            tally.holders += holders(rule, rule.cap, context)[""]
            key = priority(rule, rule_set, context)
            tally.add(key(c.subject) for c in candidates)
            break
        if rule.cap is not None:
            capped = apply_cap(rule, rule_set, candidates, _subject, context, tally)
            for candidate, line in capped.accepted:
                candidate.facts.append(line)
            candidates = [candidate for candidate, _ in capped.accepted]
            if not survey:
                # Everyone the cap leaves out is told their place, registered or not.
                refusals.extend(
                    _refusal(rule, c.subject, (c.facts, line)) for c, line in capped.refused
                )
        for candidate in candidates:
            _grant(rule, candidate, context)
            if not survey:
                nominations.append(_award(rule, rule_set, candidate, context))
    if survey:
        return Compiled(nominations, refusals)
    kept, withdrawn = settle_consistency(rule_set, nominations, campaign.year)
    return Compiled(kept, refusals + withdrawn)


def _subject(candidate: _Candidate) -> Subject:
    return candidate.subject


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
    checks: list[tuple[Evaluator, Condition]], subject: Subject, context: Context, explain: bool
) -> tuple[_Candidate | None, tuple[list[str], str]]:
    """The candidate, or the lines passed and the one that failed (empty unless `explain`)."""
    facts: list[str] = []
    consumes: list[Grounds] = []
    for check, condition in checks:
        verdict = check(condition, subject, context, explain)
        if not verdict.passed:
            return None, (facts, verdict.line)
        facts.append(verdict.line)
        consumes.extend(verdict.consumes)
    return _Candidate(subject, facts, consumes), (facts, "")


def _kind_and_code(subject: Subject) -> tuple[str, str]:
    if isinstance(subject, MemberFacts):
        return PERSON, subject.staff_code
    return UNIT, subject.unit_code


def _aimed(subject: Subject) -> str | None:
    return subject.title_aimed if isinstance(subject, MemberFacts) else subject.collective_title


def _titles_aiming_at(rule_set: RuleSet, rule: Rule) -> frozenset[str]:
    """The titles whose registrants aim at the rule's title: it, and those above it."""
    ladder = rule_set.consistency.ladders.get(rule.subject, [])
    return frozenset(
        title
        for title in {rule.title, *ladder}
        if rule_set.consistency.aims_at(rule.subject, title, rule.title)
    )


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


def _grant(rule: Rule, candidate: _Candidate, context: Context) -> None:
    """What later rules read of an award: the title held, the initiatives used."""
    kind, code = _kind_and_code(candidate.subject)
    context.awarded.setdefault((kind, code), set()).add(rule.title)
    if candidate.consumes:
        name = _names(candidate.subject)[0]
        grounds = f"danh hiệu {title_name(rule.title)} năm {context.year} của {name} ({code})"
        for initiative in candidate.consumes:
            context.used_initiatives[initiative.identifier] = grounds


def _award(
    rule: Rule, rule_set: RuleSet, candidate: _Candidate, context: Context
) -> NominationDraft:
    kind, code = _kind_and_code(candidate.subject)
    name, unit_code = _names(candidate.subject)
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
