"""The database side of a compilation besides its facts (`reader`): what it read and may
compile, the nominations and refusals written with COPY a part at a time, and the
differences against the previous version, taken in the database."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from awards.compile.rules.drafts import NominationDraft, RefusalDraft
from awards.read_model.models import PhaseReview
from thidua_shared.platform.outbox import driver_connection

_NOMINATION_COLUMNS = (
    "compilation_id", "subject_kind", "subject_code", "title", "basis", "subject_name",
    "unit_code", "rule_id", "citation", "multiplier", "facts", "initiative_identifiers",
)  # fmt: skip
_REFUSAL_COLUMNS = (
    "compilation_id", "subject_kind", "subject_code", "subject_name", "unit_code",
    "title", "rule_id", "citation", "failed_condition", "facts",
)  # fmt: skip


async def driver(session: AsyncSession) -> asyncpg.Connection:
    await session.connection()
    found = await driver_connection(session)
    assert found is not None, "the session's transaction has begun"
    return found


async def listed_report_versions(
    session: AsyncSession, campaign_id: UUID, reviews: Sequence[PhaseReview]
) -> dict[str, int] | None:
    """The version held of every approved report the reviews list, by "phase:unit", or None
    while the read model and the reviews disagree (report.approved and phase.reviewed may
    arrive in either order).

    A listed report not held yet, or held older than the version the review read, is on its
    way. One held newer was corrected after that review: its phase was reopened and the next
    round will list it, so compiling now would announce a version that round replaces at once.
    A review that names no version (published before reviews carried it) is met by the
    report's id, and the version held decides.
    """
    connection = await driver(session)
    rows = await connection.fetch(
        "SELECT phase_number, unit_code, report_id::text, version FROM approved_reports "
        "WHERE campaign_id = $1",
        campaign_id,
    )
    held = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    versions: dict[str, int] = {}
    for review in reviews:
        for ref in review.approved_reports:
            report = held.get((review.phase_number, ref["unit_code"]))
            if report is None or report[0] != str(ref["report_id"]):
                return None
            version = report[1]
            if ref.get("version") not in (None, version):
                return None
            versions[f"{review.phase_number}:{ref['unit_code']}"] = version
    return versions


async def issued_decisions(session: AsyncSession, campaign_id: UUID) -> list[str]:
    """Numbers of the campaign's decisions already issued, by date: a version compiled after
    them names them. Read by table name, like the history: decisions is a later stage."""
    connection = await driver(session)
    rows = await connection.fetch(
        "SELECT number FROM decisions WHERE campaign_id = $1 ORDER BY decided_on, number",
        campaign_id,
    )
    return [row[0] for row in rows]


# "kind:code:title" of one version's nominations that the other lacks.
_KEYS_NOT_IN = """
SELECT subject_kind || ':' || subject_code || ':' || title FROM nominations
WHERE compilation_id = $1
EXCEPT
SELECT subject_kind || ':' || subject_code || ':' || title FROM nominations
WHERE compilation_id = $2
"""


async def differences(
    session: AsyncSession, compilation_id: UUID, previous_id: UUID
) -> tuple[list[str], list[str]]:
    """The keys added and removed against the previous version, compared where both lists
    are, in the database; sorted here, so no collation decides their order."""
    connection = await driver(session)
    added = await connection.fetch(_KEYS_NOT_IN, compilation_id, previous_id)
    removed = await connection.fetch(_KEYS_NOT_IN, previous_id, compilation_id)
    return sorted(row[0] for row in added), sorted(row[0] for row in removed)


async def write_nominations(
    connection: asyncpg.Connection,
    compilation_id: UUID,
    nominations: Iterable[NominationDraft],
    refusals: Iterable[RefusalDraft],
) -> None:
    await connection.copy_records_to_table(
        "nominations",
        columns=_NOMINATION_COLUMNS,
        records=(_nomination_record(compilation_id, n) for n in nominations),
    )
    await connection.copy_records_to_table(
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
