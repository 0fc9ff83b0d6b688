"""The rule sets over hand-built members and units, in memory: each condition under both
rule sets."""

import pytest

from awards.compile.rules.drafts import NominationDraft, RefusalDraft
from awards.compile.rules.engine import Compiled, compile_nominations
from awards.compile.rules.facts import (
    CampaignFacts,
    HistoryFacts,
    InitiativeFact,
    MemberFacts,
    UnitFacts,
)
from awards.compile.ruleset_files import rule_set

OLD = "law-2013-decree-91-2017"
NEW = "law-2022-decree-98-2023"
BOTH = pytest.mark.parametrize("rule_set_id", [OLD, NEW])
YEAR = 2018

LDTT = "lao_dong_tien_tien"
CSTDCS = "chien_si_thi_dua_co_so"
CSTD_TINH = "chien_si_thi_dua_cap_tinh"
TTLDTT = "tap_the_lao_dong_tien_tien"
TTLDXS = "tap_the_lao_dong_xuat_sac"


def member(
    code: str, rating: str | None = "tot", unit: str = "PCNTT", **facts: object
) -> MemberFacts:
    return MemberFacts(
        staff_code=code,
        full_name=facts.pop("full_name", f"Nguyễn Văn {code}"),  # type: ignore[arg-type]
        unit_code=unit,
        task_rating=rating,
        evaluated_in="tổng kết",
        **facts,  # type: ignore[arg-type]
    )


def initiative(identifier: str, level: str = "grassroots") -> InitiativeFact:
    return InitiativeFact(identifier, f"Sáng kiến {identifier}", level, YEAR)


def fillers(count: int, unit: str = "PCNTT", rating: str = "tot") -> list[MemberFacts]:
    """Members rated well with nothing else: they make the LĐTT count the cap reads."""
    return [member(f"{unit}-F{i:03}", rating, unit) for i in range(count)]


def unit(code: str, members: list[MemberFacts], rating: str = "tot", **facts: object) -> UnitFacts:
    return UnitFacts(
        unit_code=code,
        unit_name=f"Phòng {code}",
        rating=rating,
        approved_reports={1: f"r1-{code}", 2: f"r2-{code}"},
        member_codes=tuple(m.staff_code for m in members if m.unit_code == code),
        **facts,  # type: ignore[arg-type]
    )


def run(
    rule_set_id: str,
    members: list[MemberFacts],
    units: list[UnitFacts] = (),  # type: ignore[assignment]
    history: HistoryFacts | None = None,
) -> Compiled:
    campaign = CampaignFacts(year=YEAR, phases_total=2, units=units, members=members)
    return compile_nominations(rule_set(rule_set_id), campaign, history or HistoryFacts())


def titles_of(compiled: Compiled, code: str) -> set[str]:
    return {n.title for n in compiled.nominations if n.subject_code == code}


def nomination(compiled: Compiled, code: str, title: str) -> NominationDraft:
    [found] = [n for n in compiled.nominations if n.subject_code == code and n.title == title]
    return found


def refusal(compiled: Compiled, code: str, title: str) -> RefusalDraft:
    [found] = [r for r in compiled.refusals if r.subject_code == code and r.title == title]
    return found


@BOTH
def test_a_warning_excludes(rule_set_id: str) -> None:
    members = [
        member("CB01", "xuat_sac", discipline="canh_cao", title_aimed=LDTT),
        member("CB02", "tot", title_aimed=LDTT),
    ]
    compiled = run(rule_set_id, members)
    assert titles_of(compiled, "CB01") == set()
    assert titles_of(compiled, "CB02") == {LDTT}
    refused = refusal(compiled, "CB01", LDTT)
    assert refused.failed_condition == "Bị kỷ luật Cảnh cáo năm 2018"
    assert refused.facts == (
        "Xếp loại Hoàn thành xuất sắc nhiệm vụ trong báo cáo tổng kết năm 2018",
    )
    assert "Điều 24" in refused.citation


