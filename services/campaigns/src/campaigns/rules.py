"""The rules a plan and its transitions obey; each refusal names its rule and field."""

from collections.abc import Sequence
from datetime import date

from campaigns.codes import CampaignStatus
from campaigns.models import Campaign
from campaigns.schemas import CampaignCreate, PhaseIn, UnitIn
from thidua_shared.contracts.rule_sets import (
    CATALOGUE,
    CONSIDERATION_WINDOW,
    NoRuleSetInForce,
    RuleSetId,
    applicable_rule_sets,
    rule_set_for,
    vn_date,
)
from thidua_shared.platform.errors import Conflict, Unprocessable


def refuse(detail: str, *, field: str, rule: str) -> Unprocessable:
    return Unprocessable(detail, field=field, rule=rule)


def conflict(detail: str, *, field: str, rule: str) -> Conflict:
    return Conflict(detail, field=field, rule=rule)


def check_dates(period_start: date, period_end: date, registration_deadline: date | None) -> None:
    if period_end < period_start:
        raise refuse("The period ends before it starts.", field="period_end", rule="period-order")
    if registration_deadline and registration_deadline > period_end:
        raise refuse(
            "The registration deadline is after the period.",
            field="registration_deadline",
            rule="registration-deadline-in-period",
        )


def validate_plan(data: CampaignCreate) -> None:
    check_dates(data.period_start, data.period_end, data.registration_deadline)
    check_phases(data.phases, data.period_start, data.period_end)
    _check_units(data.units)


def choose_rule_set(rule_set: str | None, period_end: date) -> str:
    """The campaign's rule set: the one given, if it is in force around the time the period's
    awards are considered (`applicable_rule_sets`); by default the one in force the day after
    the period ends (`rule_set_for`, which says why)."""
    if rule_set is None:
        try:
            return rule_set_for(period_end).id
        except NoRuleSetInForce as none:
            raise refuse(str(none), field="rule_set", rule="rule-set-in-force") from None
    if rule_set not in CATALOGUE:
        raise refuse(
            f"Unknown rule set; one of {', '.join(CATALOGUE)}.", field="rule_set", rule="rule-set"
        )
    applicable = [entry.id for entry in applicable_rule_sets(period_end)]
    if rule_set not in applicable:
        last = vn_date(period_end + CONSIDERATION_WINDOW)
        in_force = CATALOGUE[RuleSetId(rule_set)].period()
        raise refuse(
            f"Rule set {rule_set} is in force {in_force}: it cannot apply to "
            f"a period ending {vn_date(period_end)}, whose awards are considered by {last}. "
            f"Applicable: {', '.join(applicable) or 'none'}.",
            field="rule_set",
            rule="rule-set-in-force",
        )
    return rule_set


def check_phases(phases: Sequence[PhaseIn], period_start: date, period_end: date) -> None:
    previous_end = None
    for i, phase in enumerate(phases):
        if phase.ends_on < phase.starts_on:
            raise refuse(
                f"Phase {i + 1} ends before it starts.",
                field=f"phases[{i}].ends_on",
                rule="phase-order",
            )
        if phase.starts_on < period_start or phase.ends_on > period_end:
            raise refuse(
                f"Phase {i + 1} lies outside the campaign period.",
                field=f"phases[{i}].starts_on",
                rule="phase-inside-period",
            )
        if previous_end is not None and phase.starts_on <= previous_end:
            raise refuse(
                f"Phase {i + 1} overlaps or precedes phase {i}; list phases in order.",
                field=f"phases[{i}].starts_on",
                rule="phases-not-overlapping",
            )
        previous_end = phase.ends_on


def _check_units(units: Sequence[UnitIn]) -> None:
    seen: set[str] = set()
    for i, unit in enumerate(units):
        if unit.code in seen:
            raise refuse(
                f"Unit {unit.code} is listed twice.", field=f"units[{i}].code", rule="unit-once"
            )
        seen.add(unit.code)


def check_launchable(campaign: Campaign) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise conflict(
            f"The campaign is {campaign.status}; only a draft can be launched.",
            field="status",
            rule="launch-from-draft",
        )
    if not campaign.phases:
        raise refuse(
            "A campaign needs at least one phase before launch.",
            field="phases",
            rule="launch-needs-phases",
        )
    if not campaign.participants:
        raise refuse(
            "A campaign needs participating units before launch.",
            field="units",
            rule="launch-needs-participants",
        )
    check_dates(campaign.period_start, campaign.period_end, campaign.registration_deadline)
    check_phases(
        [PhaseIn(name=p.name, starts_on=p.starts_on, ends_on=p.ends_on) for p in campaign.phases],
        campaign.period_start,
        campaign.period_end,
    )


def check_running(campaign: Campaign, action: str) -> None:
    if campaign.status != CampaignStatus.LAUNCHED:
        raise conflict(
            f"The campaign is {campaign.status}; {action} only while it is launched.",
            field="status",
            rule="campaign-launched",
        )
