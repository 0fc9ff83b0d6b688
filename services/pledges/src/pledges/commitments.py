"""A unit's commitments (nội dung đăng ký) resolved against the plan's tasks and targets.

What the unit leaves out of a commitment comes from the plan: the task's text for the content,
and the target the commitment names by its indicator (or else the task's first target) for the
unit of measure, the value and its direction.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from pledges.schemas import CommitmentIn
from thidua_shared.contracts.campaigns import TargetSnapshot, TaskSnapshot
from thidua_shared.contracts.pledges import Commitment
from thidua_shared.platform.errors import Unprocessable

T = TypeVar("T")


def plan_tasks(stored: Sequence[dict[str, Any]]) -> dict[int, TaskSnapshot]:
    tasks = (TaskSnapshot.model_validate(task) for task in stored)
    return {task.number: task for task in tasks}


def resolve(given: Sequence[CommitmentIn], tasks: dict[int, TaskSnapshot]) -> list[dict[str, Any]]:
    """The commitments as stored and announced, or a 422 naming the first unknown task."""
    resolved: list[dict[str, Any]] = []
    for i, commitment in enumerate(given):
        task = tasks.get(commitment.task_number)
        if task is None:
            known = ", ".join(str(n) for n in sorted(tasks)) or "none"
            raise Unprocessable(
                f"The plan has no task {commitment.task_number} (its tasks: {known}).",
                field=f"commitments[{i}].task_number",
            )
        resolved.append(_with_plan_defaults(commitment, task).model_dump(mode="json"))
    return resolved


def _target(indicator: str | None, task: TaskSnapshot) -> TargetSnapshot | None:
    if indicator is None:
        return next(iter(task.targets), None)
    wanted = indicator.casefold()
    return next((t for t in task.targets if t.indicator.casefold() == wanted), None)


def _given_or(value: T | None, default: T) -> T:
    return default if value is None else value


def _with_plan_defaults(commitment: CommitmentIn, task: TaskSnapshot) -> Commitment:
    target = _target(commitment.indicator, task)
    return Commitment(
        task_number=task.number,
        content=commitment.content or task.content,
        indicator=_given_or(commitment.indicator, "" if target is None else target.indicator),
        unit_of_measure=_given_or(
            commitment.unit_of_measure, "" if target is None else target.unit_of_measure
        ),
        target_value=_given_or(
            commitment.target_value, None if target is None else target.target_value
        ),
        lower_is_better=_given_or(
            commitment.lower_is_better, False if target is None else target.lower_is_better
        ),
    )


def announced(kept: Sequence[dict[str, Any]]) -> list[Commitment]:
    return [Commitment.model_validate(c) for c in kept]
