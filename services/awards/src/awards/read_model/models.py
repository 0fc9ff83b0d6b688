"""The awards service's own copy of what the other services announced, built only from their
events: the campaigns with their units and phase reviews, the directory, registrations
(pledge.approved) and approved reports (report.approved). Replaying the events rebuilds it."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.db import EMPTY_LIST, Base


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
    # Who issued the plan and where: the minutes are headed by the agency and dated at its
    # province (địa danh), not at the meeting room.
    issuing_agency: Mapped[str] = mapped_column(Text, server_default="")
    parent_agency: Mapped[str] = mapped_column(Text, server_default="")
    place_of_issue: Mapped[str] = mapped_column(Text, server_default="")
    # The plan's number and date of issue: the decision's căn cứ names the plan by them.
    plan_number: Mapped[str] = mapped_column(Text, server_default="")
    plan_issued_on: Mapped[date | None] = mapped_column(Date)
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


class DirectoryUnit(Base):
    __tablename__ = "directory_units"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text, server_default="")
    parent_code: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(server_default="true")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DirectoryCluster(Base):
    __tablename__ = "directory_clusters"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    unit_codes: Mapped[list[str]] = mapped_column(JSONB)
    year: Mapped[int | None]
    leader_unit: Mapped[str | None] = mapped_column(String(50))
    deputy_unit: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(server_default="true")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Registration(Base):
    """A unit's approved registration (đăng ký thi đua); a newer version replaces it."""

    __tablename__ = "registrations"

    campaign_id: Mapped[UUID] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    registration_id: Mapped[UUID]
    version: Mapped[int]
    collective_title: Mapped[str | None] = mapped_column(String(100))
    cluster: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisteredMember(Base):
    __tablename__ = "registered_members"

    campaign_id: Mapped[UUID] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    staff_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    full_name: Mapped[str] = mapped_column(Text)
    gender: Mapped[str | None] = mapped_column(String(10))
    title_aimed: Mapped[str | None] = mapped_column(String(100))


class ApprovedReport(Base):
    """The latest approved version of a unit's report for a phase."""

    __tablename__ = "approved_reports"

    campaign_id: Mapped[UUID] = mapped_column(primary_key=True)
    phase_number: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    report_id: Mapped[UUID]
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    self_assessment: Mapped[str | None] = mapped_column(String(50))
    # The office's own rating at the final review; the rules read it where the law names the
    # assessing body, the self-assessment otherwise.
    office_rating: Mapped[str | None] = mapped_column(String(50))
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MemberEvaluation(Base):
    """A member's evaluation in an approved report; replaced with the report's newer version."""

    __tablename__ = "member_evaluations"

    campaign_id: Mapped[UUID] = mapped_column(primary_key=True)
    phase_number: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    staff_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    full_name: Mapped[str] = mapped_column(Text)
    task_rating: Mapped[str] = mapped_column(String(30))
    discipline: Mapped[str] = mapped_column(String(30), server_default="none")
    discipline_from: Mapped[date | None] = mapped_column(Date)
    discipline_to: Mapped[date | None] = mapped_column(Date)
    under_investigation: Mapped[bool] = mapped_column(server_default="false")
    # [{"identifier", "title", "level", "year"}] as the report listed them.
    initiatives: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    # [{"identifier", "title", "level", "accepted_on", "year"}]: accepted research (đề tài).
    research: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    gender: Mapped[str | None] = mapped_column(String(10))
