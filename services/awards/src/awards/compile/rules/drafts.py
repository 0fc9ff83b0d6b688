"""What a compilation drafts: the nominations, and the refusals with the condition that failed."""

from dataclasses import dataclass


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
