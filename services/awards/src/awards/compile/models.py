"""The compilation's tables: each version of a campaign's nominations, with what it read, and
its nominations and refusals."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import DateTime, ForeignKey, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.db import EMPTY_LIST, Base


class Compilation(Base):
    __tablename__ = "compilations"
    __table_args__ = (UniqueConstraint("campaign_id", "version"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    version: Mapped[int]
    phases_reviewed: Mapped[int]
    compiled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rule_set: Mapped[str] = mapped_column(String(60), server_default="")
    # What this version read: {phase number: review round}, {"phase:unit": report version}
    # of the reports the reviews list, and the campaign's amendment. Any of them newer compiles
    # a new version.
    review_rounds: Mapped[dict[str, int]] = mapped_column(JSONB, server_default="{}")
    report_versions: Mapped[dict[str, int]] = mapped_column(JSONB, server_default="{}")
    amendment_number: Mapped[int] = mapped_column(server_default="0")
    # Numbers of the decisions already issued when this version was compiled: they stand.
    issued_decisions: Mapped[list[str]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    # "kind:code:title" keys against the previous version.
    added: Mapped[list[str]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    removed: Mapped[list[str]] = mapped_column(JSONB, server_default=EMPTY_LIST)

    nominations: Mapped[list["Nomination"]] = relationship(
        lazy="raise",
        order_by="(Nomination.subject_kind, Nomination.subject_code, Nomination.title)",
        cascade="all, delete-orphan",
    )
    refusals: Mapped[list["Refusal"]] = relationship(
        lazy="raise",
        order_by="(Refusal.subject_kind, Refusal.subject_code, Refusal.title)",
        cascade="all, delete-orphan",
    )


# Nominations and refusals are written with COPY, which leaves the key to the database.
DATABASE_UUID = text("gen_random_uuid()")


class Nomination(Base):
    __tablename__ = "nominations"
    __table_args__ = (UniqueConstraint("compilation_id", "subject_kind", "subject_code", "title"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, server_default=DATABASE_UUID)
    compilation_id: Mapped[UUID] = mapped_column(
        ForeignKey("compilations.id", ondelete="CASCADE"), index=True
    )
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(Text)
    subject_name: Mapped[str] = mapped_column(Text, server_default="")
    unit_code: Mapped[str] = mapped_column(String(50), server_default="")
    rule_id: Mapped[str] = mapped_column(String(100), server_default="")
    citation: Mapped[str] = mapped_column(Text, server_default="")
    multiplier: Mapped[Decimal] = mapped_column(Numeric(6, 2), server_default="0")
    # Every condition passed, as the Vietnamese line that names the facts it read.
    facts: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    initiative_identifiers: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")


class Refusal(Base):
    """A title a member or unit registered for and does not meet, with the condition that failed."""

    __tablename__ = "refusals"

    id: Mapped[UUID] = mapped_column(primary_key=True, server_default=DATABASE_UUID)
    compilation_id: Mapped[UUID] = mapped_column(
        ForeignKey("compilations.id", ondelete="CASCADE"), index=True
    )
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_code: Mapped[str] = mapped_column(String(50))
    subject_name: Mapped[str] = mapped_column(Text, server_default="")
    unit_code: Mapped[str] = mapped_column(String(50), server_default="")
    title: Mapped[str] = mapped_column(String(100))
    rule_id: Mapped[str] = mapped_column(String(100))
    citation: Mapped[str] = mapped_column(Text)
    failed_condition: Mapped[str] = mapped_column(Text)
    facts: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
