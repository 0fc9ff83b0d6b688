"""The awards service's own copy of what the other services announced, built only from their
events: the directory, registrations (pledge.approved) and approved reports (report.approved).
Replaying the events rebuilds it."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Date, DateTime, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from awards.models import EMPTY_LIST, Base


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
    gender: Mapped[str | None] = mapped_column(String(10))
