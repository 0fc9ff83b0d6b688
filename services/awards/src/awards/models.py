from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    DateTime,
    ForeignKey,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from thidua_shared.platform.db import NAMING_CONVENTION, define_platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


define_platform_tables(Base.metadata)

EMPTY_LIST = text("'[]'::jsonb")


class Campaign(Base):
    """Read model of a campaign. A phase.reviewed that arrives first creates a stub: only
    phases_total is known until campaign.launched fills in the rest (launched_at set)."""

    __tablename__ = "campaigns"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None]
    rule_set: Mapped[str | None] = mapped_column(String(60))
    phases_total: Mapped[int]
    launched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # 0 for the launch; a snapshot older than the one applied is ignored.
    amendment_number: Mapped[int] = mapped_column(server_default="0")
    # [{"number", "name", "starts_on", "ends_on"}] and [{"name", "unit_codes"}] as announced.
    phases: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    clusters: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    units: Mapped[list["CampaignUnit"]] = relationship(
        lazy="raise", order_by="CampaignUnit.unit_code", cascade="all, delete-orphan"
    )


class CampaignUnit(Base):
    __tablename__ = "campaign_units"

    campaign_id: Mapped[UUID] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    unit_name: Mapped[str] = mapped_column(Text)
    cluster: Mapped[str | None] = mapped_column(Text)


class PhaseReview(Base):
    __tablename__ = "phase_reviews"

    campaign_id: Mapped[UUID] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    phase_number: Mapped[int] = mapped_column(primary_key=True)
    # [{"unit_code": ..., "report_id": ...}] exactly as phase.reviewed listed them.
    approved_reports: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    missing_units: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Grows when the office reopens the phase for a correction; the highest round is kept.
    review_round: Mapped[int] = mapped_column(server_default="1")
    event_id: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Compilation(Base):
    __tablename__ = "compilations"
    __table_args__ = (UniqueConstraint("campaign_id", "version"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    version: Mapped[int]
    phases_reviewed: Mapped[int]
    compiled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rule_set: Mapped[str] = mapped_column(String(60), server_default="")
    # {phase number: review round} read by this version; a higher round compiles a new one.
    review_rounds: Mapped[dict[str, int]] = mapped_column(JSONB, server_default="{}")
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
