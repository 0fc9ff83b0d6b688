"""The plain facts a compilation reads, gathered from the read model and the award history.
The rule evaluation works on these alone, so it runs without a database."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from thidua_shared.contracts.vocabulary import Gender, SubjectKind

PERSON = SubjectKind.PERSON
UNIT = SubjectKind.UNIT
FEMALE = Gender.FEMALE


@dataclass(frozen=True, slots=True)
class InitiativeFact:
    identifier: str
    title: str
    level: str
    year: int


@dataclass(frozen=True, slots=True)
class ResearchFact:
    """Accepted research (đề tài khoa học đã nghiệm thu): grounds one award, as an initiative."""

    identifier: str
    title: str
    level: str
    year: int
    accepted_on: date | None = None


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """A registered member and the evaluation of the latest report that lists them."""

    staff_code: str
    full_name: str
    unit_code: str
    gender: str | None = None
    title_aimed: str | None = None
    task_rating: str | None = None
    # "tổng kết" or "sơ kết đợt 2": where the evaluation was read.
    evaluated_in: str = ""
    discipline: str = "none"
    under_investigation: bool = False
    initiatives: tuple[InitiativeFact, ...] = ()
    research: tuple[ResearchFact, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitFacts:
    unit_code: str
    unit_name: str
    collective_title: str | None = None
    # The unit's self-assessment in its latest approved report.
    rating: str | None = None
    # {phase number: report id} of its approved reports.
    approved_reports: Mapping[int, str] = field(default_factory=dict)
    member_codes: tuple[str, ...] = ()
    # The office's own rating of that report at the final review, when it gave one.
    office_rating: str | None = None


@dataclass(frozen=True, slots=True)
class CampaignFacts:
    year: int
    phases_total: int
    units: Sequence[UnitFacts]
    members: Sequence[MemberFacts]


@dataclass(frozen=True, slots=True)
class HistoryFacts:
    """Years each subject held each title, and the initiatives that already grounded an award."""

    # (subject kind, subject code, title) -> years held, revoked entries left out.
    years_held: Mapping[tuple[str, str, str], frozenset[int]] = field(default_factory=dict)
    # identifier -> the award it grounded, in words.
    used_initiatives: Mapping[str, str] = field(default_factory=dict)
