"""A report's content checked against the unit's approved registration, ready to be stored.

Results carry their commitment's target and the computed % of target; evaluations carry the
registered member's name, gender and aimed title. `complete` is asked at submission: then
every commitment needs a result and, in the final review, every registered member an
evaluation or a place among those who left.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from reports.content_schemas import MemberEvaluationIn, MemberLeftIn, ReportContent, ResultIn
from reports.models import Registration, Report
from reports.percent import percent_of_target
from thidua_shared.contracts.pledges import Commitment, RegisteredMember
from thidua_shared.contracts.vocabulary import ReportKind
from thidua_shared.platform.errors import Unprocessable


@dataclass(frozen=True)
class StoredContent:
    results: list[dict[str, Any]]
    member_evaluations: list[dict[str, Any]]
    members_left: list[dict[str, Any]]


def content_of(report: Report) -> ReportContent:
    """What was given for a stored report, to be checked again."""

    def given(model: type[BaseModel], stored: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in stored.items() if k in model.model_fields}

    return ReportContent(
        summary=report.summary,
        self_assessment=report.self_assessment,
        results=[ResultIn.model_validate(given(ResultIn, r)) for r in report.results],
        member_evaluations=[
            MemberEvaluationIn.model_validate(given(MemberEvaluationIn, e))
            for e in report.member_evaluations
        ],
        members_left=[
            MemberLeftIn.model_validate(given(MemberLeftIn, m)) for m in report.members_left
        ],
    )


def registered_members(registration: Registration) -> dict[str, RegisteredMember]:
    members = (RegisteredMember.model_validate(m) for m in registration.members)
    return {m.staff_code: m for m in members}


def checked_content(
    content: ReportContent, registration: Registration, *, kind: str, complete: bool
) -> StoredContent:
    commitments = [Commitment.model_validate(c) for c in registration.commitments]
    results = _results(content.results, commitments, complete=complete)
    if kind != ReportKind.FINAL:
        for field, given in (
            ("member_evaluations", content.member_evaluations),
            ("members_left", content.members_left),
        ):
            if given:
                raise Unprocessable(
                    "Members are evaluated in the final review (tổng kết) only.", field=field
                )
        return StoredContent(results, [], [])
    members = registered_members(registration)
    evaluations = _evaluations(content.member_evaluations, members, registration.unit_code)
    left = _left(content.members_left, members, evaluations)
    if complete:
        missing = [m for code, m in members.items() if code not in evaluations and code not in left]
        if missing:
            named = ", ".join(f"{m.full_name} ({m.staff_code})" for m in missing[:10])
            raise Unprocessable(
                f"{len(missing)} registered member(s) have no evaluation: {named}; evaluate "
                "them, or list them in members_left if they left the unit.",
                field="member_evaluations",
                staff_codes=[m.staff_code for m in missing],
            )
    return StoredContent(results, list(evaluations.values()), list(left.values()))


def _results(
    given: list[ResultIn], commitments: list[Commitment], *, complete: bool
) -> list[dict[str, Any]]:
    by_number: dict[int, dict[str, Any]] = {}
    for index, result in enumerate(given):
        where = f"results[{index}]"
        number = result.commitment_number
        if number > len(commitments):
            raise Unprocessable(
                f"The unit's approved registration has {len(commitments)} commitment(s), "
                f"not {number}.",
                field=f"{where}.commitment_number",
            )
        if number in by_number:
            raise Unprocessable(
                f"Commitment {number} has two results.", field=f"{where}.commitment_number"
            )
        commitment = commitments[number - 1]
        if complete and commitment.target_value is not None and result.achieved_value is None:
            raise Unprocessable(
                f"Commitment {number} ({commitment.indicator or commitment.content}) has a "
                "target: give the value achieved.",
                field=f"{where}.achieved_value",
            )
        by_number[number] = {
            "commitment_number": number,
            "task_number": commitment.task_number,
            "content": commitment.content,
            "indicator": commitment.indicator,
            "unit_of_measure": commitment.unit_of_measure,
            "target_value": commitment.target_value,
            "lower_is_better": commitment.lower_is_better,
            "achieved_value": result.achieved_value,
            "percent_of_target": percent_of_target(
                commitment.target_value,
                result.achieved_value,
                lower_is_better=commitment.lower_is_better,
            ),
            "narrative": result.narrative,
            "evidence": list(result.evidence),
        }
    if complete:
        for number, commitment in enumerate(commitments, start=1):
            if number not in by_number:
                raise Unprocessable(
                    f"No result for commitment {number} (task {commitment.task_number}: "
                    f"{commitment.content}).",
                    field="results",
                )
    return [by_number[n] for n in sorted(by_number)]


def _evaluations(
    given: list[MemberEvaluationIn], members: dict[str, RegisteredMember], unit_code: str
) -> dict[str, dict[str, Any]]:
    evaluations: dict[str, dict[str, Any]] = {}
    for index, evaluation in enumerate(given):
        where = f"member_evaluations[{index}].staff_code"
        code = evaluation.staff_code
        registered = members.get(code)
        if code in evaluations:
            raise Unprocessable(f"{code} is evaluated twice.", field=where)
        if registered is None and not evaluation.joined_during_year:
            who = f"{evaluation.full_name} ({code})" if evaluation.full_name else code
            raise Unprocessable(
                f"{who} was never registered by unit {unit_code}; set joined_during_year for "
                "a member who joined after the registration.",
                field=where,
                staff_code=code,
            )
        if registered is not None and evaluation.joined_during_year:
            raise Unprocessable(
                f"{registered.full_name} ({code}) is on the unit's registration; "
                "joined_during_year is for members who are not.",
                field=where,
                staff_code=code,
            )
        stored = evaluation.model_dump(mode="json")
        if registered is not None:
            stored["full_name"] = registered.full_name
            stored["gender"] = registered.gender
            stored["title_aimed"] = registered.title_aimed
        evaluations[code] = stored
    return evaluations


def _left(
    given: list[MemberLeftIn],
    members: dict[str, RegisteredMember],
    evaluations: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    left: dict[str, dict[str, Any]] = {}
    for index, member in enumerate(given):
        where = f"members_left[{index}].staff_code"
        registered = members.get(member.staff_code)
        if registered is None:
            raise Unprocessable(
                f"{member.staff_code} is not on the unit's registration; only registered "
                "members are listed as having left.",
                field=where,
                staff_code=member.staff_code,
            )
        if member.staff_code in evaluations or member.staff_code in left:
            raise Unprocessable(
                f"{registered.full_name} ({member.staff_code}) is listed twice.", field=where
            )
        left[member.staff_code] = {
            **member.model_dump(mode="json"),
            "full_name": registered.full_name,
        }
    return left
