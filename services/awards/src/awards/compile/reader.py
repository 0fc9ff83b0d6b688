"""The facts of a compilation read a part of the campaign at a time, straight from the driver:
the members streamed from one server-side cursor in unit order (each with its latest
evaluation and its award history), cut into parts of whole units, so a province of any size
is held a part at a time. What every part reads (the units' registrations, ratings and
reports, their own history, the initiatives already used) is small and read once.

The members are read from the database once (the query, its sorts and its joins on the
history are most of a reading's cost). A compilation that goes over the campaign more than
once (once for each cap over the whole campaign, then to compile) has each part's rows kept,
pickled and compressed (about 15 bytes a member), and goes over them again from that copy.

Units that share a member code or an initiative go into one part: the rules read a person's
titles and initiatives by code, so such units must be compiled together."""

import json
import pickle
import zlib
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

import asyncpg

from awards.compile.rules.facts import (
    CampaignFacts,
    HistoryFacts,
    InitiativeFact,
    MemberFacts,
    ResearchFact,
    UnitFacts,
)
from awards.compile.rules.ruleset import ConsecutiveYearsWithTitle, RuleSet, flatten
from awards.read_model.models import Campaign, PhaseReview
from thidua_shared.contracts.vocabulary import ReportKind

# Members per part: large enough that the queries and COPYs per part cost little, small
# enough that a part's facts and drafts stay a few megabytes.
PART_MEMBERS = 5_000
_PREFETCH = 2_000

_REGISTRATIONS = """
SELECT r.unit_code, r.collective_title, a.self_assessment, a.office_rating
FROM registrations r
LEFT JOIN (SELECT DISTINCT ON (unit_code) unit_code, self_assessment, office_rating
           FROM approved_reports WHERE campaign_id = $1
           ORDER BY unit_code, phase_number DESC) a USING (unit_code)
WHERE r.campaign_id = $1
"""
# Units one member code or one initiative ties together.
_LINKED_UNITS = """
SELECT array_agg(DISTINCT unit_code) FROM registered_members
WHERE campaign_id = $1 AND unit_code = ANY($2::text[])
GROUP BY staff_code HAVING count(DISTINCT unit_code) > 1
UNION ALL
SELECT array_agg(DISTINCT e.unit_code)
FROM member_evaluations e
JOIN registered_members m USING (campaign_id, unit_code, staff_code),
     jsonb_array_elements(e.initiatives || e.research) AS i
WHERE e.campaign_id = $1 AND e.unit_code = ANY($2::text[])
GROUP BY i ->> 'identifier' HAVING count(DISTINCT e.unit_code) > 1
"""
# The evaluation of the latest report that lists the member (a discipline whose period ended
# before the campaign's year no longer counts), and the years the member held each title a
# chain of years reads. The chains are a join on the campaign's members rather than IN (...)
# OR IN (...): the planner hashes it however many members the campaign has.
_MEMBERS = """
WITH evaluation AS (
    SELECT DISTINCT ON (e.unit_code, e.staff_code)
           e.unit_code, e.staff_code, e.task_rating, e.under_investigation,
           e.initiatives::text AS initiatives, e.research::text AS research, e.gender,
           e.phase_number, r.kind,
           CASE WHEN e.discipline_to IS NOT NULL AND e.discipline_to < make_date($3, 1, 1)
                THEN 'none' ELSE e.discipline END AS discipline
    FROM member_evaluations e
    JOIN approved_reports r USING (campaign_id, phase_number, unit_code)
    WHERE e.campaign_id = $1
    ORDER BY e.unit_code, e.staff_code, e.phase_number DESC
), chain AS (
    SELECT h.subject_code, array_agg(h.title) AS titles, array_agg(h.year) AS years
    FROM award_history h
    WHERE h.subject_kind = 'person' AND h.revoked_at IS NULL AND h.title = ANY($4::text[])
      AND h.year BETWEEN $5 AND $6
      AND h.subject_code IN (SELECT staff_code FROM registered_members WHERE campaign_id = $1)
    GROUP BY h.subject_code
)
SELECT m.unit_code, m.staff_code, m.full_name, m.gender, m.title_aimed,
       e.task_rating, e.under_investigation, e.initiatives, e.research,
       e.gender AS evaluated_gender,
       e.phase_number, e.kind, e.discipline, c.titles, c.years
FROM registered_members m
LEFT JOIN evaluation e USING (unit_code, staff_code)
LEFT JOIN chain c ON c.subject_code = m.staff_code
WHERE m.campaign_id = $1 AND m.unit_code = ANY($2::text[])
ORDER BY m.unit_code, m.staff_code
"""
_UNIT_CHAINS = """
SELECT h.subject_code, h.title, array_agg(h.year)
FROM award_history h
JOIN registrations r ON r.campaign_id = $1 AND r.unit_code = h.subject_code
WHERE h.subject_kind = 'unit' AND h.revoked_at IS NULL AND h.title = ANY($2::text[])
  AND h.year BETWEEN $3 AND $4
GROUP BY 1, 2
"""
# Only the initiatives the campaign's members hold can be found used: a rule looks up no other.
_USED_INITIATIVES = """
SELECT identifier, h.title, h.year, h.subject_code
FROM award_history h, jsonb_array_elements_text(h.initiative_identifiers) AS identifier
WHERE h.revoked_at IS NULL AND h.year < $2 AND h.initiative_identifiers <> '[]'::jsonb
  AND identifier IN (SELECT i ->> 'identifier'
                     FROM member_evaluations e,
                          jsonb_array_elements(e.initiatives || e.research) AS i
                     WHERE e.campaign_id = $1)
"""

