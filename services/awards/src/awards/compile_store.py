"""The database side of a compilation: the facts read set-based straight from the driver (one
query per table, no ORM objects for tens of thousands of rows), and the nominations and
refusals written back with COPY."""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from awards.engine import NominationDraft, RefusalDraft
from awards.facts import CampaignFacts, HistoryFacts, InitiativeFact, MemberFacts, UnitFacts
from awards.models import Campaign, PhaseReview
from awards.ruleset import ConsecutiveYearsWithTitle, RuleSet, flatten
from thidua_shared.platform.outbox import driver_connection

_REGISTRATIONS = """
SELECT unit_code, collective_title FROM registrations WHERE campaign_id = $1
"""
_MEMBERS = """
SELECT unit_code, staff_code, full_name, gender, title_aimed
FROM registered_members WHERE campaign_id = $1 ORDER BY unit_code, staff_code
"""
_UNIT_RATINGS = """
SELECT DISTINCT ON (unit_code) unit_code, self_assessment
FROM approved_reports WHERE campaign_id = $1 ORDER BY unit_code, phase_number DESC
"""
# The evaluation of the latest report that lists the member; a discipline whose period ended
# before the campaign's year no longer counts.
_EVALUATIONS = """
SELECT DISTINCT ON (e.unit_code, e.staff_code)
       e.unit_code, e.staff_code, e.task_rating, e.under_investigation, e.initiatives::text,
       e.gender, e.phase_number, r.kind,
       CASE WHEN e.discipline_to IS NOT NULL AND e.discipline_to < make_date($2, 1, 1)
            THEN 'none' ELSE e.discipline END AS discipline
FROM member_evaluations e
JOIN approved_reports r USING (campaign_id, phase_number, unit_code)
WHERE e.campaign_id = $1
ORDER BY e.unit_code, e.staff_code, e.phase_number DESC
"""
# A join rather than IN (...) OR IN (...): the planner hashes it however many members the
# campaign has (the OR form turned into a nested scan past a few hundred thousand).
_CHAINS = """
SELECT h.subject_kind, h.subject_code, h.title, array_agg(h.year)
FROM award_history h
JOIN (SELECT 'person' AS kind, staff_code AS code FROM registered_members WHERE campaign_id = $1
      UNION
      SELECT 'unit', unit_code FROM registrations WHERE campaign_id = $1) AS subject
  ON subject.kind = h.subject_kind AND subject.code = h.subject_code
WHERE h.revoked_at IS NULL AND h.title = ANY($2::text[]) AND h.year BETWEEN $3 AND $4
GROUP BY 1, 2, 3
"""
_USED_INITIATIVES = """
SELECT identifier, h.title, h.year, h.subject_code
FROM award_history h, jsonb_array_elements_text(h.initiative_identifiers) AS identifier
WHERE h.revoked_at IS NULL AND h.year < $1 AND h.initiative_identifiers <> '[]'::jsonb
"""
_NOMINATION_COLUMNS = (
    "compilation_id", "subject_kind", "subject_code", "title", "basis", "subject_name",
    "unit_code", "rule_id", "citation", "multiplier", "facts", "initiative_identifiers",
)  # fmt: skip
_REFUSAL_COLUMNS = (
    "compilation_id", "subject_kind", "subject_code", "subject_name", "unit_code",
    "title", "rule_id", "citation", "failed_condition", "facts",
)  # fmt: skip


async def _driver(session: AsyncSession) -> asyncpg.Connection:
    await session.connection()
    driver = await driver_connection(session)
    assert driver is not None, "the session's transaction has begun"
    return driver


async def load_facts(
    session: AsyncSession,
    campaign: Campaign,
    reviews: Sequence[PhaseReview],
    rule_set: RuleSet,
) -> tuple[CampaignFacts, HistoryFacts]:
    assert campaign.year is not None
    driver = await _driver(session)
    participating = {unit.unit_code: unit.unit_name for unit in campaign.units}
    registered = {
        row["unit_code"]: row["collective_title"]
        for row in await driver.fetch(_REGISTRATIONS, campaign.id)
        if row["unit_code"] in participating
    }
    ratings = {
        r["unit_code"]: r["self_assessment"] for r in await driver.fetch(_UNIT_RATINGS, campaign.id)
    }
    evaluations = {
        (r["unit_code"], r["staff_code"]): r
        for r in await driver.fetch(_EVALUATIONS, campaign.id, campaign.year)
    }
    members: list[MemberFacts] = []
    codes_by_unit: dict[str, list[str]] = defaultdict(list)
    for row in await driver.fetch(_MEMBERS, campaign.id):
        if row["unit_code"] not in registered:
            continue
        members.append(_member(row, evaluations.get((row["unit_code"], row["staff_code"]))))
        codes_by_unit[row["unit_code"]].append(row["staff_code"])
    reports_by_unit: dict[str, dict[int, str]] = defaultdict(dict)
    for review in reviews:
        for ref in review.approved_reports:
            reports_by_unit[ref["unit_code"]][review.phase_number] = str(ref["report_id"])
    units = [
        UnitFacts(
            unit_code=code,
            unit_name=participating[code],
            collective_title=title,
            rating=ratings.get(code),
            approved_reports=reports_by_unit.get(code, {}),
            member_codes=tuple(codes_by_unit.get(code, ())),
        )
        for code, title in sorted(registered.items())
    ]
    facts = CampaignFacts(campaign.year, campaign.phases_total, units, members)
    return facts, await _history(driver, campaign.id, campaign.year, rule_set)


