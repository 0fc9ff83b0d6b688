"""The decisions' tables: each decision and the awards it gives."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.db import Base

CAMPAIGN = "campaigns.id"


class Decision(Base):
    """A commendation decision (quyết định khen thưởng)."""

    __tablename__ = "decisions"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey(CAMPAIGN, ondelete="CASCADE"))
    disclosure_id: Mapped[UUID] = mapped_column(
        ForeignKey("disclosures.id", ondelete="CASCADE"), unique=True
    )
    number: Mapped[str] = mapped_column(String(50), unique=True)
    decided_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text)
    issuing_agency: Mapped[str] = mapped_column(Text)
    parent_agency: Mapped[str] = mapped_column(Text)
    signer_authority: Mapped[str] = mapped_column(Text)
    signer_title: Mapped[str] = mapped_column(Text)
    signer_name: Mapped[str] = mapped_column(Text)
    # The "Căn cứ …" lines: the regime's law and decree, the agency's own, the plan.
    preamble: Mapped[list[str]] = mapped_column(JSONB)
    # "Xét đề nghị của …": who proposed the awards and in which document.
    proposal: Mapped[str] = mapped_column(Text, server_default="")
    recipients: Mapped[list[str]] = mapped_column(JSONB)
    base_salary_vnd: Mapped[int] = mapped_column(BigInteger)
    base_salary_source: Mapped[str] = mapped_column(Text)
    rounding_rule: Mapped[str] = mapped_column(Text)
    total_bonus_vnd: Mapped[int] = mapped_column(BigInteger)
    # [{"subject_kind", "subject_code", "title", "reason"}]: disclosed, not awarded.
    withheld: Mapped[list[dict[str, str]]] = mapped_column(JSONB)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    awards: Mapped[list["DecisionAward"]] = relationship(
        lazy="raise", order_by="DecisionAward.position", cascade="all, delete-orphan"
    )

    @property
    def bonus_recovered_vnd(self) -> int:
        return sum(award.bonus_recovered_vnd or 0 for award in self.awards)


class DecisionAward(Base):
    __tablename__ = "decision_awards"
    __table_args__ = (Unique("decision_id", "subject_kind", "subject_code", "title"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    decision_id: Mapped[UUID] = mapped_column(
        ForeignKey("decisions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_code: Mapped[str] = mapped_column(String(50))
    subject_name: Mapped[str] = mapped_column(Text)
    unit_code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(100))
    multiplier: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    multiplier_source: Mapped[str] = mapped_column(Text)
    bonus_vnd: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    # The revocation decision (quyết định hủy bỏ) and the bonus it recovers (thu hồi).
    revocation_number: Mapped[str | None] = mapped_column(Text)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revocation_signer_title: Mapped[str | None] = mapped_column(Text)
    revocation_signer_name: Mapped[str | None] = mapped_column(Text)
    bonus_recovered_vnd: Mapped[int | None] = mapped_column(BigInteger)
