"""What the compile's speed rests on, held to the slower forms it replaced: a condition decides
the same whether or not it explains itself, a priority key sorts as the tuple it stands for,
and a tally fed part by part ranks as one sorted list."""

import itertools
from bisect import bisect_left
from datetime import date

import pytest

from awards.compile.rules.caps import Tally, priority
from awards.compile.rules.conditions import evaluate
from awards.compile.rules.facts import (
    FEMALE,
    PERSON,
    HistoryFacts,
    InitiativeFact,
    MemberFacts,
    ResearchFact,
    UnitFacts,
)
from awards.compile.rules.ruleset import flatten
from awards.compile.rules.verdicts import Context, Subject
from awards.compile.ruleset_files import rule_set
from thidua_shared.contracts.vocabulary import RATING_RANK

YEAR = 2018
RULE_SETS = ["law-2013-decree-91-2017", "law-2022-decree-98-2023"]
CSTDCS = "chien_si_thi_dua_co_so"
LDTT = "lao_dong_tien_tien"


def _members() -> list[MemberFacts]:
    """Every mix of rating, discipline, investigation, initiatives and research that matters."""
    ratings = [None, "khong_hoan_thanh", "hoan_thanh", "tot", "xuat_sac"]
    disciplines = ["none", "khien_trach", "canh_cao"]
    grounds = [
        ((), ()),
        ((InitiativeFact("SK-1", "Cải tiến", "grassroots", YEAR),), ()),
        ((InitiativeFact("SK-2", "Số hoá", "provincial", YEAR),), ()),
        ((InitiativeFact("SK-USED", "Đã dùng", "provincial", YEAR),), ()),
        ((), (ResearchFact("DT-1", "Đề tài", "provincial", YEAR, date(YEAR, 5, 2)),)),
    ]
    combinations = itertools.product(ratings, disciplines, [False, True], grounds)
    return [
        MemberFacts(
            staff_code=f"M{i:03}",
            full_name=f"Nguyễn Thị {i}",
            unit_code="DV1" if i % 2 else "DV2",
            gender=FEMALE if i % 3 else "male",
            title_aimed=[None, LDTT, CSTDCS][i % 3],
            task_rating=rating,
            evaluated_in="tổng kết",
            discipline=discipline,
            under_investigation=investigated,
            initiatives=initiatives,
            research=research,
        )
        for i, (rating, discipline, investigated, (initiatives, research)) in enumerate(
            combinations
        )
    ]


def _context(members: list[MemberFacts]) -> Context:
    history = HistoryFacts(
        years_held={
            ("person", m.staff_code, CSTDCS): frozenset(range(YEAR - 1 - i % 4, YEAR))
            for i, m in enumerate(members)
        }
    )
    context = Context(YEAR, 2, {m.staff_code: m for m in members}, history)
    context.used_initiatives["SK-USED"] = "danh hiệu năm 2017"
    for i, m in enumerate(members):
        # Some hold the titles earlier rules give, some not.
        context.awarded[("person", m.staff_code)] = {LDTT, CSTDCS} if i % 2 else {LDTT}
    return context


def _units(members: list[MemberFacts]) -> list[UnitFacts]:
    return [
        UnitFacts(
            unit_code=code,
            unit_name=f"Đơn vị {code}",
            rating=rating,
            approved_reports=reports,
            member_codes=tuple(m.staff_code for m in members if m.unit_code == code),
        )
        for code, rating, reports in [
            ("DV1", "xuat_sac", {1: "r1", 2: "r2"}),
            ("DV2", "tot", {2: "r2"}),
            ("DV3", None, {}),
        ]
    ]


@pytest.mark.parametrize("rule_set_id", RULE_SETS)
def test_a_condition_decides_the_same_explained_or_not(rule_set_id: str) -> None:
    members = _members()
    context = _context(members)
    subjects: dict[str, list[Subject]] = {"person": [*members], "unit": [*_units(members)]}
    checked = 0
    for rule in rule_set(rule_set_id).rules:
        for condition in flatten(rule.conditions):
            for subject in subjects[rule.subject]:
                explained = evaluate(condition, subject, context, explain=True)
                unexplained = evaluate(condition, subject, context, explain=False)
                assert explained.line
                assert unexplained.line == ""
                assert (unexplained.passed, unexplained.consumes) == (
                    explained.passed,
                    explained.consumes,
                )
                checked += 1
    assert checked > 1_000


def _tuple_key(
    registered: bool, rating: str | None, favoured: bool, code: str
) -> tuple[bool, int, bool, str]:
    """The priority as it was kept before: a tuple."""
    return (not registered, -RATING_RANK.get(rating or "", -1), not favoured, code)


def test_a_priority_key_sorts_as_the_tuple_it_stands_for() -> None:
    rules = rule_set(RULE_SETS[0])
    [capped] = [rule for rule in rules.rules if rule.cap is not None]
    members = _members() + [
        MemberFacts(code, "Tên", "DV1", task_rating="tot", title_aimed=CSTDCS)
        for code in ["M0", "M00", "M0000", "M1", "m1", "Đ1"]
    ]
    key = priority(capped, rules, _context(members))
    by_string = sorted(members, key=key)
    by_tuple = sorted(
        members,
        key=lambda m: _tuple_key(
            rules.consistency.aims_at(PERSON, m.title_aimed, capped.title),
            m.task_rating,
            m.gender == FEMALE,
            m.staff_code,
        ),
    )
    assert [m.staff_code for m in by_string] == [m.staff_code for m in by_tuple]


def test_a_tally_fed_by_parts_ranks_as_one_sorted_list() -> None:
    keys = [f"{a}{b}{c}DV{n:03}" for a, b, c, n in itertools.product("12", "ABCE", "12", range(7))]
    tally = Tally()
    for start in range(0, len(keys), 13):
        tally.add(reversed(keys[start : start + 13]))
    tally.add([])
    tally.settle()
    everything = sorted(keys)
    assert tally.keys == everything
    part = sorted(keys[5:40:3])
    assert tally.ranks(part) == [bisect_left(everything, key) + 1 for key in part]