@BOTH
def test_under_investigation_excludes(rule_set_id: str) -> None:
    compiled = run(
        rule_set_id, [member("CB01", "xuat_sac", under_investigation=True, title_aimed=LDTT)]
    )
    assert compiled.nominations == []
    assert refusal(compiled, "CB01", LDTT).failed_condition.startswith("Đang trong thời gian")


@BOTH
def test_three_consecutive_cstdcs_years_with_history_give_the_provincial_title(
    rule_set_id: str,
) -> None:
    # The grassroots initiative grounds CSTĐCS (required by the 2013 set), the provincial
    # one the provincial title: each grounds one award.
    initiatives = (initiative("SK-2018-014"), initiative("SK-2018-020", "provincial"))
    champion = member("CB01", "xuat_sac", gender="female", initiatives=initiatives)
    history = HistoryFacts(years_held={("person", "CB01", CSTDCS): frozenset({2016, 2017})})
    compiled = run(rule_set_id, [champion, *fillers(10)], history=history)
    assert titles_of(compiled, "CB01") >= {LDTT, CSTDCS, CSTD_TINH}
    provincial = nomination(compiled, "CB01", CSTD_TINH)
    assert (
        "Đạt danh hiệu Chiến sĩ thi đua cơ sở 3 năm liên tục: 2016, 2017, 2018" in provincial.facts
    )
    assert provincial.initiative_identifiers == ("SK-2018-020",)
    assert any("SK-2018-020" in f and "cấp tỉnh" in f for f in provincial.facts)
    assert provincial.multiplier == 3.0


@BOTH
def test_a_broken_chain_is_refused_with_the_years_read(rule_set_id: str) -> None:
    initiatives = (initiative("SK-1"), initiative("SK-2", "provincial"))
    history = HistoryFacts(years_held={("person", "CB01", CSTDCS): frozenset({2015, 2017})})
    champion = member("CB01", "xuat_sac", initiatives=initiatives, title_aimed=CSTD_TINH)
    compiled = run(rule_set_id, [champion, *fillers(10)], history=history)
    assert CSTD_TINH not in titles_of(compiled, "CB01")
    assert refusal(compiled, "CB01", CSTD_TINH).failed_condition == (
        "Chỉ đạt danh hiệu Chiến sĩ thi đua cơ sở 2 năm liên tục (2017, 2018), cần 3 năm"
    )


@BOTH
def test_an_initiative_grounds_one_award_only(rule_set_id: str) -> None:
    # One provincial initiative, rated tốt: CSTĐCS uses it under both sets, so the
    # provincial title has nothing left to stand on.
    only = (initiative("SK-2018-014", "provincial"),)
    history = HistoryFacts(years_held={("person", "CB01", CSTDCS): frozenset({2016, 2017})})
    candidate = member("CB01", "tot", initiatives=only, title_aimed=CSTD_TINH)
    compiled = run(rule_set_id, [candidate, *fillers(10)], history=history)
    assert nomination(compiled, "CB01", CSTDCS).initiative_identifiers == ("SK-2018-014",)
    refused = refusal(compiled, "CB01", CSTD_TINH)
    assert "SK-2018-014 đã làm căn cứ cho danh hiệu Chiến sĩ thi đua cơ sở năm 2018" in (
        refused.failed_condition
    )
    assert "mỗi sáng kiến chỉ làm căn cứ cho một lần khen thưởng" in refused.failed_condition


def test_an_initiative_used_by_a_past_award_grounds_nothing_new() -> None:
    used = HistoryFacts(
        used_initiatives={"SK-2017-003": "danh hiệu Chiến sĩ thi đua cơ sở năm 2017"}
    )
    candidate = member(
        "CB01", "xuat_sac", initiatives=(initiative("SK-2017-003"),), title_aimed=CSTDCS
    )
    compiled = run(OLD, [candidate, *fillers(10)], history=used)
    assert "SK-2017-003 đã làm căn cứ cho danh hiệu Chiến sĩ thi đua cơ sở năm 2017" in (
        refusal(compiled, "CB01", CSTDCS).failed_condition
    )