Chains = dict[tuple[str, str, str], frozenset[int]]
# A row of _MEMBERS, as read or as kept.
Row: TypeAlias = asyncpg.Record | tuple[Any, ...]


@dataclass(slots=True)
class _Unit:
    code: str
    rows: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class _Part:
    units: list[_Unit] = field(default_factory=list)
    members: int = 0

    def add(self, unit: _Unit) -> None:
        self.units.append(unit)
        self.members += len(unit.rows)


class CampaignReader:
    """Reads a campaign's facts part by part, as often as the compilation asks: from the
    database the first time, and from the parts kept (`keep`) after that."""

    def __init__(
        self, driver: asyncpg.Connection, campaign: Campaign, rule_set: RuleSet, *, keep: bool
    ) -> None:
        assert campaign.year is not None
        self._driver = driver
        self._campaign_id = campaign.id
        self._year = campaign.year
        self._phases_total = campaign.phases_total
        self._names = {unit.unit_code: unit.unit_name for unit in campaign.units}
        chains = [
            c
            for rule in rule_set.rules
            for c in flatten(rule.conditions)
            if isinstance(c, ConsecutiveYearsWithTitle)
        ]
        longest = max((c.years for c in chains), default=0)
        self._chain_args = (sorted({c.title for c in chains}), self._year - longest, self._year - 1)
        self._units: dict[str, tuple[str | None, str | None, str | None]] = {}
        # Phase -> unit code -> report id: a unit's own {phase: report id} is made for the part
        # that reads it (a dictionary a unit held for the whole compilation costs more).
        self._reports: dict[int, dict[str, str]] = {}
        # Unit code -> (title, years held): the years made a set only for the part that reads
        # them, since a province's units hold these for the whole compilation.
        self._unit_chains: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        self._roots: dict[str, str] = {}
        self._sizes: dict[str, int] = {}
        self._used: dict[str, str] = {}
        self._kept: list[bytes] | None = [] if keep else None
        self._read = False

    async def open(self, reviews: Sequence[PhaseReview]) -> None:
        """Reads what every part needs."""
        driver, campaign_id = self._driver, self._campaign_id
        self._units = {
            r["unit_code"]: (r["collective_title"], r["self_assessment"], r["office_rating"])
            for r in await driver.fetch(_REGISTRATIONS, campaign_id)
            if r["unit_code"] in self._names
        }
        for review in reviews:
            reports = self._reports.setdefault(review.phase_number, {})
            for ref in review.approved_reports:
                reports[ref["unit_code"]] = str(ref["report_id"])
        for code, title, years in await driver.fetch(_UNIT_CHAINS, campaign_id, *self._chain_args):
            self._unit_chains.setdefault(code, []).append((title, tuple(years)))
        linked = await driver.fetch(_LINKED_UNITS, campaign_id, list(self._units))
        self._link(row[0] for row in linked)
        self._used = {
            r["identifier"]: f"danh hiệu {r['title']} năm {r['year']} của {r['subject_code']}"
            for r in await driver.fetch(_USED_INITIATIVES, campaign_id, self._year)
        }

    def _link(self, groups: Iterable[list[str]]) -> None:
        """Each unit tied to others, mapped to one unit of its group (union-find)."""
        parent: dict[str, str] = {}

        def root(code: str) -> str:
            while parent.setdefault(code, code) != code:
                parent[code] = parent[parent[code]]
                code = parent[code]
            return code

        for group in groups:
            first, *rest = group
            for code in rest:
                parent[root(code)] = root(first)
        self._roots = {code: root(code) for code in parent if code in self._units}
        self._sizes = {}
        for found in self._roots.values():
            self._sizes[found] = self._sizes.get(found, 0) + 1

    async def parts(self) -> AsyncIterator[tuple[CampaignFacts, HistoryFacts]]:
        """The campaign in parts of whole units, every registered unit in exactly one."""
        if self._read:
            assert self._kept is not None, "a campaign read again has its parts kept"
            for kept in self._kept:
                units = [_Unit(code, rows) for code, rows in pickle.loads(zlib.decompress(kept))]
                yield self._facts(units)
            return
        self._read = True
        async for part in self._read_parts():
            if self._kept is not None:
                rows = [(unit.code, [tuple(row) for row in unit.rows]) for unit in part.units]
                self._kept.append(zlib.compress(pickle.dumps(rows, pickle.HIGHEST_PROTOCOL), 1))
            yield self._facts(part.units)

    async def _read_parts(self) -> AsyncIterator[_Part]:
        part, waiting, current = _Part(), dict[str, list[_Unit]](), None
        seen: set[str] = set()
        query = self._driver.cursor(
            _MEMBERS, self._campaign_id, list(self._units), self._year, *self._chain_args,
            prefetch=_PREFETCH,
        )  # fmt: skip
        async for row in query:
            if current is None or row["unit_code"] != current.code:
                if current is not None:
                    self._place(current, part, waiting)
                    if part.members >= PART_MEMBERS:
                        yield part
                        part = _Part()
                current = _Unit(row["unit_code"])
                seen.add(current.code)
            current.rows.append(row)
        if current is not None:
            self._place(current, part, waiting)
        for group in waiting.values():
            for unit in group:
                part.add(unit)
        for code in self._units.keys() - seen:
            part.add(_Unit(code))
        if part.units:
            yield part

    def _place(self, unit: _Unit, part: _Part, waiting: dict[str, list[_Unit]]) -> None:
        """Into the part, or held until the last unit tied to it is read."""
        root = self._roots.get(unit.code)
        if root is None:
            part.add(unit)
            return
        group = waiting.setdefault(root, [])
        group.append(unit)
        if len(group) == self._sizes[root]:
            for tied in waiting.pop(root):
                part.add(tied)

    def _facts(self, part: list[_Unit]) -> tuple[CampaignFacts, HistoryFacts]:
        units, members, chains = [], [], {}
        decoded = {unit.code: _decoded(unit) for unit in part}
        for unit in sorted(part, key=lambda u: u.code):
            title, rating, office_rating = self._units[unit.code]
            unit_members, _ = decoded[unit.code]
            units.append(
                UnitFacts(
                    unit_code=unit.code,
                    unit_name=self._names[unit.code],
                    collective_title=title,
                    rating=rating,
                    office_rating=office_rating,
                    approved_reports={
                        phase: ids[unit.code]
                        for phase, ids in self._reports.items()
                        if unit.code in ids
                    },
                    member_codes=tuple(m.staff_code for m in unit_members),
                )
            )
            for title, years in self._unit_chains.get(unit.code, ()):
                chains[("unit", unit.code, title)] = frozenset(years)
        # Members in the order they were read: a code registered in two units resolves to
        # the later one's facts, as over the whole campaign.
        for unit_members, unit_chains in decoded.values():
            members.extend(unit_members)
            chains.update(unit_chains)
        facts = CampaignFacts(self._year, self._phases_total, units, members)
        return facts, HistoryFacts(years_held=chains, used_initiatives=self._used)


