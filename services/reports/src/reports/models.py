from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from reports.codes import PhaseStatus, ReportStatus
from thidua_shared.platform.columns import code_column
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
    # The amendment the snapshot we hold comes from, so an older one arriving late is ignored.
    amendment_number: Mapped[int] = mapped_column(default=0, server_default="0")
    # A cancelled campaign is frozen: read, never changed.
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

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
    status: Mapped[PhaseStatus] = mapped_column(
        code_column(PhaseStatus, 20), default=PhaseStatus.PENDING
    )
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # How many times phase.reviewed has been published; a correction after a review adds one.
    review_round: Mapped[int] = mapped_column(default=0, server_default="0")
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reopen_reason: Mapped[str | None] = mapped_column(Text)


class Participant(Base):
    __tablename__ = "participants"

    campaign_id: Mapped[UUID] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    unit_name: Mapped[str] = mapped_column(Text, default="")
    cluster: Mapped[str | None] = mapped_column(Text)
    # False once an amendment takes the unit out of the plan; its reports stay readable.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class Registration(Base):
    """A unit's latest approved registration (from pledge.approved): its commitments and members.

    Kept apart from the campaign so that an approval overtaking the launch is not lost.
    """

    __tablename__ = "registrations"

    campaign_id: Mapped[UUID] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    registration_id: Mapped[UUID]
    version: Mapped[int]
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    commitments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    members: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)


class PhaseReviewGap(Base):
    """A unit the office let the phase's review close without, with who decided and why."""

    __tablename__ = "phase_review_gaps"
    __table_args__ = (
        ForeignKeyConstraint(
            ["campaign_id", "phase_number"],
            ["phases.campaign_id", "phases.number"],
            ondelete="CASCADE",
        ),
    )

    campaign_id: Mapped[UUID] = mapped_column(primary_key=True)
    phase_number: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("campaign_id", "phase_number", "unit_code"),
        ForeignKeyConstraint(
            ["campaign_id", "phase_number"], ["phases.campaign_id", "phases.number"]
        ),
        # Counted at every approval (reports.review): read from the index alone.
        Index(
            "ix_reports_approved",
            "campaign_id",
            "phase_number",
            postgresql_where=text("status = 'approved'"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID]
    phase_number: Mapped[int]
    unit_code: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[ReportStatus] = mapped_column(
        code_column(ReportStatus, 20), default=ReportStatus.SUBMITTED
    )
    # 0 while a draft never submitted; +1 at each submission.
    submission: Mapped[int] = mapped_column(default=1)
    summary: Mapped[str] = mapped_column(Text)
    self_assessment: Mapped[str | None] = mapped_column(String(20))
    # The standing office's own rating of the unit, recorded when it approves the final report.
    office_rating: Mapped[str | None] = mapped_column(String(20))
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    member_evaluations: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default="[]"
    )
    members_left: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default="[]"
    )
    return_reason: Mapped[str | None] = mapped_column(Text)
    item_reasons: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default="[]"
    )
    # Set at the first submission: after the phase's closing plus the configured days.
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
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
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default="[]")
    member_evaluations: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default="[]"
    )
    members_left: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default="[]"
    )
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    return_reason: Mapped[str | None] = mapped_column(Text)
    item_reasons: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default="[]"
    )
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # An approval withdrawn as a mistake, before the phase was reviewed.
    approval_withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approval_withdrawn_reason: Mapped[str | None] = mapped_column(Text)
