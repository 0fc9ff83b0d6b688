"""The rule-set catalogue: each legal regime the awards rules follow, with its instruments
(number, date, entry into force), the days it is in force, its transitional provisions, and
where each claim was read.

A claim read only in a secondary page (news, Q&A, a summary) or not read at all carries
`unverified=True` and a note; these flags stay in the data and never reach a document a user
signs. The catalogue is plain data and pure functions, no files: campaigns chooses and checks
a campaign's rule set with it, and awards checks its rule files against it. Adding a regime is
adding its rule file in awards and one entry (and id) here.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class RuleSetId(StrEnum):
    """The wire values of a campaign's `rule_set`; each names an awards rule file."""

    LAW_2013_DECREE_91_2017 = "law-2013-decree-91-2017"
    LAW_2022_DECREE_98_2023 = "law-2022-decree-98-2023"


@dataclass(frozen=True)
class Source:
    """Where a claim was read: the instrument's own text (or a full-text mirror of it) unless
    `unverified`, when only a secondary page said it or nothing could be read."""

    cited: str
    read_at: str = ""
    unverified: bool = False
    note: str = ""


@dataclass(frozen=True)
class Instrument:
    kind: str
    number: str
    title: str
    issued_on: date | None
    in_force_from: date | None
    source: Source


@dataclass(frozen=True)
class Provision:
    """A transitional provision, with what it says in short (in Vietnamese)."""

    cited: str
    says: str
    source: Source


@dataclass(frozen=True)
class RuleSetEntry:
    id: RuleSetId
    name: str
    instruments: tuple[Instrument, ...]
    in_force_from: date
    # The last day in force, inclusive; None while nothing replaces the regime.
    in_force_until: date | None
    in_force_sources: tuple[Source, ...]
    transitional: tuple[Provision, ...] = ()

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def period(self) -> str:
        until = f" to {vn_date(self.in_force_until)}" if self.in_force_until else ""
        return f"from {vn_date(self.in_force_from)}{until}"


def vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


_VBPL_2003 = "https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=19415"
_LAW_2022_CHAPTER_VIII = (
    "https://vi.wikisource.org/wiki/Lu%E1%BA%ADt_Thi_%C4%91ua,_khen_th%C6%B0%E1%BB%9Fng_"
    "n%C6%B0%E1%BB%9Bc_C%E1%BB%99ng_h%C3%B2a_x%C3%A3_h%E1%BB%99i_ch%E1%BB%A7_ngh%C4%A9a_"
    "Vi%E1%BB%87t_Nam_2022/Ch%C6%B0%C6%A1ng_VIII"
)
_DECREE_98_TEXT = (
    "https://hethongphapluat.com/decree-no-98-2023-nd-cp-dated-december-31-2023-on-"
    "elaboration-on-the-law-on-emulation-and-commendation.html"
)
_DECREE_98_REPLACES_91 = "https://hoivdap.com/nghi-dinh-91-2023-ve-hop-phap-hoa-lanh-su-nam-2024"
_DECREE_91_IN_FORCE = (
    "https://lawnet.vn/thong-tin-phap-luat/en/thong-bao-van-ban-moi/"
    "from-october-01-awarding-the-labor-medal-to-farmers-and-workers-160387.html"
)

_LAW_2022_ARTICLE_94 = Source(
    "Điều 94 Luật Thi đua, khen thưởng số 06/2022/QH15",
    _LAW_2022_CHAPTER_VIII,
    note="Khoản 1: Luật có hiệu lực từ 01/01/2024. Khoản 2: Luật số 15/2003/QH11 (sửa đổi, bổ "
    "sung bởi các Luật số 47/2005/QH11, 32/2009/QH12, 39/2013/QH13) hết hiệu lực từ ngày đó.",
)
_DECREE_98_IN_FORCE = Source(
    "Nghị định số 98/2023/NĐ-CP, điều về hiệu lực thi hành",
    _DECREE_98_REPLACES_91,
    unverified=True,
    note="Hiệu lực từ 01/01/2024, thay thế Nghị định số 91/2017/NĐ-CP: đọc trong bài giới thiệu "
    "Nghị định, chưa đọc được điều khoản hiệu lực trong văn bản.",
)

