"""The award history's table: one title per subject per year, imported or decided."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import DateTime, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from awards.db import EMPTY_LIST, Base


class AwardHistoryEntry(Base):
    __tablename__ = "award_history"
    # One title per subject per year: a re-import or a decision for the same title updates it.
    __table_args__ = (UniqueConstraint("subject_kind", "subject_code", "year", "title"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_code: Mapped[str] = mapped_column(String(50), index=True)
    subject_name: Mapped[str] = mapped_column(Text, server_default="")
    unit_code: Mapped[str] = mapped_column(String(50), server_default="")
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20))
    decision_id: Mapped[UUID | None]
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revocation_reason: Mapped[str] = mapped_column(Text, server_default="")
    initiative_identifiers: Mapped[list[str]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
