"""The cluster vote's table: each round of a cluster's scoring and ballot."""

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Date, DateTime, ForeignKey, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from awards.db import Base
from awards.voting.codes import TieBreak, VoteOutcome
from thidua_shared.platform.columns import code_column

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
    tie_break: Mapped[TieBreak] = mapped_column(code_column(TieBreak, 20))
    outcome: Mapped[VoteOutcome] = mapped_column(code_column(VoteOutcome, 20))
    leaders: Mapped[list[str]] = mapped_column(JSONB)
    explanation: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