LAW_2013_DECREE_91_2017 = RuleSetEntry(
    id=RuleSetId.LAW_2013_DECREE_91_2017,
    name="Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung năm 2013) và Nghị định 91/2017/NĐ-CP",
    instruments=(
        Instrument(
            "Luật",
            "15/2003/QH11",
            "Luật Thi đua, khen thưởng",
            date(2003, 11, 26),
            date(2004, 7, 1),
            Source("Văn bản Luật số 15/2003/QH11 và thuộc tính hiệu lực", _VBPL_2003),
        ),
        Instrument(
            "Luật",
            "47/2005/QH11",
            "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng",
            date(2005, 6, 14),
            None,
            Source(
                "Phần căn cứ của dự thảo Nghị định hướng dẫn Luật Thi đua, khen thưởng (2016)",
                "https://luatminhkhue.vn/nghi-dinh-huong-dan-luat-thi-dua-khen-thuong-2016.aspx",
                unverified=True,
                note="Ngày ban hành đọc từ phần căn cứ của một dự thảo; ngày hiệu lực chưa đọc.",
            ),
        ),
        Instrument(
            "Luật",
            "32/2009/QH12",
            "Luật sửa đổi, bổ sung (số hiệu theo khoản 2 Điều 94 Luật số 06/2022/QH15)",
            None,
            None,
            Source(
                "Khoản 2 Điều 94 Luật số 06/2022/QH15",
                _LAW_2022_CHAPTER_VIII,
                unverified=True,
                note="Chỉ đọc được số hiệu; ngày ban hành và hiệu lực chưa đọc.",
            ),
        ),
        Instrument(
            "Luật",
            "39/2013/QH13",
            "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng",
            date(2013, 11, 16),
            date(2014, 6, 1),
            Source(
                "Bản sao văn bản Luật số 39/2013/QH13 trên một trang tổng hợp",
                "https://pwqy.edu.vn/luat-thi-dua-khen-thuong-2013-luat-so-39-2013-qh13.html",
                unverified=True,
                note="Đọc một phần trên trang không chính thức.",
            ),
        ),
        Instrument(
            "Nghị định",
            "91/2017/NĐ-CP",
            "Quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
            date(2017, 7, 31),
            date(2017, 10, 1),
            Source(
                "Nghị định số 91/2017/NĐ-CP, điều về hiệu lực thi hành",
                _DECREE_91_IN_FORCE,
                unverified=True,
                note="Ngày ban hành 31/7/2017 đọc trong phần căn cứ của các văn bản dẫn chiếu; "
                "hiệu lực từ 01/10/2017 đọc trong một bản tin, chưa đọc điều khoản hiệu lực.",
            ),
        ),
    ),
    in_force_from=date(2017, 10, 1),
    in_force_until=date(2023, 12, 31),
    in_force_sources=(
        Source(
            "Hiệu lực của Nghị định số 91/2017/NĐ-CP",
            _DECREE_91_IN_FORCE,
            unverified=True,
            note="Trước ngày này, Luật được hướng dẫn bởi các nghị định khác (không có trong "
            "danh mục): một chiến dịch xét trước đó không có bộ quy tắc.",
        ),
        _LAW_2022_ARTICLE_94,
        _DECREE_98_IN_FORCE,
    ),
)

