"""Research is a fact of its own, counted where the law counts it; a unit's rating is the
office's where it recorded one at the final review, the unit's own otherwise."""

from dataclasses import replace
from datetime import date

from awards.compile.rules.facts import HistoryFacts, ResearchFact
from services.awards.tests.test_engine import (
    BOTH,
    CSTDCS,
    OLD,
    TTLDXS,
    _unit_with_ldtt_share,
    fillers,
    member,
    nomination,
    refusal,
    run,
    titles_of,
)


def research(identifier: str, level: str = "grassroots") -> ResearchFact:
    return ResearchFact(identifier, f"Đề tài {identifier}", level, 2018, date(2018, 11, 20))


def test_accepted_research_grounds_cstdcs_under_the_2013_law_once() -> None:
    researcher = member("CB01", "tot", title_aimed=CSTDCS, research=(research("ĐT-1"),))
    compiled = run(OLD, [researcher, *fillers(9)])
    granted = nomination(compiled, "CB01", CSTDCS)
    assert (
        "Đề tài khoa học ĐT-1 \u201cĐề tài ĐT-1\u201d được nghiệm thu cấp cơ sở ngày 20/11/2018"
        in granted.facts
    )
    assert granted.initiative_identifiers == ("ĐT-1",)

    used = HistoryFacts(used_initiatives={"ĐT-1": "danh hiệu Bằng khen năm 2017 của CB01"})
    again = run(OLD, [researcher, *fillers(9)], history=used)
    assert CSTDCS not in titles_of(again, "CB01")
    assert "đề tài ĐT-1 đã làm căn cứ cho lần khen thưởng khác" in (
        refusal(again, "CB01", CSTDCS).failed_condition
    )


@BOTH
def test_the_offices_rating_is_the_units_rating_where_it_gave_one(rule_set_id: str) -> None:
    self_rated, members = _unit_with_ldtt_share("U80", 80)
    lowered = replace(self_rated, office_rating="tot")
    compiled = run(rule_set_id, members, [lowered])
    assert TTLDXS not in titles_of(compiled, "U80")
    assert refusal(compiled, "U80", TTLDXS).failed_condition == (
        "Xếp loại Hoàn thành tốt nhiệm vụ (cơ quan thường trực đánh giá khi tổng kết) năm "
        "2018, chưa đạt mức Hoàn thành xuất sắc nhiệm vụ"
    )

    modest = replace(self_rated, rating="tot")
    raised = replace(modest, office_rating="xuat_sac")
    assert TTLDXS not in titles_of(run(rule_set_id, members, [modest]), "U80")
    assert TTLDXS in titles_of(run(rule_set_id, members, [raised]), "U80")
