"""% of target (tỷ lệ hoàn thành chỉ tiêu), computed from the commitment and the reported value.

- Higher is better (the usual case): achieved / target × 100.
- Lower is better (e.g. days to settle a file, incidents): target / achieved × 100, so doing
  better than the target gives more than 100 %.
- Where the divisor would be zero or negative the ratio means nothing; the result is then
  100 when the target is met (achieved ≥ target, or ≤ target when lower is better) and 0
  when it is not. So a target of 0 incidents with 0 reported is 100 %, with 3 reported 0 %.
- Without a numeric target or without a reported value there is no percentage (None).

Rounded to two decimals, never below 0.
"""


def percent_of_target(
    target: float | None, achieved: float | None, *, lower_is_better: bool
) -> float | None:
    if target is None or achieved is None:
        return None
    numerator, divisor = (target, achieved) if lower_is_better else (achieved, target)
    if divisor <= 0:
        met = achieved <= target if lower_is_better else achieved >= target
        return 100.0 if met else 0.0
    return max(0.0, round(numerator / divisor * 100, 2))
