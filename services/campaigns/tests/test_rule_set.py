"""A campaign's rule set: the regime in force when its awards are considered, and none other."""

from collections.abc import Callable
from typing import Any

import pytest

from thidua_shared.testing import RunningService

Body = Callable[..., dict[str, Any]]
OLD = "law-2013-decree-91-2017"
NEW = "law-2022-decree-98-2023"


def _year(new_campaign: Body, year: int, **overrides: object) -> dict[str, Any]:
    return new_campaign(
        year=year,
        period_start=f"{year}-01-01",
        period_end=f"{year}-12-31",
        registration_deadline=None,
        phases=[{"name": "Đợt 1", "starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31"}],
        **overrides,
    )


@pytest.mark.parametrize(
    ("year", "given", "chosen"),
    [
        (2018, None, OLD),
        # Considered in January 2024, under the 2022 law (Luật 06/2022/QH15, Điều 94)...
        (2023, None, NEW),
        # ...or in December 2023, before it took effect: the office may say so.
        (2023, OLD, OLD),
        (2024, None, NEW),
    ],
)
async def test_the_rule_set_is_the_one_in_force_when_the_awards_are_considered(
    campaigns: RunningService, new_campaign: Body, year: int, given: str | None, chosen: str
) -> None:
    created = await campaigns.client.post(
        "/campaigns/campaigns", json=_year(new_campaign, year, rule_set=given)
    )
    assert created.status_code == 201, created.text
    assert created.json()["rule_set"] == chosen


@pytest.mark.parametrize(
    ("year", "given", "rule"),
    [
        # Nghị định 91/2017/NĐ-CP took effect on 01/10/2017: nothing in the catalogue before it.
        (2016, None, "rule-set-in-force"),
        (2016, OLD, "rule-set-in-force"),
        (2018, NEW, "rule-set-in-force"),
        (2025, OLD, "rule-set-in-force"),
        (2018, "law-1999", "rule-set"),
    ],
)
async def test_a_rule_set_that_cannot_apply_is_refused_naming_the_field(
    campaigns: RunningService, new_campaign: Body, year: int, given: str | None, rule: str
) -> None:
    refused = await campaigns.client.post(
        "/campaigns/campaigns", json=_year(new_campaign, year, rule_set=given)
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert (problem["field"], problem["rule"]) == ("rule_set", rule)
    # Each refusal says which rule sets there are or which would apply.
    assert OLD in problem["detail"]