def _decoded(unit: _Unit) -> tuple[list[MemberFacts], Chains]:
    """A unit's members and the years each held the titles a chain reads."""
    members: list[MemberFacts] = []
    years_held: dict[tuple[str, str, str], set[int]] = {}
    for row in unit.rows:
        member = _member(row)
        members.append(member)
        titles, years = row[13], row[14]
        if titles is not None:
            for title, year in zip(titles, years, strict=True):
                years_held.setdefault(("person", member.staff_code, title), set()).add(year)
    return members, {key: frozenset(years) for key, years in years_held.items()}


def _member(row: Row) -> MemberFacts:
    (
        unit_code, staff_code, full_name, gender, title_aimed, task_rating, under_investigation,
        initiatives, research, evaluated_gender, phase_number, kind, discipline, *_,
    ) = row  # fmt: skip
    if phase_number is None:
        return MemberFacts(staff_code, full_name, unit_code, gender, title_aimed)
    where = "tổng kết" if kind == ReportKind.FINAL else f"sơ kết đợt {phase_number}"
    return MemberFacts(
        staff_code, full_name, unit_code, gender or evaluated_gender, title_aimed, task_rating,
        where, discipline, under_investigation, _initiatives(initiatives), _research(research),
    )  # fmt: skip


def _initiatives(text: str) -> tuple[InitiativeFact, ...]:
    if text == "[]":
        return ()
    return tuple(
        InitiativeFact(i["identifier"], i.get("title", ""), i["level"], int(i["year"]))
        for i in json.loads(text)
    )


def _research(text: str) -> tuple[ResearchFact, ...]:
    if text == "[]":
        return ()
    return tuple(
        ResearchFact(
            r["identifier"],
            r.get("title", ""),
            r["level"],
            int(r["year"]),
            date.fromisoformat(r["accepted_on"]) if r.get("accepted_on") else None,
        )
        for r in json.loads(text)
    )