def test_the_2013_set_requires_an_initiative_the_2022_set_accepts_an_excellent_rating() -> None:
    excellent = member("CB01", "xuat_sac", title_aimed=CSTDCS)
    old = run(OLD, [excellent, *fillers(10)])
    assert CSTDCS not in titles_of(old, "CB01")
    assert refusal(old, "CB01", CSTDCS).failed_condition.startswith(
        "Không đáp ứng điều kiện nào trong các điều kiện thay thế: Không có đủ 1 sáng kiến "
        "được công nhận từ cấp cơ sở trở lên"
    )
    new = run(NEW, [excellent, *fillers(10)])
    granted = nomination(new, "CB01", CSTDCS)
    assert granted.facts[:2] == (
        "Đạt danh hiệu Lao động tiên tiến năm 2018",
        "Xếp loại Hoàn thành xuất sắc nhiệm vụ trong báo cáo tổng kết năm 2018",
    )
    assert granted.initiative_identifiers == ()
    assert granted.citation == "Điều 23 Luật Thi đua, khen thưởng 2022"

    with_initiative = member("CB02", "tot", initiatives=(initiative("SK-2018-014"),))
    old_with = run(OLD, [with_initiative, *fillers(10)])
    assert (
        "Sáng kiến SK-2018-014 \u201cSáng kiến SK-2018-014\u201d được công nhận cấp cơ sở năm 2018"
        in (nomination(old_with, "CB02", CSTDCS).facts)
    )


@BOTH
def test_the_cstdcs_cap_prefers_women_among_equals(rule_set_id: str) -> None:
    genders = {"CB01": "male", "CB02": "female", "CB03": "male", "CB04": "female", "CB05": "male"}
    candidates = [
        member(
            code,
            "xuat_sac",
            gender=gender,
            title_aimed=CSTDCS,
            initiatives=(initiative(f"SK-{code}"),),
        )
        for code, gender in genders.items()
    ]
    # 20 LĐTT in all: 15 % of 20 is 3 places for 5 candidates.
    compiled = run(rule_set_id, [*candidates, *fillers(15)])
    granted = sorted(n.subject_code for n in compiled.nominations if n.title == CSTDCS)
    assert granted == ["CB01", "CB02", "CB04"]
    for code in ("CB03", "CB05"):
        refused = refusal(compiled, code, CSTDCS)
        assert refused.failed_condition.startswith("Xếp thứ ")
        assert (
            "trên 3 suất, ngoài số suất theo tỷ lệ tối đa 15 % của 20 trường hợp đạt danh hiệu "
            "Lao động tiên tiến năm 2018" in (refused.failed_condition)
        )
        assert "chưa kiểm chứng" in refused.failed_condition
    # Initiatives of the capped candidates stay free.
    assert all(
        not n.initiative_identifiers
        for n in compiled.nominations
        if n.subject_code in {"CB03", "CB05"}
    )
    assert (
        nomination(compiled, "CB02", CSTDCS)
        .facts[-1]
        .startswith("Xếp thứ 1 trên 3 suất, trong tỷ lệ")
    )


def _unit_with_ldtt_share(
    code: str, ldtt: int, total: int = 100
) -> tuple[UnitFacts, list[MemberFacts]]:
    members = [
        member(f"{code}-{i:03}", "tot" if i < ldtt else "hoan_thanh", code) for i in range(total)
    ]
    members[0] = member(f"{code}-000", "xuat_sac", code, initiatives=(initiative(f"SK-{code}"),))
    return unit(code, members, "xuat_sac", collective_title=TTLDXS), members


