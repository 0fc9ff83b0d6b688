"""The typed rule set: rules, their conditions and caps, validated as they are read. The files
that hold them are read outside this package (`awards.compile.ruleset_files`)."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from thidua_shared.contracts.vocabulary import (
    DISCIPLINES,
    INITIATIVE_LEVELS,
    PERSON_TITLES,
    TASK_RATINGS,
    TITLES,
    UNIT_TITLES,
    SubjectKind,
)

Subject = SubjectKind
Comparison = Literal["gt", "ge", "eq"]


class _Condition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unverified: bool = Field(default=False, description="The research could not verify it.")
    note: str = ""


def _known(value: str, codes: dict[str, str], what: str) -> str:
    if value not in codes:
        raise ValueError(f"unknown {what} '{value}'; one of {', '.join(codes)}")
    return value


class _RatingCondition(_Condition):
    rating: str

    @model_validator(mode="after")
    def _rating_is_known(self) -> "_RatingCondition":
        _known(self.rating, TASK_RATINGS, "task rating")
        return self


class _TitleCondition(_Condition):
    title: str

    @model_validator(mode="after")
    def _title_is_known(self) -> "_TitleCondition":
        _known(self.title, TITLES, "title")
        return self


class RatingAtLeast(_RatingCondition):
    """A person's rating in the final review; a unit's rating by the office at the final
    review where it recorded one (the assessing body's), else its self-assessment."""

    kind: Literal["rating_at_least"]


class HoldsTitleThisYear(_TitleCondition):
    kind: Literal["holds_title_this_year"]


class NoDisciplineAtOrAbove(_Condition):
    """A person's own discipline; for a unit, any of its members'."""

    kind: Literal["no_discipline_at_or_above"]
    discipline: str

    @model_validator(mode="after")
    def _discipline_is_known(self) -> "NoDisciplineAtOrAbove":
        _known(self.discipline, DISCIPLINES, "discipline")
        return self


class NotUnderInvestigation(_Condition):
    kind: Literal["not_under_investigation"]


class ConsecutiveYearsWithTitle(_TitleCondition):
    """The title held in this year and each year just before it, reading the award history."""

    kind: Literal["consecutive_years_with_title"]
    years: int = Field(ge=2, le=10)


class InitiativeAtLevel(_Condition):
    """Recognised initiatives at the level or above, not yet grounding another award; the
    award that passes consumes them."""

    kind: Literal["initiative_at_level"]
    level: str
    count: int = Field(default=1, ge=1, le=5)

    @model_validator(mode="after")
    def _level_is_known(self) -> "InitiativeAtLevel":
        _known(self.level, INITIATIVE_LEVELS, "initiative level")
        return self


class ResearchAtLevel(_Condition):
    """Accepted research at the level or above, not yet grounding another award; the award
    that passes uses it, as an initiative."""

    kind: Literal["research_at_level"]
    level: str
    count: int = Field(default=1, ge=1, le=5)

    @model_validator(mode="after")
    def _level_is_known(self) -> "ResearchAtLevel":
        _known(self.level, INITIATIVE_LEVELS, "research level")
        return self


class ShareOfMembersWithTitle(_TitleCondition):
    kind: Literal["share_of_members_with_title"]
    op: Comparison
    percent: float = Field(ge=0, le=100)


class ShareOfMembersRatingAtLeast(_RatingCondition):
    kind: Literal["share_of_members_rating_at_least"]
    op: Comparison
    percent: float = Field(ge=0, le=100)


class AtLeastNMembersWithTitle(_TitleCondition):
    kind: Literal["at_least_n_members_with_title"]
    n: int = Field(ge=1)


class ReportsApprovedEveryPhase(_Condition):
    kind: Literal["reports_approved_in_every_phase"]


class AnyOf(_Condition):
    """The first alternative that passes grounds the award (and only its initiatives are used)."""

    kind: Literal["any_of"]
    conditions: list["Condition"] = Field(min_length=2)


Condition = Annotated[
    RatingAtLeast
    | HoldsTitleThisYear
    | NoDisciplineAtOrAbove
    | NotUnderInvestigation
    | ConsecutiveYearsWithTitle
    | InitiativeAtLevel
    | ResearchAtLevel
    | ShareOfMembersWithTitle
    | ShareOfMembersRatingAtLeast
    | AtLeastNMembersWithTitle
    | ReportsApprovedEveryPhase
    | AnyOf,
    Field(discriminator="kind"),
]
AnyOf.model_rebuild()

PERSON_ONLY = (NotUnderInvestigation, InitiativeAtLevel, ResearchAtLevel)
UNIT_ONLY = (
    ShareOfMembersWithTitle,
    ShareOfMembersRatingAtLeast,
    AtLeastNMembersWithTitle,
    ReportsApprovedEveryPhase,
)


class Cap(BaseModel):
    """At most `percent` % of the subjects holding `relative_to` may receive the rule's title."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    relative_to: str
    percent: float = Field(gt=0, le=100)
    scope: Literal["campaign", "unit"] = "campaign"
    source_note: str = Field(min_length=1)
    unverified: bool = False


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    title: str
    subject: Subject
    citation: str = Field(min_length=1)
    multiplier: float | None = Field(default=None, ge=0)
    multiplier_note: str = ""
    conditions: list[Condition] = Field(min_length=1)
    cap: Cap | None = None
    unverified: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _fits_its_subject(self) -> "Rule":
        _known(self.title, TITLES, "title")
        allowed = PERSON_TITLES if self.subject == SubjectKind.PERSON else UNIT_TITLES
        if self.title not in allowed:
            raise ValueError(f"{self.title} is not a {self.subject} title")
        wrong = UNIT_ONLY if self.subject == SubjectKind.PERSON else PERSON_ONLY
        for condition in flatten(self.conditions):
            if isinstance(condition, wrong):
                raise ValueError(
                    f"rule {self.id}: {condition.kind} does not apply to a {self.subject}"
                )
        return self


class LowerTitle(BaseModel):
    """Whether a holder of the higher title of the year is also given the lower one: a person
    is CSTĐCS only as a Lao động tiên tiến, while a collective is recognised at one level."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: Subject
    higher: str
    lower: str
    also_receives: bool
    citation: str = Field(min_length=1)
    unverified: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _titles_are_known(self) -> "LowerTitle":
        _known(self.higher, TITLES, "title")
        _known(self.lower, TITLES, "title")
        return self


class OneForm(BaseModel):
    """Titles and forms grounded on one achievement: a subject is given only the first of
    them it earns, in this order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    titles: list[str] = Field(min_length=2)
    achievement: str = Field(min_length=1, description="The shared achievement, in words.")
    citation: str = Field(min_length=1)
    unverified: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _titles_are_known(self) -> "OneForm":
        for title in self.titles:
            _known(title, TITLES, "title")
        return self


class SeveralTitlesBonus(BaseModel):
    """Bonuses when a subject earns several titles at one time: within a group of titles
    earned for the same achievement, only the highest bonus is paid; titles of different
    groups (achievements over different periods) are each paid."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    same_achievement: list[list[str]] = Field(default_factory=list)
    citation: str = Field(min_length=1)
    unverified: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _titles_are_known(self) -> "SeveralTitlesBonus":
        for group in self.same_achievement:
            for title in group:
                _known(title, TITLES, "title")
        return self


class Consistency(BaseModel):
    """What holds across the titles of one year, before any decision."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Titles in ascending order: registering for one ranks as registering for those below it.
    ladders: dict[Subject, list[str]] = Field(default_factory=dict)
    ladders_note: str = ""
    lower_titles: list[LowerTitle] = Field(default_factory=list)
    one_form: list[OneForm] = Field(default_factory=list)
    bonus: SeveralTitlesBonus | None = None

    def aims_at(self, kind: str, aimed: str | None, title: str) -> bool:
        """Registered for the title, or for a higher one on the same ladder."""
        if aimed is None:
            return False
        if aimed == title:
            return True
        ladder = self.ladders.get(SubjectKind(kind), [])
        return aimed in ladder and title in ladder and ladder.index(aimed) > ladder.index(title)

    def withdrawn_titles(self) -> set[str]:
        """Titles a subject may lose after every rule ran: no rule may read them."""
        lower = {entry.lower for entry in self.lower_titles if not entry.also_receives}
        return lower | {title for group in self.one_form for title in group.titles[1:]}


class FlagCriteria(BaseModel):
    """What the cluster's elected leader must also meet to be proposed for the emulation flag:
    the year's targets exceeded and an excellent rating, read from its final report (the
    office's rating where it recorded one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = "co_thi_dua_cap_tinh"
    citation: str = Field(min_length=1)
    rating: str
    each_target_percent_at_least: float = Field(default=100, ge=0)
    average_percent_above: float = Field(default=100, ge=0)
    unverified: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _codes_are_known(self) -> "FlagCriteria":
        _known(self.title, TITLES, "title")
        _known(self.rating, TASK_RATINGS, "task rating")
        return self


class TieBreaks(BaseModel):
    """Order among candidates a cap must choose between, after the better rating."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    women_first: bool = True
    units_with_women_percent_at_least: float | None = Field(default=None, ge=0, le=100)
    source_note: str = ""


class RuleSet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    legal_basis: list[str] = Field(min_length=1)
    applies_from_year: int
    applies_until_year: int | None = None
    tie_breaks: TieBreaks = TieBreaks()
    consistency: Consistency = Consistency()
    flag: FlagCriteria | None = None
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _reads_only_earlier_titles(self) -> "RuleSet":
        """Titles of this year a rule reads must have been decided by a rule before it."""
        decided: set[str] = set()
        for rule in self.rules:
            if rule.id in {r.id for r in self.rules if r is not rule}:
                raise ValueError(f"rule id {rule.id} appears twice")
            for title in _titles_read(rule):
                if title not in decided:
                    raise ValueError(f"rule {rule.id} reads {title} before a rule awards it")
            decided.add(rule.title)
        withdrawn = self.consistency.withdrawn_titles()
        for rule in self.rules:
            if read := _titles_read(rule) & withdrawn:
                raise ValueError(
                    f"rule {rule.id} reads {', '.join(sorted(read))}, which the consistency "
                    "section may withdraw after the rules ran"
                )
        return self


def flatten(conditions: list[Condition]) -> list[Condition]:
    flat: list[Condition] = []
    for condition in conditions:
        flat.append(condition)
        if isinstance(condition, AnyOf):
            flat.extend(flatten(condition.conditions))
    return flat


def _titles_read(rule: Rule) -> set[str]:
    read = {
        c.title
        for c in flatten(rule.conditions)
        if isinstance(c, HoldsTitleThisYear | ShareOfMembersWithTitle | AtLeastNMembersWithTitle)
    }
    if rule.cap is not None:
        read.add(rule.cap.relative_to)
    return read
