"""What a condition answers, and what it reads besides its subject: the types every condition
shares (`conditions`, `grounds`) and the engine reads."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from awards.compile.rules.facts import (
    HistoryFacts,
    InitiativeFact,
    MemberFacts,
    ResearchFact,
    UnitFacts,
)

Subject = MemberFacts | UnitFacts
# What an award may use up as its grounds: an initiative, or accepted research.
Grounds = InitiativeFact | ResearchFact


# A named tuple rather than a frozen dataclass: made hundreds of thousands of times a
# compilation, and a frozen dataclass sets each field through object.__setattr__.
class Verdict(NamedTuple):
    passed: bool
    # Empty when the evaluation was not asked to explain.
    line: str
    consumes: tuple[Grounds, ...] = ()


PASSED = Verdict(True, "")
FAILED = Verdict(False, "")


def unexplained(passed: bool) -> Verdict:
    """The verdict of an evaluation not asked to explain."""
    return PASSED if passed else FAILED


@dataclass(slots=True)
class Context:
    """What the compilation knows when it evaluates a rule: titles already awarded this year
    by earlier rules, and the initiatives already used as grounds."""

    year: int
    phases_total: int
    members: Mapping[str, MemberFacts]
    history: HistoryFacts
    awarded: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    used_initiatives: dict[str, str] = field(default_factory=dict)

    def holds(self, kind: str, code: str, title: str) -> bool:
        return title in self.awarded.get((kind, code), ())


# (condition, subject, context, explain): the line is empty unless `explain`.
Evaluator = Callable[[Any, Subject, Context, bool], Verdict]
