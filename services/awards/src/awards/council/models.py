"""The council's tables: its meetings, the members listed at each and the vote on each
nomination. The API and the tables call a meeting a session (phiên họp: `council_sessions`,
`session_id`); the code says meeting, keeping "session" for the database's."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import Date, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.db import Base

CAMPAIGN = "campaigns.id"


class CouncilMeeting(Base):
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
