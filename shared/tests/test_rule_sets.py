"""The rule-set catalogue: regimes by date, how a campaign's regime is chosen, and the sources."""

from datetime import date
from itertools import pairwise

import pytest

from thidua_shared.contracts.rule_sets import (
    CATALOGUE,
    NoRuleSetInForce,
    RuleSetId,
    applicable_rule_sets,
    rule_set_for,
)

OLD = RuleSetId.LAW_2013_DECREE_91_2017
NEW = RuleSetId.LAW_2022_DECREE_98_2023


def test_the_wire_values_stay_as_they_are() -> None:
    assert [str(i) for i in CATALOGUE] == ["law-2013-decree-91-2017", "law-2022-decree-98-2023"]
    assert all(entry.id == key for key, entry in CATALOGUE.items())


def test_one_regime_in_force_on_any_day_from_the_first_one_without_gaps() -> None:
    entries = list(CATALOGUE.values())
    for earlier, later in pairwise(entries):
        assert earlier.in_force_until is not None
        assert (later.in_force_from - earlier.in_force_until).days == 1
    assert entries[-1].in_force_until is None


def test_the_2022_law_applies_from_its_effective_date() -> None:
    assert CATALOGUE[OLD].in_force_until == date(2023, 12, 31)
    assert CATALOGUE[NEW].in_force_from == date(2024, 1, 1)
    law = CATALOGUE[NEW].instruments[0]
    assert (law.number, law.issued_on, law.in_force_from) == (
        "06/2022/QH15",
        date(2022, 6, 15),
        date(2024, 1, 1),
    )


@pytest.mark.parametrize(
    ("period_end", "considered_on", "expected"),
    [
        (date(2018, 12, 31), None, OLD),
        (date(2018, 12, 31), date(2019, 1, 24), OLD),
        # A 2023 movement considered in January 2024: the law in force that day (Điều 94).
        (date(2023, 12, 31), None, NEW),
        (date(2023, 12, 31), date(2024, 1, 15), NEW),
        (date(2023, 12, 31), date(2023, 12, 20), OLD),
        (date(2024, 12, 31), None, NEW),
    ],
)
def test_the_regime_is_the_one_in_force_when_the_awards_are_considered(
    period_end: date, considered_on: date | None, expected: RuleSetId
) -> None:
    assert rule_set_for(period_end, considered_on).id == expected


def test_before_decree_91_2017_no_rule_set_applies() -> None:
    with pytest.raises(NoRuleSetInForce, match=r"01/01/2017.*law-2013-decree-91-2017 from 01/10"):
        rule_set_for(date(2016, 12, 31))
    assert applicable_rule_sets(date(2016, 12, 31)) == ()


@pytest.mark.parametrize(
    ("period_end", "expected"),
    [
        (date(2016, 12, 31), ()),
        (date(2017, 12, 31), (OLD,)),
        (date(2018, 12, 31), (OLD,)),
        (date(2023, 12, 31), (OLD, NEW)),
        (date(2023, 11, 30), (OLD, NEW)),
        (date(2023, 6, 30), (OLD,)),
        (date(2025, 12, 31), (NEW,)),
    ],
)
def test_applicable_rule_sets_are_those_in_force_around_the_consideration(
    period_end: date, expected: tuple[RuleSetId, ...]
) -> None:
    assert tuple(e.id for e in applicable_rule_sets(period_end)) == expected


def test_the_default_is_always_among_the_applicable() -> None:
    for year in range(2017, 2031):
        period_end = date(year, 12, 31)
        assert rule_set_for(period_end) in applicable_rule_sets(period_end)


def test_every_claim_names_its_source_and_an_unverified_one_says_why() -> None:
    for entry in CATALOGUE.values():
        sources = [
            *entry.in_force_sources,
            *(i.source for i in entry.instruments),
            *(p.source for p in entry.transitional),
        ]
        assert entry.in_force_sources
        for source in sources:
            assert source.cited
            assert source.note or not source.unverified, source
        for instrument in entry.instruments:
            assert instrument.number
            assert instrument.title
            if instrument.issued_on is None or instrument.in_force_from is None:
                assert instrument.source.unverified, instrument


def test_the_transitional_article_of_the_2022_law_is_cited() -> None:
    cited = [p.cited for p in CATALOGUE[NEW].transitional]
    assert any(c.startswith("Điều 95 Luật") for c in cited)
    decree = next(p for p in CATALOGUE[NEW].transitional if "98/2023" in p.cited)
    assert decree.source.unverified
