"""The rule set files: both ship and validate; a bad file is refused, named, with the reason."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from awards.compile.ruleset_files import (
    RuleFileError,
    UnknownRuleSet,
    load_rule_set,
    rule_set,
    rule_sets,
)


def test_both_legal_regimes_ship_and_validate() -> None:
    assert set(rule_sets()) == {"law-2013-decree-91-2017", "law-2022-decree-98-2023"}
    for loaded in rule_sets().values():
        assert loaded.legal_basis
        for rule in loaded.rules:
            assert rule.citation
        [cstdcs] = [r for r in loaded.rules if r.title == "chien_si_thi_dua_co_so"]
        assert cstdcs.cap is not None
        assert cstdcs.cap.percent == 15
        assert cstdcs.cap.unverified
        assert "chưa xác định" in cstdcs.cap.source_note


def test_an_unknown_rule_set_is_named() -> None:
    with pytest.raises(UnknownRuleSet, match="law-2013-decree-91-2017"):
        rule_set("law-1999")


def _write(tmp_path: Path, document: dict[str, Any], name: str = "custom-set") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _document(*rules: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "custom-set",
        "name": "Bộ tiêu chuẩn thử",
        "legal_basis": ["Luật Thi đua, khen thưởng 2022"],
        "applies_from_year": 2024,
        "rules": list(rules),
    }


LDTT = {
    "id": "ldtt",
    "title": "lao_dong_tien_tien",
    "subject": "person",
    "citation": "Điều 24",
    "multiplier": 0.3,
    "conditions": [{"kind": "rating_at_least", "rating": "tot"}],
}


def test_a_new_rule_set_is_a_new_file(tmp_path: Path) -> None:
    loaded = load_rule_set(_write(tmp_path, _document(LDTT)))
    assert [r.id for r in loaded.rules] == ["ldtt"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({**LDTT, "title": "huan_chuong"}, "unknown title"),
        ({**LDTT, "subject": "unit"}, "not a unit title"),
        (
            {**LDTT, "conditions": [{"kind": "rating_at_least", "rating": "gioi"}]},
            "unknown task rating",
        ),
        (
            {
                **LDTT,
                "conditions": [
                    {"kind": "at_least_n_members_with_title", "title": "lao_dong_tien_tien", "n": 1}
                ],
            },
            "does not apply to a person",
        ),
        (
            {
                **LDTT,
                "conditions": [
                    {"kind": "holds_title_this_year", "title": "chien_si_thi_dua_co_so"}
                ],
            },
            "before a rule awards it",
        ),
        ({**LDTT, "conditions": [{"kind": "lucky_draw"}]}, "lucky_draw"),
    ],
)
def test_a_bad_rule_is_refused(tmp_path: Path, rule: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleFileError, match=rf"^custom-set\.yaml: (.|\n)*{message}"):
        load_rule_set(_write(tmp_path, _document(rule)))


def test_the_id_is_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match=r"another-name\.yaml .*the id is the file name"):
        load_rule_set(_write(tmp_path, _document(LDTT), name="another-name"))
