"""Award history (lịch sử khen thưởng): past years' titles per person and unit, imported for
the years before the system and extended by every decision. The consecutive-year chains and
the single use of an initiative read it. They flush, never commit."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from awards.history.models import AwardHistoryEntry

IMPORTED = "import"
DECIDED = "decision"


@dataclass(frozen=True)
class HistoryRecord:
    subject_kind: str
    subject_code: str
    year: int
    title: str
    subject_name: str = ""
    unit_code: str = ""
    initiative_identifiers: Sequence[str] = field(default_factory=tuple)
    decision_id: UUID | None = None


async def record_decided_awards(session: AsyncSession, entries: Sequence[HistoryRecord]) -> None:
    await record_history(session, entries, source=DECIDED)


async def record_history(
    session: AsyncSession, entries: Sequence[HistoryRecord], *, source: str
) -> None:
    if not entries:
        return
    statement = insert(AwardHistoryEntry)
    # A decided title replaces an imported one for the same year; a revoked one is restored.
    statement = statement.on_conflict_do_update(
        index_elements=["subject_kind", "subject_code", "year", "title"],
        set_={
            "subject_name": statement.excluded.subject_name,
            "unit_code": statement.excluded.unit_code,
            "source": statement.excluded.source,
            "decision_id": statement.excluded.decision_id,
            "initiative_identifiers": statement.excluded.initiative_identifiers,
            "revoked_at": None,
            "revocation_reason": "",
        },
    )
    await session.execute(
        statement,
        [
            {
                "id": uuid4(),
                "subject_kind": e.subject_kind,
                "subject_code": e.subject_code,
                "subject_name": e.subject_name,
                "unit_code": e.unit_code,
                "year": e.year,
                "title": e.title,
                "source": source,
                "decision_id": e.decision_id,
                "initiative_identifiers": list(e.initiative_identifiers),
            }
            for e in entries
        ],
    )
    await session.flush()


async def revoke_history_entry(
    session: AsyncSession,
    *,
    decision_id: UUID,
    subject_kind: str,
    subject_code: str,
    title: str,
    reason: str,
    at: datetime,
) -> None:
    await session.execute(
        update(AwardHistoryEntry)
        .where(
            AwardHistoryEntry.decision_id == decision_id,
            AwardHistoryEntry.subject_kind == subject_kind,
            AwardHistoryEntry.subject_code == subject_code,
            AwardHistoryEntry.title == title,
        )
        .values(revoked_at=at, revocation_reason=reason)
    )
    await session.flush()


async def subject_history(session: AsyncSession, subject_code: str) -> list[AwardHistoryEntry]:
    query = (
        select(AwardHistoryEntry)
        .where(AwardHistoryEntry.subject_code == subject_code)
        .order_by(AwardHistoryEntry.year, AwardHistoryEntry.subject_kind, AwardHistoryEntry.title)
    )
    return list((await session.execute(query)).scalars())
