"""What holds across a year's titles once every rule has run, per the rule set's consistency
section: a holder of the higher title keeps or loses the lower one as the regime says, and an
achievement grounds one form only. What is withdrawn becomes a refusal naming the title kept
and the citation, with the facts the withdrawn nomination had passed."""

from collections.abc import Iterable

from awards.compile.rules.conditions import title_name
from awards.compile.rules.drafts import NominationDraft, RefusalDraft
from awards.compile.rules.ruleset import Consistency, RuleSet

Subject = tuple[str, str]


def settle_consistency(
    rule_set: RuleSet, nominations: Iterable[NominationDraft], year: int
) -> tuple[list[NominationDraft], list[RefusalDraft]]:
    """The nominations kept, and a refusal for each one withdrawn."""
    drafted = list(nominations)
    held: dict[Subject, set[str]] = {}
    for nomination in drafted:
        held.setdefault(_subject(nomination), set()).add(nomination.title)
    reasons = _withdrawals(rule_set.consistency, held, year)
    kept, refused = [], []
    for nomination in drafted:
        found = reasons.get((*_subject(nomination), nomination.title))
        if found is None:
            kept.append(nomination)
            continue
        reason, citation = found
        refused.append(
            RefusalDraft(
                subject_kind=nomination.subject_kind,
                subject_code=nomination.subject_code,
                subject_name=nomination.subject_name,
                unit_code=nomination.unit_code,
                title=nomination.title,
                rule_id=nomination.rule_id,
                citation=citation,
                failed_condition=reason,
                facts=nomination.facts,
            )
        )
    return kept, refused


def _subject(nomination: NominationDraft) -> Subject:
    return nomination.subject_kind, nomination.subject_code


def _withdrawals(
    consistency: Consistency, held: dict[Subject, set[str]], year: int
) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(kind, code, title) withdrawn -> (the reason in Vietnamese, its citation)."""
    withdrawn: dict[tuple[str, str, str], tuple[str, str]] = {}
    for (kind, code), titles in held.items():
        for entry in consistency.lower_titles:
            if entry.also_receives or entry.subject != kind:
                continue
            if entry.higher in titles and entry.lower in titles:
                reason = (
                    f"Đạt danh hiệu {title_name(entry.higher)} năm {year}, danh hiệu cao hơn; "
                    f"không đồng thời công nhận danh hiệu {title_name(entry.lower)} "
                    f"({entry.citation})"
                )
                withdrawn[(kind, code, entry.lower)] = (reason, entry.citation)
        for group in consistency.one_form:
            earned = [title for title in group.titles if title in titles]
            for title in earned[1:]:
                reason = (
                    f"Cùng thành tích ({group.achievement}) đã được đề nghị "
                    f"{title_name(earned[0])}; không khen thưởng nhiều hình thức cho một thành "
                    f"tích ({group.citation})"
                )
                withdrawn[(kind, code, title)] = (reason, group.citation)
    return withdrawn