def _member(row: asyncpg.Record, evaluation: asyncpg.Record | None) -> MemberFacts:
    if evaluation is None:
        return MemberFacts(
            staff_code=row["staff_code"],
            full_name=row["full_name"],
            unit_code=row["unit_code"],
            gender=row["gender"],
            title_aimed=row["title_aimed"],
        )
    where = (
        "tổng kết" if evaluation["kind"] == "final" else f"sơ kết đợt {evaluation['phase_number']}"
    )
    return MemberFacts(
        staff_code=row["staff_code"],
        full_name=row["full_name"],
        unit_code=row["unit_code"],
        gender=row["gender"] or evaluation["gender"],
        title_aimed=row["title_aimed"],
        task_rating=evaluation["task_rating"],
        evaluated_in=where,
        discipline=evaluation["discipline"],
        under_investigation=evaluation["under_investigation"],
        initiatives=_initiatives(evaluation["initiatives"]),
    )


def _initiatives(text: str) -> tuple[InitiativeFact, ...]:
    if text == "[]":
        return ()
    return tuple(
        InitiativeFact(i["identifier"], i.get("title", ""), i["level"], int(i["year"]))
        for i in json.loads(text)
    )


async def _history(
    driver: asyncpg.Connection, campaign_id: UUID, year: int, rule_set: RuleSet
) -> HistoryFacts:
    chains = [
        c
        for rule in rule_set.rules
        for c in flatten(rule.conditions)
        if isinstance(c, ConsecutiveYearsWithTitle)
    ]
    years_held: dict[tuple[str, str, str], frozenset[int]] = {}
    if chains:
        longest = max(c.years for c in chains)
        titles = sorted({c.title for c in chains})
        rows = await driver.fetch(_CHAINS, campaign_id, titles, year - longest, year - 1)
        years_held = {(r[0], r[1], r[2]): frozenset(r[3]) for r in rows}
    used = {
        r["identifier"]: f"danh hiệu {r['title']} năm {r['year']} của {r['subject_code']}"
        for r in await driver.fetch(_USED_INITIATIVES, year)
    }
    return HistoryFacts(years_held=years_held, used_initiatives=used)


async def reports_arrived(
    session: AsyncSession, campaign_id: UUID, reviews: Sequence[PhaseReview]
) -> bool:
    """Whether the read model holds every approved report the reviews list: report.approved
    and phase.reviewed may arrive in either order."""
    listed = {
        (review.phase_number, ref["unit_code"], str(ref["report_id"]))
        for review in reviews
        for ref in review.approved_reports
    }
    driver = await _driver(session)
    rows = await driver.fetch(
        "SELECT phase_number, unit_code, report_id::text FROM approved_reports "
        "WHERE campaign_id = $1",
        campaign_id,
    )
    return listed <= {(r[0], r[1], r[2]) for r in rows}


async def previous_keys(session: AsyncSession, compilation_id: UUID) -> set[str]:
    driver = await _driver(session)
    rows = await driver.fetch(
        "SELECT subject_kind || ':' || subject_code || ':' || title FROM nominations "
        "WHERE compilation_id = $1",
        compilation_id,
    )
    return {row[0] for row in rows}


async def write_nominations(
    session: AsyncSession,
    compilation_id: UUID,
    nominations: Iterable[NominationDraft],
    refusals: Iterable[RefusalDraft],
) -> None:
    driver = await _driver(session)
    await driver.copy_records_to_table(
        "nominations",
        columns=_NOMINATION_COLUMNS,
        records=(_nomination_record(compilation_id, n) for n in nominations),
    )
    await driver.copy_records_to_table(
        "refusals",
        columns=_REFUSAL_COLUMNS,
        records=(_refusal_record(compilation_id, r) for r in refusals),
    )


@cache
def _decimal(multiplier: float | None) -> Decimal:
    return Decimal(0) if multiplier is None else Decimal(str(multiplier))


def _nomination_record(compilation_id: UUID, n: NominationDraft) -> tuple[Any, ...]:
    return (
        compilation_id, n.subject_kind, n.subject_code, n.title, n.basis, n.subject_name,
        n.unit_code, n.rule_id, n.citation, _decimal(n.multiplier), n.facts,
        n.initiative_identifiers,
    )  # fmt: skip


def _refusal_record(compilation_id: UUID, r: RefusalDraft) -> tuple[Any, ...]:
    return (
        compilation_id, r.subject_kind, r.subject_code, r.subject_name, r.unit_code, r.title,
        r.rule_id, r.citation, r.failed_condition, r.facts,
    )  # fmt: skip