LAW_2022_DECREE_98_2023 = RuleSetEntry(
    id=RuleSetId.LAW_2022_DECREE_98_2023,
    name="Luật Thi đua, khen thưởng 2022 và Nghị định 98/2023/NĐ-CP",
    instruments=(
        Instrument(
            "Luật",
            "06/2022/QH15",
            "Luật Thi đua, khen thưởng",
            date(2022, 6, 15),
            date(2024, 1, 1),
            _LAW_2022_ARTICLE_94,
        ),
        Instrument(
            "Nghị định",
            "98/2023/NĐ-CP",
            "Quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
            date(2023, 12, 31),
            date(2024, 1, 1),
            Source(
                "Văn bản Nghị định số 98/2023/NĐ-CP (phần đầu)",
                _DECREE_98_TEXT,
                unverified=True,
                note="Số hiệu và ngày ban hành đọc trong văn bản; hiệu lực 01/01/2024 chỉ đọc "
                "trong bài giới thiệu Nghị định.",
            ),
        ),
    ),
    in_force_from=date(2024, 1, 1),
    in_force_until=None,
    in_force_sources=(_LAW_2022_ARTICLE_94, _DECREE_98_IN_FORCE),
    transitional=(
        Provision(
            "Điều 95 Luật Thi đua, khen thưởng số 06/2022/QH15 (Điều khoản chuyển tiếp)",
            "Nhà nước tiếp tục công nhận và bảo hộ danh hiệu thi đua, hình thức khen thưởng đã "
            "được tặng hoặc truy tặng trước ngày Luật có hiệu lực; chế độ, quyền lợi kèm theo "
            "được tiếp tục thực hiện. Danh hiệu đã tặng trước 01/01/2024 vẫn được tính trong "
            "lịch sử khen thưởng (chuỗi năm liên tục).",
            Source("Điều 95 Luật số 06/2022/QH15", _LAW_2022_CHAPTER_VIII),
        ),
        Provision(
            "Điều 96 Luật Thi đua, khen thưởng số 06/2022/QH15",
            "Khen thưởng tổng kết thành tích kháng chiến; không quy định về hồ sơ đề nghị khen "
            "thưởng đang xét dở. Luật không giữ luật cũ cho hồ sơ chưa quyết định.",
            Source(
                "Điều 96 Luật số 06/2022/QH15",
                _LAW_2022_CHAPTER_VIII,
                unverified=True,
                note="Đọc được khoản 1 và phần đầu khoản 2.",
            ),
        ),
        Provision(
            "Nghị định số 98/2023/NĐ-CP, điều khoản chuyển tiếp (số điều chưa xác định)",
            "Chưa đọc được. Nếu Nghị định giữ Nghị định số 91/2017/NĐ-CP cho hồ sơ cơ quan có "
            "thẩm quyền đã tiếp nhận trước 01/01/2024, chiến dịch kết thúc trước ngày đó vẫn "
            "được chọn bộ quy tắc cũ (xem applicable_rule_sets).",
            Source(
                "Nghị định số 98/2023/NĐ-CP",
                _DECREE_98_TEXT,
                unverified=True,
                note="Chỉ đọc được phần đầu văn bản.",
            ),
        ),
    ),
)

CATALOGUE: dict[RuleSetId, RuleSetEntry] = {
    entry.id: entry for entry in (LAW_2013_DECREE_91_2017, LAW_2022_DECREE_98_2023)
}

# Awards for a period are considered in its last weeks or within about three months after it
# (for a yearly movement, the tổng kết early the next year). An assumption, not a legal term:
# it bounds which regimes a campaign may choose.
CONSIDERATION_WINDOW = timedelta(days=90)


class NoRuleSetInForce(LookupError):
    pass


def in_force_on(day: date) -> RuleSetEntry | None:
    return next((entry for entry in CATALOGUE.values() if entry.in_force_on(day)), None)


def default_consideration_date(period_end: date) -> date:
    """The day after the period ends: the earliest day its final review allows the awards to be
    considered; for a yearly movement (to 31/12), the start of the next year."""
    return period_end + timedelta(days=1)


def rule_set_for(period_end: date, considered_on: date | None = None) -> RuleSetEntry:
    """The regime under which the awards for a period ending on `period_end` are considered.

    Awards follow the regime in force on the day they are considered, for whatever period the
    achievements belong to. Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 94: in force from
    01/01/2024, and the 2003 law (as amended in 2005, 2009 and 2013) ceases that day. Its
    transitional article, Điều 95, keeps only the titles and awards already conferred (they still
    count in the award history); neither it nor Điều 96 keeps the old law for a dossier not yet
    decided. So a 2023 movement considered in January 2024 follows the 2022 law and Nghị định
    98/2023/NĐ-CP, and one considered in December 2023 the old regime. Nghị định 98/2023's own
    transitional article could not be read (marked unverified in the catalogue); should it keep
    Nghị định 91/2017/NĐ-CP for dossiers received before 01/01/2024, `applicable_rule_sets`
    already lets such a campaign choose the old rule set.

    Without `considered_on`, the day after the period ends (`default_consideration_date`).
    """
    day = considered_on or default_consideration_date(period_end)
    entry = in_force_on(day)
    if entry is None:
        raise NoRuleSetInForce(
            f"No rule set is in force on {vn_date(day)}; the catalogue covers "
            + "; ".join(f"{e.id} {e.period()}" for e in CATALOGUE.values())
            + "."
        )
    return entry


def applicable_rule_sets(period_end: date) -> tuple[RuleSetEntry, ...]:
    """The regimes in force on some day the awards for the period may be considered: from its
    last day to `CONSIDERATION_WINDOW` after it, in catalogue order."""
    last = period_end + CONSIDERATION_WINDOW
    return tuple(
        entry
        for entry in CATALOGUE.values()
        if entry.in_force_from <= last
        and (entry.in_force_until is None or entry.in_force_until >= period_end)
    )
