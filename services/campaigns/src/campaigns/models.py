from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from campaigns.codes import CampaignStatus, PhaseStatus
from thidua_shared.contracts.vocabulary import CampaignKind
from thidua_shared.platform.columns import code_column
from thidua_shared.platform.db import NAMING_CONVENTION, define_platform_tables


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


define_platform_tables(Base.metadata)


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    document_number: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    theme: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    registration_deadline: Mapped[date | None] = mapped_column(Date)
    rule_set: Mapped[str] = mapped_column(String(60))
    status: Mapped[CampaignStatus] = mapped_column(
        code_column(CampaignStatus, 20), default=CampaignStatus.DRAFT
    )
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    launched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The plan's content (kế hoạch): who issued it, what it asks, who receives it, who signed.
    issuing_agency: Mapped[str] = mapped_column(Text, default="", server_default="")
    place_of_issue: Mapped[str] = mapped_column(Text, default="", server_default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[CampaignKind] = mapped_column(
        code_column(CampaignKind, 20), default=CampaignKind.REGULAR, server_default="regular"
    )
    parent_campaign_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL")
    )
    legal_bases: Mapped[list[str]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    objectives: Mapped[list[str]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    # [{number, content, targets: [{indicator, unit_of_measure, target_value, lower_is_better}]}]
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    recipients: Mapped[list[str]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    signer_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    signer_title: Mapped[str] = mapped_column(Text, default="", server_default="")
    parent_agency: Mapped[str] = mapped_column(Text, default="", server_default="")
    introduction: Mapped[list[str]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    tasks_introduction: Mapped[str] = mapped_column(Text, default="", server_default="")
    implementation: Mapped[list[str]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    closing: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Directory clusters named as participants; their member units are in `participants`.
    cluster_codes: Mapped[list[str]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    amendment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    phases: Mapped[list["Phase"]] = relationship(
        lazy="raise", order_by="Phase.number", cascade="all, delete-orphan"
    )
    participants: Mapped[list["Participant"]] = relationship(
        lazy="raise", order_by="Participant.unit_code", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Phase(Base):
    __tablename__ = "phases"
    __table_args__ = (UniqueConstraint("campaign_id", "number"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    dedication: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PhaseStatus] = mapped_column(
        code_column(PhaseStatus, 20), default=PhaseStatus.PENDING
    )
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    close_reason: Mapped[str | None] = mapped_column(Text)


class Participant(Base):
    __tablename__ = "participants"

    campaign_id: Mapped[UUID] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    unit_code: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)
    unit_name: Mapped[str] = mapped_column(Text)
    cluster: Mapped[str | None] = mapped_column(Text)


class Amendment(Base):
    """A recorded change to a launched plan (sửa đổi, bổ sung kế hoạch), with its reason."""

    __tablename__ = "amendments"
    __table_args__ = (UniqueConstraint("campaign_id", "number"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    number: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    changed_fields: Mapped[list[str]] = mapped_column(JSONB)
    # {field: {"before": ..., "after": ...}} as JSON values.
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    amended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
