from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pledges.codes import CampaignStatus, CovenantStatus, RegistrationStatus
from thidua_shared.platform.columns import code_column
from thidua_shared.platform.db import NAMING_CONVENTION, define_platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


define_platform_tables(Base.metadata)


class Campaign(Base):
    """Read model of a launched campaign, fed by the campaigns service's events."""

    __tablename__ = "campaigns"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    status: Mapped[CampaignStatus] = mapped_column(code_column(CampaignStatus, 20))
    registration_deadline: Mapped[date | None] = mapped_column(Date)
    phases_total: Mapped[int]
    launched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    document_number: Mapped[str] = mapped_column(Text, server_default="")
    issuing_agency: Mapped[str] = mapped_column(Text, server_default="")
    parent_agency: Mapped[str] = mapped_column(Text, server_default="")
    place_of_issue: Mapped[str] = mapped_column(Text, server_default="")
    # The plan's date (ngày ban hành), which a covenant's căn cứ names.
    issued_on: Mapped[date | None] = mapped_column(Date)
    # The plan's numbered tasks with their targets, as TaskSnapshot dicts.
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    # 0 for the launch's snapshot; an older amendment delivered late must not overwrite it.
    amendment_number: Mapped[int] = mapped_column(server_default="0")
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)

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


class RegistrationExtension(Base):
    """A later registration deadline the office granted one unit (gia hạn đăng ký thi đua)."""

    __tablename__ = "registration_extensions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["campaign_id", "unit_code"],
            ["campaign_units.campaign_id", "campaign_units.unit_code"],
            ondelete="CASCADE",
        ),
    )

    campaign_id: Mapped[UUID] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Registration(Base):
    __tablename__ = "registrations"
    # Backstop for two concurrent first registrations of the same unit.
    __table_args__ = (UniqueConstraint("campaign_id", "unit_code"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey("campaigns.id"))
    unit_code: Mapped[str] = mapped_column(String(50))
    collective_title: Mapped[str | None] = mapped_column(Text)
    # Commitments (nội dung đăng ký) as resolved against the plan, and attachment references.
    commitments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    status: Mapped[RegistrationStatus] = mapped_column(
        code_column(RegistrationStatus, 20), default=RegistrationStatus.SUBMITTED
    )
    # 0 while a draft never submitted; 1 at the first submission, +1 at each resubmission.
    submission_number: Mapped[int] = mapped_column(default=1)
    return_reason: Mapped[str | None] = mapped_column(Text)
    # The office's reasons for single commitments or members at the last return.
    item_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # None while a draft never submitted.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    members: Mapped[list["RegistrationMember"]] = relationship(
        lazy="raise", order_by="RegistrationMember.list_order", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RegistrationMember(Base):
    __tablename__ = "registration_members"

    registration_id: Mapped[UUID] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    staff_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    list_order: Mapped[int]
    full_name: Mapped[str] = mapped_column(Text)
    title_aimed: Mapped[str | None] = mapped_column(Text)
    gender: Mapped[str | None] = mapped_column(String(10))
    position: Mapped[str | None] = mapped_column(Text)


class RegistrationVersion(Base):
    """The content of one submission, kept as sent so a return and its revision can be compared."""

    __tablename__ = "registration_versions"

    registration_id: Mapped[UUID] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    submission_number: Mapped[int] = mapped_column(primary_key=True)
    collective_title: Mapped[str | None] = mapped_column(Text)
    members: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    commitments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    return_reason: Mapped[str | None] = mapped_column(Text)
    item_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")


class Covenant(Base):
    """An emulation covenant (giao ước thi đua): one per cluster of a campaign."""

    __tablename__ = "covenants"
    # Backstop for two concurrent creations for the same cluster.
    __table_args__ = (UniqueConstraint("campaign_id", "cluster"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey("campaigns.id"))
    cluster: Mapped[str] = mapped_column(Text)
    items: Mapped[list[str]] = mapped_column(JSONB)
    # Printed on the covenant document; the campaign's place of issue when left empty.
    document_number: Mapped[str] = mapped_column(Text, server_default="")
    place: Mapped[str] = mapped_column(Text, server_default="")
    status: Mapped[CovenantStatus] = mapped_column(
        code_column(CovenantStatus, 20), default=CovenantStatus.OPEN
    )
    in_force_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(default=1)

    signatures: Mapped[list["CovenantSignature"]] = relationship(
        lazy="raise",
        order_by=lambda: [CovenantSignature.signed_at, CovenantSignature.unit_code],
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CovenantSignature(Base):
    __tablename__ = "covenant_signatures"

    covenant_id: Mapped[UUID] = mapped_column(
        ForeignKey("covenants.id", ondelete="CASCADE"), primary_key=True
    )
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    signer_name: Mapped[str] = mapped_column(Text)
    signer_title: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DirectoryUnit(Base):
    """The local copy of the unit directory (đơn vị), fed by unit.changed."""

    __tablename__ = "directory_units"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    parent_code: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DirectoryCluster(Base):
    """The local copy of an emulation cluster (cụm thi đua), fed by cluster.changed."""

    __tablename__ = "directory_clusters"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    unit_codes: Mapped[list[str]] = mapped_column(JSONB)
    year: Mapped[int | None]
    leader_unit: Mapped[str | None] = mapped_column(String(50))
    deputy_unit: Mapped[str | None] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
