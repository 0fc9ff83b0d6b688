from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from awards.common.schemas import Code, Name
from awards.voting.codes import TieBreak


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="Scoring criterion (tiêu chí chấm điểm) of the cluster.")
    max_points: Decimal = Field(gt=0, le=1000, description="Điểm tối đa.")


class UnitScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_code: Code
    points: list[Decimal] = Field(description="Points per criterion, in the criteria's order.")


class UnitVotes(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_code: Code
    votes: int = Field(ge=0, description="Ballots naming this unit (số phiếu bầu).")


class ClusterVoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign_id: UUID
    cluster: Name = Field(description="The emulation cluster (cụm thi đua).")
    held_on: date = Field(description="Meeting date of the cluster (ngày họp cụm).")
    place: Name
    chair_name: Name = Field(description="Who chaired (chủ trì), usually the cluster leader.")
    secretary_name: Name = Field(description="Who kept the minutes (thư ký).")
    criteria: list[Criterion] = Field(min_length=1, max_length=50)
    scores: list[UnitScore] = Field(min_length=1, max_length=500)
    ballots_cast: int = Field(ge=0, description="Ballots collected (số phiếu thu về).")
    ballots_invalid: int = Field(ge=0, description="Invalid ballots (phiếu không hợp lệ).")
    votes: list[UnitVotes] = Field(max_length=500)
    seats: int = Field(default=1, ge=1, le=10, description="Leading units to elect.")
    tie_break: TieBreak = Field(
        default=TieBreak.SCORE,
        description="A tie on the last seat: the higher total score wins, or another round.",
    )


class ClusterVoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    cluster: str
    round: int = Field(description="1 for the first vote; a tie is settled by another round.")
    held_on: date
    place: str
    chair_name: str
    secretary_name: str
    criteria: list[dict[str, Any]]
    scores: list[dict[str, Any]] = Field(description="Per unit: points per criterion and total.")
    ballots_cast: int
    ballots_invalid: int
    ballots_valid: int
    votes: dict[str, int]
    seats: int
    tie_break: str
    outcome: str = Field(description="elected, tied (vote again) or no_majority.")
    leaders: list[str] = Field(description="The cluster's leading unit(s) (đơn vị dẫn đầu).")
    explanation: str
    recorded_at: datetime
