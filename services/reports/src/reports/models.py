from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import (
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from thidua_shared.platform.db import NAMING_CONVENTION, define_platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


define_platform_tables(Base.metadata)


class Campaign(Base):
    """What this service knows of a campaign, from the campaigns service's events."""

    __tablename__ = "campaigns"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[int | None]
    phases_total: Mapped[int]
    # None while the campaign is only a stub made by a phase.closed that overtook its launch.
    launched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    phases: Mapped[list["Phase"]] = relationship(
        lazy="raise", order_by="Phase.number", cascade="all, delete-orphan"
    )
    participants: Mapped[list["Participant"]] = relationship(
        lazy="raise", order_by="Participant.unit_code", cascade="all, delete-orphan"
    )


class Phase(Base):
    __tablename__ = "phases"

    campaign_id: Mapped[UUID] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Participant(Base):
    __tablename__ = "participants"

    campaign_id: Mapped[UUID] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    unit_name: Mapped[str] = mapped_column(Text, default="")
    cluster: Mapped[str | None] = mapped_column(Text)


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("campaign_id", "phase_number", "unit_code"),
        ForeignKeyConstraint(
            ["campaign_id", "phase_number"], ["phases.campaign_id", "phases.number"]
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID]
    phase_number: Mapped[int]
    unit_code: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    submission: Mapped[int] = mapped_column(default=1)
    summary: Mapped[str] = mapped_column(Text)
    self_assessment: Mapped[str | None] = mapped_column(String(20))
    return_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ReportVersion(Base):
    """One row per submission, so a returned report's earlier text is never lost."""

    __tablename__ = "report_versions"

    report_id: Mapped[UUID] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    submission: Mapped[int] = mapped_column(primary_key=True)
    summary: Mapped[str] = mapped_column(Text)
    self_assessment: Mapped[str | None] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    return_reason: Mapped[str | None] = mapped_column(Text)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
