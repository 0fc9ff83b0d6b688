"""Each condition of the rule vocabulary as a plain function over the facts: it answers
passed or not, with the Vietnamese line naming the facts it read, and the initiatives it
would use as grounds.

The line is built only when asked (`explain`): most verdicts of a province are never written
(a member not registered for a title is not told why they missed it, and surveying a cap
writes nothing), and the lines cost more than the decisions."""

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from awards.compile.rules.facts import (
    PERSON,
    UNIT,
    MemberFacts,
    UnitFacts,
)
from awards.compile.rules.grounds import initiative_at_level, research_at_level
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
from awards.compile.rules.verdicts import (
    FAILED,
    Context,
    Evaluator,
    Subject,
    Verdict,
    unexplained,
)
from thidua_shared.contracts.vocabulary import (
    DISCIPLINE_RANK,
    DISCIPLINES,
    RATING_RANK,
    TASK_RATINGS,
    TITLES,
    Discipline,
)

COMPARISON_WORDS = {"gt": "trên", "ge": "từ", "eq": "đủ"}


def evaluate(
    condition: Condition, subject: Subject, context: Context, explain: bool = True
) -> Verdict:
    return _EVALUATORS[type(condition)](condition, subject, context, explain)


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


def _rating_at_least(
    condition: RatingAtLeast, subject: Subject, context: Context, explain: bool
) -> Verdict:
    if isinstance(subject, MemberFacts):
        rating = subject.task_rating
    elif subject.office_rating is not None:
        # The assessing body's rating: the office's, recorded at the final review.
        rating = subject.office_rating
    else:
        rating = subject.rating
    if not explain:
        return unexplained(
            rating is not None and RATING_RANK.get(rating, -1) >= RATING_RANK[condition.rating]
        )
    required = TASK_RATINGS[condition.rating]
    if isinstance(subject, MemberFacts):
        where = f"trong báo cáo {subject.evaluated_in}"
    elif subject.office_rating is not None:
        where = "(cơ quan thường trực đánh giá khi tổng kết)"
    else:
        where = "(đơn vị tự đánh giá trong báo cáo tổng kết)"
    if rating is None:
        return Verdict(False, f"Chưa có xếp loại năm {context.year} (cần {required} trở lên)")
    line = f"Xếp loại {TASK_RATINGS.get(rating, rating)} {where} năm {context.year}"
    if RATING_RANK.get(rating, -1) >= RATING_RANK[condition.rating]:
        return Verdict(True, line)
    return Verdict(False, f"{line}, chưa đạt mức {required}")


def _holds_title(
    condition: HoldsTitleThisYear, subject: Subject, context: Context, explain: bool
) -> Verdict:
    held = context.holds(_kind(subject), _code(subject), condition.title)
    if not explain:
        return unexplained(held)
    name = title_name(condition.title)
    if held:
        return Verdict(True, f"Đạt danh hiệu {name} năm {context.year}")
    return Verdict(False, f"Không đạt danh hiệu {name} năm {context.year}")


def _code(subject: Subject) -> str:
    return subject.staff_code if isinstance(subject, MemberFacts) else subject.unit_code


def _no_discipline(
    condition: NoDisciplineAtOrAbove, subject: Subject, context: Context, explain: bool
) -> Verdict:
    threshold = DISCIPLINE_RANK[condition.discipline]
    if isinstance(subject, MemberFacts):
        discipline = subject.discipline
        if not explain:
            return unexplained(DISCIPLINE_RANK.get(discipline, 0) < threshold)
        threshold_name = DISCIPLINES[condition.discipline]
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
    if not explain:
        return unexplained(not offenders)
    threshold_name = DISCIPLINES[condition.discipline]
    if offenders:
        named = ", ".join(
            f"{m.full_name} ({m.staff_code}): {DISCIPLINES.get(m.discipline, m.discipline)}"
            for m in offenders
        )
        return Verdict(False, f"Có thành viên bị kỷ luật từ mức {threshold_name} trở lên: {named}")
    return Verdict(True, f"Không có thành viên bị kỷ luật từ mức {threshold_name} trở lên")


_INVESTIGATED = Verdict(False, "Đang trong thời gian bị xem xét kỷ luật, điều tra, thanh tra")
_NOT_INVESTIGATED = Verdict(True, "Không trong thời gian bị xem xét kỷ luật, điều tra, thanh tra")


def _not_investigated(
    condition: NotUnderInvestigation, subject: Subject, context: Context, explain: bool
) -> Verdict:
    assert isinstance(subject, MemberFacts)
    if not explain:
        return unexplained(not subject.under_investigation)
    return _INVESTIGATED if subject.under_investigation else _NOT_INVESTIGATED