@BOTH
def test_a_unit_with_69_percent_ldtt_is_not_excellent_one_with_70_is(rule_set_id: str) -> None:
    short, short_members = _unit_with_ldtt_share("U69", 69)
    enough, enough_members = _unit_with_ldtt_share("U70", 70)
    compiled = run(rule_set_id, [*short_members, *enough_members], [short, enough])
    # A collective is recognised at one level: the excellent one is not also "tiên tiến".
    assert titles_of(compiled, "U70") == {TTLDXS}
    assert titles_of(compiled, "U69") == {TTLDTT}
    withdrawn = refusal(compiled, "U70", TTLDTT)
    assert withdrawn.failed_condition.startswith(
        "Đạt danh hiệu Tập thể lao động xuất sắc năm 2018, danh hiệu cao hơn; không đồng thời "
        "công nhận danh hiệu Tập thể lao động tiên tiến"
    )
    excellent = nomination(compiled, "U70", TTLDXS)
    assert (
        "70/100 thành viên (70 %) đạt danh hiệu Lao động tiên tiến năm 2018 (yêu cầu từ 70 %)"
        in excellent.facts
    )
    assert any(
        f.startswith("1 thành viên đạt danh hiệu Chiến sĩ thi đua cơ sở năm 2018: ")
        for f in excellent.facts
    )
    assert refusal(compiled, "U69", TTLDXS).failed_condition == (
        "69/100 thành viên (69 %) đạt danh hiệu Lao động tiên tiến năm 2018 (yêu cầu từ 70 %)"
    )


@BOTH
def test_a_unit_needs_more_than_half_ldtt_and_every_phase_approved(rule_set_id: str) -> None:
    half = [member(f"H{i}", "tot" if i < 2 else "hoan_thanh", "HALF") for i in range(4)]
    most = [member(f"M{i}", "tot" if i < 3 else "hoan_thanh", "MOST") for i in range(4)]
    missing = [member(f"X{i}", "tot", "MISS") for i in range(2)]
    units = [
        unit("HALF", half, collective_title=TTLDTT),
        unit("MOST", most, collective_title=TTLDTT),
        UnitFacts("MISS", "Phòng MISS", TTLDTT, "tot", {1: "r1"}, ("X0", "X1")),
    ]
    compiled = run(rule_set_id, [*half, *most, *missing], units)
    assert titles_of(compiled, "MOST") == {TTLDTT}
    assert refusal(compiled, "HALF", TTLDTT).failed_condition == (
        "2/4 thành viên (50 %) đạt danh hiệu Lao động tiên tiến năm 2018 (yêu cầu trên 50 %)"
    )
    assert refusal(compiled, "MISS", TTLDTT).failed_condition == (
        "Không có báo cáo được phê duyệt của đợt 2"
    )
    assert nomination(compiled, "MOST", TTLDTT).facts[0] == (
        "Báo cáo của cả 2 đợt đều được phê duyệt (đợt 1: báo cáo r1-MOST; đợt 2: báo cáo r2-MOST)"
    )


def test_a_member_with_a_warning_keeps_the_unit_from_the_collective_title_under_2013() -> None:
    members = [member(f"W{i}", "tot", "WARN") for i in range(4)]
    members[3] = member("W3", "hoan_thanh", "WARN", discipline="canh_cao", full_name="Trần Thị Lan")
    compiled = run(OLD, members, [unit("WARN", members, collective_title=TTLDTT)])
    assert refusal(compiled, "WARN", TTLDTT).failed_condition == (
        "Có thành viên bị kỷ luật từ mức Cảnh cáo trở lên: Trần Thị Lan (W3): Cảnh cáo"
    )


@BOTH
def test_every_nomination_explains_itself(rule_set_id: str) -> None:
    members = [member("CB01", "xuat_sac", initiatives=(initiative("SK-1"),)), *fillers(10)]
    compiled = run(rule_set_id, members, [unit("PCNTT", members, "xuat_sac")])
    for n in compiled.nominations:
        assert n.citation
        assert n.rule_id
        assert n.facts
        assert n.basis.startswith(n.citation)
        assert all(fact in n.basis for fact in n.facts)


@BOTH
def test_a_registered_title_no_rule_compiles_is_answered(rule_set_id: str) -> None:
    members = [member("CB01", "xuat_sac", title_aimed="giay_khen")]
    units = [unit("PCNTT", members, "xuat_sac", collective_title="co_thi_dua_cap_tinh")]
    compiled = run(rule_set_id, members, units)
    for code, title in (("CB01", "giay_khen"), ("PCNTT", "co_thi_dua_cap_tinh")):
        refused = refusal(compiled, code, title)
        assert refused.rule_id == ""
        assert refused.failed_condition.endswith(
            "đề nghị qua bình xét của cụm thi đua hoặc Hội đồng thi đua – khen thưởng"
        )
