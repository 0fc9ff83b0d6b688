"""Rule sets as versioned data: one YAML file per legal regime in `awards/rulesets/`, validated
when the service starts. Adding a regime is adding a file; the campaign's rule_set names it."""

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from thidua_shared.contracts.vocabulary import (
    DISCIPLINES,
    INITIATIVE_LEVELS,
    PERSON_TITLES,
    TASK_RATINGS,
    TITLES,
    UNIT_TITLES,
)

RULESET_DIRECTORY = Path(__file__).parent / "rulesets"

Subject = Literal["person", "unit"]
Comparison = Literal["gt", "ge", "eq"]


class UnknownRuleSet(LookupError):
    pass


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
    """A person's rating in the final review; a unit's self-assessment."""

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
    | ShareOfMembersWithTitle
    | ShareOfMembersRatingAtLeast
    | AtLeastNMembersWithTitle
    | ReportsApprovedEveryPhase
    | AnyOf,
    Field(discriminator="kind"),
]
AnyOf.model_rebuild()

PERSON_ONLY = (NotUnderInvestigation, InitiativeAtLevel)
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
        allowed = PERSON_TITLES if self.subject == "person" else UNIT_TITLES
        if self.title not in allowed:
            raise ValueError(f"{self.title} is not a {self.subject} title")
        wrong = UNIT_ONLY if self.subject == "person" else PERSON_ONLY
        for condition in flatten(self.conditions):
            if isinstance(condition, wrong):
                raise ValueError(
                    f"rule {self.id}: {condition.kind} does not apply to a {self.subject}"
                )
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


def load_rule_set(path: Path) -> RuleSet:
    rule_set = RuleSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if rule_set.id != path.stem:
        raise ValueError(f"{path.name} declares id {rule_set.id}; the id is the file name")
    return rule_set


@cache
def rule_sets() -> dict[str, RuleSet]:
    loaded = (load_rule_set(path) for path in sorted(RULESET_DIRECTORY.glob("*.yaml")))
    return {rule_set.id: rule_set for rule_set in loaded}


def rule_set(rule_set_id: str) -> RuleSet:
    try:
        return rule_sets()[rule_set_id]
    except KeyError:
        raise UnknownRuleSet(
            f"No rule set '{rule_set_id}'; the files define {', '.join(rule_sets())}."
        ) from None
