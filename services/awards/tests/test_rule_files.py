"""The rule files agree with the shared rule-set catalogue, and the service reads and checks
every one when it starts: a bad file stops the start, named, with the problem."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from awards.compile import ruleset_files
from awards.compile.ruleset_files import (
    RULESET_DIRECTORY,
    RuleFileError,
    catalogue_disagreements,
    load_rule_sets,
    rule_sets,
)
from awards.main import spec
from thidua_shared.contracts.rule_sets import CATALOGUE, RuleSetId
from thidua_shared.testing import running_service

NEW = RuleSetId.LAW_2022_DECREE_98_2023
Edit = Callable[[dict[str, Any]], None]


def _rules_folder(tmp_path: Path, edits: dict[str, Edit] | None = None) -> Path:
    """The shipped rule files copied to a folder of their own, some of them edited."""
    for path in RULESET_DIRECTORY.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit = (edits or {}).get(path.stem)
        if edit is not None:
            edit(document)
        target = tmp_path / f"{document['id']}.yaml"
        target.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_every_rule_file_has_a_catalogue_entry_and_every_entry_a_file() -> None:
    assert sorted(p.stem for p in RULESET_DIRECTORY.glob("*.yaml")) == sorted(CATALOGUE)
    for rule_set_id, loaded in rule_sets().items():
        assert catalogue_disagreements(loaded, CATALOGUE[RuleSetId(rule_set_id)]) == []


def test_the_years_of_a_file_are_those_of_its_regime_in_force() -> None:
    old, new = (rule_sets()[str(i)] for i in CATALOGUE)
    assert (old.applies_from_year, old.applies_until_year) == (2017, 2023)
    assert (new.applies_from_year, new.applies_until_year) == (2024, None)


def _rename(document: dict[str, Any]) -> None:
    document["id"] = "law-2030-decree-1-2030"


def _one_year_early(document: dict[str, Any]) -> None:
    document["applies_from_year"] = 2023


def _drop_the_decree(document: dict[str, Any]) -> None:
    document["legal_basis"] = document["legal_basis"][:1]


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (
            {NEW: _rename},
            "law-2030-decree-1-2030.yaml: no entry law-2030-decree-1-2030 in the rule-set "
            "catalogue",
        ),
        (
            {NEW: _one_year_early},
            "law-2022-decree-98-2023.yaml: applies_from_year is 2023 in the file, 2024 in the "
            "catalogue",
        ),
        ({NEW: _drop_the_decree}, "law-2022-decree-98-2023.yaml: legal_basis does not name"),
    ],
)
def test_a_file_that_disagrees_with_the_catalogue_is_refused(
    tmp_path: Path, edits: dict[str, Edit], message: str
) -> None:
    with pytest.raises(RuleFileError, match=message):
        load_rule_sets(_rules_folder(tmp_path, edits))


def test_a_catalogue_entry_without_its_file_is_refused(tmp_path: Path) -> None:
    folder = _rules_folder(tmp_path)
    (folder / f"{NEW}.yaml").unlink()
    with pytest.raises(RuleFileError, match=f"no rule file for {NEW}"):
        load_rule_sets(folder)


def _bad_rating(document: dict[str, Any]) -> None:
    document["rules"][0]["conditions"][0]["rating"] = "gioi"


async def test_a_bad_rule_file_stops_the_service_at_start(
    awards_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        ruleset_files, "RULESET_DIRECTORY", _rules_folder(tmp_path, {NEW: _bad_rating})
    )
    with pytest.raises(
        RuleFileError, match=r"^law-2022-decree-98-2023\.yaml: (.|\n)*unknown task rating 'gioi'"
    ):
        async with running_service(spec, awards_db):
            pytest.fail("the service started with a bad rule file")
