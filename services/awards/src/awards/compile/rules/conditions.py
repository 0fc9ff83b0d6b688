"""Each condition of the rule vocabulary as a plain function over the facts: it answers
passed or not, with the Vietnamese line naming the facts it read, and the initiatives it
would use as grounds."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from awards.compile.rules.facts import (
    PERSON,
    UNIT,
    HistoryFacts,
    InitiativeFact,
    MemberFacts,
    ResearchFact,
    UnitFacts,
)
from awards.compile.rules.ruleset import (
    AnyOf,
    AtLeastNMembersWithTitle,
    Comparison,
    Condition,
    ConsecutiveYearsWithTitle,
    HoldsTitleThisYear,
    InitiativeAtLevel,
    NoDisciplineAtOrAbove,
    NotUnderInvestigation,
    RatingAtLeast,
    ReportsApprovedEveryPhase,
    ResearchAtLevel,
    ShareOfMembersRatingAtLeast,
    ShareOfMembersWithTitle,
)
from thidua_shared.contracts.vocabulary import (
    DISCIPLINE_RANK,
    DISCIPLINES,
    INITIATIVE_LEVELS,
    LEVEL_RANK,
    RATING_RANK,
    TASK_RATINGS,
    TITLES,
    Discipline,
)

COMPARISON_WORDS = {"gt": "trên", "ge": "từ", "eq": "đủ"}

Subject = MemberFacts | UnitFacts
# What an award may use up as its grounds: an initiative, or accepted research.
Grounds = InitiativeFact | ResearchFact


@dataclass(frozen=True, slots=True)
class Verdict:
    passed: bool
    line: str
    consumes: tuple[Grounds, ...] = ()


@dataclass(slots=True)
class Context:
    """What the compilation knows when it evaluates a rule: titles already awarded this year
    by earlier rules, and the initiatives already used as grounds."""

    year: int
    phases_total: int
    members: Mapping[str, MemberFacts]
    history: HistoryFacts
    awarded: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    used_initiatives: dict[str, str] = field(default_factory=dict)

    def holds(self, kind: str, code: str, title: str) -> bool:
        return title in self.awarded.get((kind, code), ())


Evaluator = Callable[[Any, Subject, Context], Verdict]


def evaluate(condition: Condition, subject: Subject, context: Context) -> Verdict:
    return _EVALUATORS[type(condition)](condition, subject, context)


def evaluator(condition: Condition) -> Evaluator:
    """The function that evaluates the condition, looked up once per rule."""
    return _EVALUATORS[type(condition)]


def title_name(title: str) -> str:
    return TITLES.get(title, title)


def percent_text(value: Fraction | float) -> str:
    text = f"{float(value):.1f}".replace(".", ",")
    return text.removesuffix(",0")


def _kind(subject: Subject) -> str:
    return PERSON if isinstance(subject, MemberFacts) else UNIT


def _members(subject: UnitFacts, context: Context) -> list[MemberFacts]:
    return [context.members[code] for code in subject.member_codes if code in context.members]


def _rating_at_least(condition: RatingAtLeast, subject: Subject, context: Context) -> Verdict:
    required = TASK_RATINGS[condition.rating]
    if isinstance(subject, MemberFacts):
        rating, where = subject.task_rating, f"trong báo cáo {subject.evaluated_in}"
    elif subject.office_rating is not None:
        # The assessing body's rating: the office's, recorded at the final review.
        rating, where = subject.office_rating, "(cơ quan thường trực đánh giá khi tổng kết)"
    else:
        rating, where = subject.rating, "(đơn vị tự đánh giá trong báo cáo tổng kết)"
    if rating is None:
        return Verdict(False, f"Chưa có xếp loại năm {context.year} (cần {required} trở lên)")
    line = f"Xếp loại {TASK_RATINGS.get(rating, rating)} {where} năm {context.year}"
    if RATING_RANK.get(rating, -1) >= RATING_RANK[condition.rating]:
        return Verdict(True, line)
    return Verdict(False, f"{line}, chưa đạt mức {required}")


def _holds_title(condition: HoldsTitleThisYear, subject: Subject, context: Context) -> Verdict:
    name = title_name(condition.title)
    if context.holds(_kind(subject), _code(subject), condition.title):
        return Verdict(True, f"Đạt danh hiệu {name} năm {context.year}")
    return Verdict(False, f"Không đạt danh hiệu {name} năm {context.year}")


def _code(subject: Subject) -> str:
    return subject.staff_code if isinstance(subject, MemberFacts) else subject.unit_code


def _no_discipline(condition: NoDisciplineAtOrAbove, subject: Subject, context: Context) -> Verdict:
    threshold = DISCIPLINE_RANK[condition.discipline]
    threshold_name = DISCIPLINES[condition.discipline]
    if isinstance(subject, MemberFacts):
        discipline = subject.discipline
        if DISCIPLINE_RANK.get(discipline, 0) >= threshold:
            return Verdict(
                False, f"Bị kỷ luật {DISCIPLINES.get(discipline, discipline)} năm {context.year}"
            )
        if discipline == Discipline.NONE:
            return Verdict(True, f"Không bị kỷ luật trong năm {context.year}")
        return Verdict(
            True,
            f"Kỷ luật {DISCIPLINES.get(discipline, discipline)}, dưới mức {threshold_name}",
        )
    offenders = [
        m for m in _members(subject, context) if DISCIPLINE_RANK.get(m.discipline, 0) >= threshold
    ]
    if offenders:
        named = ", ".join(
            f"{m.full_name} ({m.staff_code}): {DISCIPLINES.get(m.discipline, m.discipline)}"
            for m in offenders
        )
        return Verdict(False, f"Có thành viên bị kỷ luật từ mức {threshold_name} trở lên: {named}")
    return Verdict(True, f"Không có thành viên bị kỷ luật từ mức {threshold_name} trở lên")


def _not_investigated(
    condition: NotUnderInvestigation, subject: Subject, context: Context
) -> Verdict:
    assert isinstance(subject, MemberFacts)
    if subject.under_investigation:
        return Verdict(False, "Đang trong thời gian bị xem xét kỷ luật, điều tra, thanh tra")
    return Verdict(True, "Không trong thời gian bị xem xét kỷ luật, điều tra, thanh tra")


def _consecutive(
    condition: ConsecutiveYearsWithTitle, subject: Subject, context: Context
) -> Verdict:
    kind, code, name = _kind(subject), _code(subject), title_name(condition.title)
    year = context.year
    if not context.holds(kind, code, condition.title):
        return Verdict(
            False, f"Không đạt danh hiệu {name} năm {year} nên chuỗi năm liên tục bị ngắt"
        )
    held = context.history.years_held.get((kind, code, condition.title), frozenset())
    chain = [year]
    while len(chain) < condition.years and (year - 1) in held:
        year -= 1
        chain.append(year)
    years = ", ".join(str(y) for y in sorted(chain))
    if len(chain) >= condition.years:
        return Verdict(True, f"Đạt danh hiệu {name} {condition.years} năm liên tục: {years}")
    return Verdict(
        False,
        f"Chỉ đạt danh hiệu {name} {len(chain)} năm liên tục ({years}), cần {condition.years} năm",
    )


def _initiative(condition: InitiativeAtLevel, subject: Subject, context: Context) -> Verdict:
    assert isinstance(subject, MemberFacts)
    level_name = INITIATIVE_LEVELS[condition.level].lower()
    eligible = [
        i for i in subject.initiatives if LEVEL_RANK.get(i.level, 0) >= LEVEL_RANK[condition.level]
    ]
    free = [i for i in eligible if i.identifier not in context.used_initiatives]
    # The lowest-level initiatives are used first, so the higher ones stay for higher titles.
    free.sort(key=lambda i: (LEVEL_RANK.get(i.level, 0), i.identifier))
    if len(free) >= condition.count:
        chosen = tuple(free[: condition.count])
        described = "; ".join(
            f"Sáng kiến {i.identifier} \u201c{i.title}\u201d được công nhận "
            f"{INITIATIVE_LEVELS.get(i.level, i.level).lower()} năm {i.year}"
            for i in chosen
        )
        return Verdict(True, described, chosen)
    used = [
        f"{i.identifier} đã làm căn cứ cho {context.used_initiatives[i.identifier]}"
        for i in eligible
        if i.identifier in context.used_initiatives
    ]
    line = (
        f"Không có đủ {condition.count} sáng kiến được công nhận từ {level_name} trở lên "
        "chưa dùng làm căn cứ khen thưởng"
    )
    if used:
        line += (
            f" (sáng kiến {'; '.join(used)}; mỗi sáng kiến chỉ làm căn cứ cho một lần khen thưởng)"
        )
    return Verdict(False, line)


def _research(condition: ResearchAtLevel, subject: Subject, context: Context) -> Verdict:
    assert isinstance(subject, MemberFacts)
    level_name = INITIATIVE_LEVELS[condition.level].lower()
    eligible = [
        r for r in subject.research if LEVEL_RANK.get(r.level, 0) >= LEVEL_RANK[condition.level]
    ]
    free = [r for r in eligible if r.identifier not in context.used_initiatives]
    free.sort(key=lambda r: (LEVEL_RANK.get(r.level, 0), r.identifier))
    if len(free) >= condition.count:
        chosen = tuple(free[: condition.count])
        described = "; ".join(
            f"Đề tài khoa học {r.identifier} \u201c{r.title}\u201d được nghiệm thu "
            f"{INITIATIVE_LEVELS.get(r.level, r.level).lower()}"
            + (f" ngày {r.accepted_on:%d/%m/%Y}" if r.accepted_on else f" năm {r.year}")
            for r in chosen
        )
        return Verdict(True, described, chosen)
    line = (
        f"Không có đủ {condition.count} đề tài khoa học được nghiệm thu từ {level_name} trở "
        "lên chưa dùng làm căn cứ khen thưởng"
    )
    used = [r.identifier for r in eligible if r.identifier in context.used_initiatives]
    if used:
        line += f" (đề tài {', '.join(used)} đã làm căn cứ cho lần khen thưởng khác)"
    return Verdict(False, line)


def compare(count: int, total: int, op: Comparison, percent: float) -> bool:
    share, wanted = Fraction(count, total), Fraction(str(percent)) / 100
    if op == "gt":
        return share > wanted
    if op == "ge":
        return share >= wanted
    return share == wanted


def _share(
    subject: Subject,
    context: Context,
    counted: Callable[[MemberFacts], bool],
    what: str,
    op: Comparison,
    percent: float,
) -> Verdict:
    assert isinstance(subject, UnitFacts)
    members = _members(subject, context)
    requirement = f"yêu cầu {COMPARISON_WORDS[op]} {percent_text(percent)} %"
    if not members:
        return Verdict(False, f"Đơn vị không có thành viên đăng ký ({requirement})")
    count = sum(1 for m in members if counted(m))
    share = Fraction(count, len(members)) * 100
    line = f"{count}/{len(members)} thành viên ({percent_text(share)} %) {what} ({requirement})"
    return Verdict(compare(count, len(members), op, percent), line)


def _share_with_title(
    condition: ShareOfMembersWithTitle, subject: Subject, context: Context
) -> Verdict:
    title = condition.title
    return _share(
        subject,
        context,
        lambda m: context.holds(PERSON, m.staff_code, title),
        f"đạt danh hiệu {title_name(title)} năm {context.year}",
        condition.op,
        condition.percent,
    )


def _share_rating(
    condition: ShareOfMembersRatingAtLeast, subject: Subject, context: Context
) -> Verdict:
    wanted = RATING_RANK[condition.rating]
    return _share(
        subject,
        context,
        lambda m: RATING_RANK.get(m.task_rating or "", -1) >= wanted,
        f"xếp loại từ {TASK_RATINGS[condition.rating]} trở lên",
        condition.op,
        condition.percent,
    )


def _at_least_n(condition: AtLeastNMembersWithTitle, subject: Subject, context: Context) -> Verdict:
    assert isinstance(subject, UnitFacts)
    holders = [
        m
        for m in _members(subject, context)
        if context.holds(PERSON, m.staff_code, condition.title)
    ]
    name = title_name(condition.title)
    named = ", ".join(f"{m.full_name} ({m.staff_code})" for m in holders)
    line = f"{len(holders)} thành viên đạt danh hiệu {name} năm {context.year}" + (
        f": {named}" if named else ""
    )
    return Verdict(len(holders) >= condition.n, f"{line} (yêu cầu ít nhất {condition.n})")


def _reports_approved(
    condition: ReportsApprovedEveryPhase, subject: Subject, context: Context
) -> Verdict:
    assert isinstance(subject, UnitFacts)
    phases = range(1, context.phases_total + 1)
    missing = [p for p in phases if p not in subject.approved_reports]
    if missing:
        listed = ", ".join(str(p) for p in missing)
        return Verdict(False, f"Không có báo cáo được phê duyệt của đợt {listed}")
    evidence = "; ".join(f"đợt {p}: báo cáo {subject.approved_reports[p]}" for p in phases)
    if context.phases_total == 1:
        return Verdict(True, f"Báo cáo của đợt thi đua duy nhất được phê duyệt ({evidence})")
    return Verdict(
        True, f"Báo cáo của cả {context.phases_total} đợt đều được phê duyệt ({evidence})"
    )


def _any_of(condition: AnyOf, subject: Subject, context: Context) -> Verdict:
    failures = []
    for alternative in condition.conditions:
        verdict = evaluate(alternative, subject, context)
        if verdict.passed:
            return verdict
        failures.append(verdict.line)
    return Verdict(
        False, "Không đáp ứng điều kiện nào trong các điều kiện thay thế: " + "; ".join(failures)
    )


_EVALUATORS: dict[type[Any], Evaluator] = {
    RatingAtLeast: _rating_at_least,
    HoldsTitleThisYear: _holds_title,
    NoDisciplineAtOrAbove: _no_discipline,
    NotUnderInvestigation: _not_investigated,
    ConsecutiveYearsWithTitle: _consecutive,
    InitiativeAtLevel: _initiative,
    ResearchAtLevel: _research,
    ShareOfMembersWithTitle: _share_with_title,
    ShareOfMembersRatingAtLeast: _share_rating,
    AtLeastNMembersWithTitle: _at_least_n,
    ReportsApprovedEveryPhase: _reports_approved,
    AnyOf: _any_of,
}
