from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import DateTime, ForeignKey, MetaData, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from thidua_shared.platform.db import NAMING_CONVENTION, define_platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


define_platform_tables(Base.metadata)


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

    nominations: Mapped[list["Nomination"]] = relationship(
        lazy="raise", order_by="Nomination.subject_code", cascade="all, delete-orphan"
    )


class Nomination(Base):
    __tablename__ = "nominations"
    __table_args__ = (UniqueConstraint("compilation_id", "subject_kind", "subject_code", "title"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    compilation_id: Mapped[UUID] = mapped_column(ForeignKey("compilations.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(Text)
