"""Consistency across a year's titles, in memory under both rule sets: the cap explains itself
to everyone it leaves out, aiming higher ranks as registering for the lower title, one
achievement earns one form, and each regime says whether the higher title's holder keeps the
lower one."""

import pytest

from awards.compile.rules.facts import HistoryFacts
from awards.compile.rules.ruleset import RuleSet
from awards.compile.ruleset_files import rule_set
from services.awards.tests.test_engine import (
    BOTH,
    CSTD_TINH,
    CSTDCS,
    LDTT,
    OLD,
    TTLDXS,
    YEAR,
    _unit_with_ldtt_share,
    fillers,
    initiative,
    member,
    nomination,
    refusal,
    run,
    titles_of,
)

BANG_KHEN = "bang_khen_cap_tinh"


@BOTH
def test_a_member_the_cap_leaves_out_is_told_their_place_though_registered_only_for_ldtt(
    rule_set_id: str,
) -> None:
    candidates = [
        member(f"CB0{i}", "xuat_sac", title_aimed=LDTT, initiatives=(initiative(f"SK-{i}"),))
        for i in range(1, 5)
    ]
    # 20 LĐTT: 3 places for 4 candidates, none of whom registered for CSTĐCS.
    compiled = run(rule_set_id, [*candidates, *fillers(16)])
    granted = sorted(n.subject_code for n in compiled.nominations if n.title == CSTDCS)
    assert granted == ["CB01", "CB02", "CB03"]
    refused = refusal(compiled, "CB04", CSTDCS)
    assert refused.failed_condition.startswith("Xếp thứ 4 trên 3 suất, ngoài số suất")
    assert "15 % của 20 trường hợp đạt danh hiệu Lao động tiên tiến" in refused.failed_condition
    assert LDTT in titles_of(compiled, "CB04")


@BOTH
def test_a_member_aiming_at_the_provincial_title_ranks_as_registered_for_cstdcs(
    rule_set_id: str,
) -> None:
    aiming_higher = member(
        "CB09", "xuat_sac", title_aimed=CSTD_TINH, initiatives=(initiative("SK-9"),)
    )
    exactly = [
        member(f"CB0{i}", "xuat_sac", title_aimed=CSTDCS, initiatives=(initiative(f"SK-{i}"),))
        for i in range(1, 3)
    ]
    unregistered = member("CB00", "xuat_sac", title_aimed=LDTT, initiatives=(initiative("SK-0"),))
    # 13 LĐTT: 1 place (15 % rounded down). Without ranking CB09 as registered, the codes
    # would give the place to CB00 or CB01; the registrants come first, then the code.
    compiled = run(rule_set_id, [aiming_higher, *exactly, unregistered, *fillers(9)])
    granted = sorted(n.subject_code for n in compiled.nominations if n.title == CSTDCS)
    assert granted == ["CB01"]
    # CB09 ranks with CB01 and CB02 (registered), before CB00 (not).
    assert refusal(compiled, "CB09", CSTDCS).failed_condition.startswith("Xếp thứ 3 trên 1 suất")
    assert refusal(compiled, "CB00", CSTDCS).failed_condition.startswith("Xếp thứ 4 trên 1 suất")
    # Aiming higher registers for CSTĐCS: its refusal is there, as is the provincial title's.
    assert refusal(compiled, "CB09", CSTD_TINH)


@BOTH
def test_one_chain_of_cstdcs_years_earns_the_provincial_title_not_also_a_bang_khen(
    rule_set_id: str,
) -> None:
    veteran = member(
        "CB01",
        "xuat_sac",
        title_aimed=CSTD_TINH,
        initiatives=(initiative("SK-1", "provincial"), initiative("SK-2")),
    )
    two_years = member("CB02", "xuat_sac", title_aimed=CSTDCS, initiatives=(initiative("SK-3"),))
    history = HistoryFacts(
        years_held={
            ("person", "CB01", CSTDCS): frozenset({YEAR - 2, YEAR - 1}),
            ("person", "CB02", CSTDCS): frozenset({YEAR - 1}),
        }
    )
    compiled = run(rule_set_id, [veteran, two_years, *fillers(18)], history=history)
    assert titles_of(compiled, "CB01") == {LDTT, CSTDCS, CSTD_TINH}
    withdrawn = refusal(compiled, "CB01", BANG_KHEN)
    assert withdrawn.failed_condition.startswith(
        "Cùng thành tích (chuỗi các năm liên tục đạt danh hiệu Chiến sĩ thi đua cơ sở) đã được "
        "đề nghị Chiến sĩ thi đua cấp tỉnh; không khen thưởng nhiều hình thức cho một thành tích"
    )
    assert withdrawn.facts[0].startswith("Đạt danh hiệu Chiến sĩ thi đua cơ sở 2 năm liên tục")
    # Two years without the provincial title: the bằng khen stands.
    assert titles_of(compiled, "CB02") == {LDTT, CSTDCS, BANG_KHEN}


@BOTH
def test_a_cstdcs_holder_stays_lao_dong_tien_tien_as_each_regime_says(rule_set_id: str) -> None:
    consistency = rule_set(rule_set_id).consistency
    [person] = [entry for entry in consistency.lower_titles if entry.subject == "person"]
    [unit] = [entry for entry in consistency.lower_titles if entry.subject == "unit"]
    assert (person.higher, person.lower, person.also_receives) == (CSTDCS, LDTT, True)
    assert not unit.also_receives
    for entry in (person, unit):
        assert entry.citation
    holder = member("CB01", "xuat_sac", title_aimed=CSTDCS, initiatives=(initiative("SK-1"),))
    compiled = run(rule_set_id, [holder, *fillers(9)])
    assert nomination(compiled, "CB01", LDTT)
    assert nomination(compiled, "CB01", CSTDCS)


def test_no_rule_may_read_a_title_the_consistency_section_may_withdraw() -> None:
    data = rule_set(OLD).model_dump()
    data["rules"].append(
        {
            "id": "reads-bang-khen",
            "title": "chien_si_thi_dua_toan_quoc",
            "subject": "person",
            "citation": "thử",
            "conditions": [{"kind": "holds_title_this_year", "title": BANG_KHEN}],
        }
    )
    with pytest.raises(ValueError, match="may withdraw"):
        RuleSet.model_validate(data)


@BOTH
def test_an_excellent_collective_has_no_member_warned(rule_set_id: str) -> None:
    excellent, members = _unit_with_ldtt_share("U80", 80)
    members[-1] = member("U80-099", "tot", "U80", discipline="canh_cao")
    compiled = run(rule_set_id, members, [excellent])
    assert TTLDXS not in titles_of(compiled, "U80")
    assert refusal(compiled, "U80", TTLDXS).failed_condition == (
        "Có thành viên bị kỷ luật từ mức Cảnh cáo trở lên: Nguyễn Văn U80-099 (U80-099): Cảnh cáo"
    )
