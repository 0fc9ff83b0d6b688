"""Who may decide what, per rule set: every title has its authority and citation, the files are
checked when the service starts, and a list splits into the agency's own and its proposals."""

from pathlib import Path

import pytest

from awards.dossier.authority import (
    AUTHORITY_DIRECTORY,
    AuthorityFileError,
    authority_files,
    load_authority_file,
    load_authority_files,
    split,
)
from awards.dossier.codes import AgencyLevel, Authority
from thidua_shared.contracts.rule_sets import CATALOGUE
from thidua_shared.contracts.vocabulary import Title

DIRECTOR_DECIDES = {
    Title.ADVANCED_WORKER,
    Title.GRASSROOTS_EMULATION_FIGHTER,
    Title.ADVANCED_COLLECTIVE,
    Title.CERTIFICATE_OF_MERIT,
}
PROVINCE_DECIDES = {
    Title.EXCELLENT_COLLECTIVE,
    Title.PROVINCIAL_EMULATION_FIGHTER,
    Title.PROVINCIAL_EMULATION_FLAG,
    Title.PROVINCIAL_MERIT_CERTIFICATE,
}


@pytest.mark.parametrize("rule_set", sorted(CATALOGUE))
def test_every_title_has_its_authority_and_citation(rule_set: str) -> None:
    regime = authority_files()[rule_set]
    assert set(regime.titles) == set(Title)
    for title in DIRECTOR_DECIDES:
        assert regime.decided_by(title) is Authority.AGENCY_HEAD
    for title in PROVINCE_DECIDES:
        assert regime.decided_by(title) is Authority.PROVINCIAL_CHAIRMAN
    assert regime.decided_by(Title.NATIONAL_EMULATION_FIGHTER) is Authority.PRIME_MINISTER
    assert all(entry.citation for entry in regime.titles.values())
    assert regime.funds.citation


def test_the_2022_line_is_cited_to_article_80_and_unverified_claims_say_so() -> None:
    regime = authority_files()["law-2022-decree-98-2023"]
    head = regime.titles[Title.ADVANCED_COLLECTIVE]
    assert head.citation.startswith("Điều 80 khoản 1")
    assert head.verified
    assert not regime.titles[Title.EXCELLENT_COLLECTIVE].verified
    assert not regime.funds.verified


def test_a_department_proposes_what_its_director_may_not_grant() -> None:
    items = [
        {"title": str(title), "subject_code": str(n)} for n, title in enumerate(Title, start=1)
    ]
    department = split(items, "law-2013-decree-91-2017", AgencyLevel.PROVINCIAL_DEPARTMENT)
    assert {item["title"] for item in department.own} == DIRECTOR_DECIDES
    assert {item["title"] for item in department.proposed[Authority.PROVINCIAL_CHAIRMAN]} == (
        PROVINCE_DECIDES
    )
    assert set(department.proposed) == {Authority.PROVINCIAL_CHAIRMAN, Authority.PRIME_MINISTER}
    province = split(items, "law-2013-decree-91-2017", AgencyLevel.PROVINCE)
    assert {item["title"] for item in province.own} == DIRECTOR_DECIDES | PROVINCE_DECIDES


def test_a_file_missing_a_title_stops_the_start(tmp_path: Path) -> None:
    for path in AUTHORITY_DIRECTORY.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        (tmp_path / path.name).write_text(text.replace("  giay_khen:", "  unused:"), "utf-8")
    with pytest.raises(AuthorityFileError, match=r"giay_khen|unused"):
        load_authority_files(tmp_path)


def test_a_missing_regime_stops_the_start(tmp_path: Path) -> None:
    source = AUTHORITY_DIRECTORY / "law-2022-decree-98-2023.yaml"
    (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), "utf-8")
    assert load_authority_file(tmp_path / source.name).id == source.stem
    with pytest.raises(AuthorityFileError, match="law-2013-decree-91-2017"):
        load_authority_files(tmp_path)