def _consecutive(
    condition: ConsecutiveYearsWithTitle, subject: Subject, context: Context, explain: bool
) -> Verdict:
    kind, code, name = _kind(subject), _code(subject), title_name(condition.title)
    year = context.year
    if not context.holds(kind, code, condition.title):
        if not explain:
            return FAILED
        return Verdict(
            False, f"Không đạt danh hiệu {name} năm {year} nên chuỗi năm liên tục bị ngắt"
        )
    held = context.history.years_held.get((kind, code, condition.title), frozenset())
    chain = [year]
    while len(chain) < condition.years and (year - 1) in held:
        year -= 1
        chain.append(year)
    if not explain:
        return unexplained(len(chain) >= condition.years)
    years = ", ".join(str(y) for y in sorted(chain))
    if len(chain) >= condition.years:
        return Verdict(True, f"Đạt danh hiệu {name} {condition.years} năm liên tục: {years}")
    return Verdict(
        False,
        f"Chỉ đạt danh hiệu {name} {len(chain)} năm liên tục ({years}), cần {condition.years} năm",
    )


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
    explain: bool,
) -> Verdict:
    assert isinstance(subject, UnitFacts)
    members = _members(subject, context)
    if not explain:
        return unexplained(
            bool(members)
            and compare(sum(1 for m in members if counted(m)), len(members), op, percent)
        )
    requirement = f"yêu cầu {COMPARISON_WORDS[op]} {percent_text(percent)} %"
    if not members:
        return Verdict(False, f"Đơn vị không có thành viên đăng ký ({requirement})")
    count = sum(1 for m in members if counted(m))
    share = Fraction(count, len(members)) * 100
    line = f"{count}/{len(members)} thành viên ({percent_text(share)} %) {what} ({requirement})"
    return Verdict(compare(count, len(members), op, percent), line)


def _share_with_title(
    condition: ShareOfMembersWithTitle, subject: Subject, context: Context, explain: bool
) -> Verdict:
    title = condition.title
    return _share(
        subject,
        context,
        lambda m: context.holds(PERSON, m.staff_code, title),
        f"đạt danh hiệu {title_name(title)} năm {context.year}",
        condition.op,
        condition.percent,
        explain,
    )


def _share_rating(
    condition: ShareOfMembersRatingAtLeast, subject: Subject, context: Context, explain: bool
) -> Verdict:
    wanted = RATING_RANK[condition.rating]
    return _share(
        subject,
        context,
        lambda m: RATING_RANK.get(m.task_rating or "", -1) >= wanted,
        f"xếp loại từ {TASK_RATINGS[condition.rating]} trở lên",
        condition.op,
        condition.percent,
        explain,
    )


def _at_least_n(
    condition: AtLeastNMembersWithTitle, subject: Subject, context: Context, explain: bool
) -> Verdict:
    assert isinstance(subject, UnitFacts)
    holders = [
        m
        for m in _members(subject, context)
        if context.holds(PERSON, m.staff_code, condition.title)
    ]
    if not explain:
        return unexplained(len(holders) >= condition.n)
    name = title_name(condition.title)
    named = ", ".join(f"{m.full_name} ({m.staff_code})" for m in holders)
    line = f"{len(holders)} thành viên đạt danh hiệu {name} năm {context.year}" + (
        f": {named}" if named else ""
    )
    return Verdict(len(holders) >= condition.n, f"{line} (yêu cầu ít nhất {condition.n})")


def _reports_approved(
    condition: ReportsApprovedEveryPhase, subject: Subject, context: Context, explain: bool
) -> Verdict:
    assert isinstance(subject, UnitFacts)
    phases = range(1, context.phases_total + 1)
    missing = [p for p in phases if p not in subject.approved_reports]
    if not explain:
        return unexplained(not missing)
    if missing:
        listed = ", ".join(str(p) for p in missing)
        return Verdict(False, f"Không có báo cáo được phê duyệt của đợt {listed}")
    evidence = "; ".join(f"đợt {p}: báo cáo {subject.approved_reports[p]}" for p in phases)
    if context.phases_total == 1:
        return Verdict(True, f"Báo cáo của đợt thi đua duy nhất được phê duyệt ({evidence})")
    return Verdict(
        True, f"Báo cáo của cả {context.phases_total} đợt đều được phê duyệt ({evidence})"
    )


def _any_of(condition: AnyOf, subject: Subject, context: Context, explain: bool) -> Verdict:
    failures = []
    for alternative in condition.conditions:
        verdict = evaluate(alternative, subject, context, explain)
        if verdict.passed:
            return verdict
        failures.append(verdict.line)
    if not explain:
        return FAILED
    return Verdict(
        False, "Không đáp ứng điều kiện nào trong các điều kiện thay thế: " + "; ".join(failures)
    )


_EVALUATORS: dict[type[Any], Evaluator] = {
    RatingAtLeast: _rating_at_least,
    HoldsTitleThisYear: _holds_title,
    NoDisciplineAtOrAbove: _no_discipline,
    NotUnderInvestigation: _not_investigated,
    ConsecutiveYearsWithTitle: _consecutive,
    InitiativeAtLevel: initiative_at_level,
    ResearchAtLevel: research_at_level,
    ShareOfMembersWithTitle: _share_with_title,
    ShareOfMembersRatingAtLeast: _share_rating,
    AtLeastNMembersWithTitle: _at_least_n,
    ReportsApprovedEveryPhase: _reports_approved,
    AnyOf: _any_of,
}
