"""Rule sets as versioned data: one YAML file per legal regime in `compile/rulesets/`, each
agreeing with its entry in the shared rule-set catalogue, all read and checked when the service
starts (`check_rule_files`). Adding a regime is adding a file and a catalogue entry; the
campaign's rule_set names it."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

import yaml
from fastapi import FastAPI
from pydantic import ValidationError

from awards.compile.rules.ruleset import RuleSet
from thidua_shared.contracts.rule_sets import CATALOGUE, RuleSetEntry, RuleSetId

RULESET_DIRECTORY = Path(__file__).parent / "rulesets"


class UnknownRuleSet(LookupError):
    pass


class RuleFileError(ValueError):
    """A rule file the service cannot use, named with the problem."""


def load_rule_set(path: Path) -> RuleSet:
    try:
        rule_set = RuleSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as problem:
        raise RuleFileError(f"{path.name}: {problem}") from problem
    if rule_set.id != path.stem:
        raise RuleFileError(f"{path.name} declares id {rule_set.id}; the id is the file name")
    return rule_set


def catalogue_disagreements(rule_set: RuleSet, entry: RuleSetEntry) -> list[str]:
    """Where a rule file and its catalogue entry tell different things about the regime."""
    until = entry.in_force_until.year if entry.in_force_until else None
    found = [
        f"{what} is {mine!r} in the file, {theirs!r} in the catalogue"
        for what, mine, theirs in (
            ("name", rule_set.name, entry.name),
            ("applies_from_year", rule_set.applies_from_year, entry.in_force_from.year),
            ("applies_until_year", rule_set.applies_until_year, until),
        )
        if mine != theirs
    ]
    basis = " ".join(rule_set.legal_basis)
    found += [
        f"legal_basis does not name {i.kind} {i.number}"
        for i in entry.instruments
        if i.number not in basis
    ]
    return found


def load_rule_sets(directory: Path) -> dict[str, RuleSet]:
    """Every rule file of the directory, each valid and agreeing with the catalogue, and one
    for each catalogue entry; otherwise a RuleFileError naming the file and the problem."""
    loaded = {path: load_rule_set(path) for path in sorted(directory.glob("*.yaml"))}
    for path, rule_set in loaded.items():
        if rule_set.id not in CATALOGUE:
            raise RuleFileError(
                f"{path.name}: no entry {rule_set.id} in the rule-set catalogue "
                "(thidua_shared.contracts.rule_sets); a new regime needs one"
            )
        problems = catalogue_disagreements(rule_set, CATALOGUE[RuleSetId(rule_set.id)])
        if problems:
            raise RuleFileError(f"{path.name}: {'; '.join(problems)}")
    by_id = {rule_set.id: rule_set for rule_set in loaded.values()}
    missing = [str(rule_set_id) for rule_set_id in CATALOGUE if rule_set_id not in by_id]
    if missing:
        raise RuleFileError(f"{directory.name}/: no rule file for {', '.join(missing)}")
    return by_id


@cache
def rule_sets() -> dict[str, RuleSet]:
    return load_rule_sets(RULESET_DIRECTORY)


@asynccontextmanager
async def check_rule_files(app: FastAPI) -> AsyncIterator[None]:
    """At start, before the service serves: every rule file read afresh and checked, so a bad
    one stops the start with its name and the problem rather than failing a later compile."""
    rule_sets.cache_clear()
    rule_sets()
    yield


def rule_set(rule_set_id: str) -> RuleSet:
    try:
        return rule_sets()[rule_set_id]
    except KeyError:
        raise UnknownRuleSet(
            f"No rule set '{rule_set_id}'; the files define {', '.join(rule_sets())}."
        ) from None
