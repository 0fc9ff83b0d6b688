"""Tables of the council's work after compiling: cluster votes for the emulation flag, council
sessions and their votes, the public disclosure, decisions and their awards, exemplars."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.models import Base

CAMPAIGN = "campaigns.id"


class ClusterVote(Base):
    """A cluster's scoring and secret ballot (bình xét, suy tôn) for its leading unit."""

    __tablename__ = "cluster_votes"
    __table_args__ = (Unique("campaign_id", "cluster", "round"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey(CAMPAIGN, ondelete="CASCADE"))
    cluster: Mapped[str] = mapped_column(Text)
    # A tie left open by the tie-break rule is settled by another round.
    round: Mapped[int]
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text)
    chair_name: Mapped[str] = mapped_column(Text)
    secretary_name: Mapped[str] = mapped_column(Text)
    # [{"name", "max_points"}]
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    # [{"unit_code", "unit_name", "points": [...], "total"}], highest total first.
    scores: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    ballots_cast: Mapped[int]
    ballots_invalid: Mapped[int]
    votes: Mapped[dict[str, int]] = mapped_column(JSONB)
    seats: Mapped[int]
    tie_break: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    leaders: Mapped[list[str]] = mapped_column(JSONB)
    explanation: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CouncilSession(Base):
    """A meeting of the hội đồng thi đua – khen thưởng that votes on a campaign's nominations."""

    __tablename__ = "council_sessions"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey(CAMPAIGN, ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text)
    members_total: Mapped[int]
    members_present: Mapped[int]
    quorum_met: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    members: Mapped[list["CouncilMember"]] = relationship(
        lazy="raise", order_by="CouncilMember.position", cascade="all, delete-orphan"
    )
    votes: Mapped[list["CouncilVote"]] = relationship(
        lazy="raise",
        order_by="(CouncilVote.subject_kind, CouncilVote.subject_code, CouncilVote.title)",
        cascade="all, delete-orphan",
    )


class CouncilMember(Base):
    __tablename__ = "council_members"

    session_id: Mapped[UUID] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    present: Mapped[bool]


class CouncilVote(Base):
    __tablename__ = "council_votes"
    __table_args__ = (Unique("session_id", "subject_kind", "subject_code", "title"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    session_id: Mapped[UUID] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True
    )
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_code: Mapped[str] = mapped_column(String(50))
    subject_name: Mapped[str] = mapped_column(Text)
    unit_code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(Text)
    multiplier: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    initiative_identifiers: Mapped[list[str]] = mapped_column(JSONB)
    votes_for: Mapped[int]
    votes_against: Mapped[int]
    members_present: Mapped[int]
    threshold: Mapped[str] = mapped_column(String(10))
    threshold_source: Mapped[str] = mapped_column(Text)
    approved: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text)
    voted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Disclosure(Base):
    """The approved list published for public comment (công khai lấy ý kiến)."""

    __tablename__ = "disclosures"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey(CAMPAIGN, ondelete="CASCADE"))
    session_id: Mapped[UUID] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), unique=True
    )
    comment_from: Mapped[date] = mapped_column(Date)
    comment_until: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int]
    period_source: Mapped[str] = mapped_column(Text)
    # The approved votes as disclosed: [{"subject_kind", "subject_code", "subject_name",
    # "unit_code", "title", "multiplier", "basis"}].
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    disclosed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    comments: Mapped[list["DisclosureComment"]] = relationship(
        lazy="raise", order_by="DisclosureComment.received_at", cascade="all, delete-orphan"
    )


class DisclosureComment(Base):
    __tablename__ = "disclosure_comments"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    disclosure_id: Mapped[UUID] = mapped_column(
        ForeignKey("disclosures.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    subject_code: Mapped[str | None] = mapped_column(String(50))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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
    preamble: Mapped[list[str]] = mapped_column(JSONB)
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


class Exemplar(Base):
    """A subject selected as điển hình tiên tiến, with its story."""

    __tablename__ = "exemplars"
    __table_args__ = (Unique("campaign_id", "subject_kind", "subject_code"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey(CAMPAIGN, ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_code: Mapped[str] = mapped_column(String(50))
    subject_name: Mapped[str] = mapped_column(Text)
    story: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
