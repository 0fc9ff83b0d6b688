"""Council meetings over HTTP: the API keeps the name "session" (phiên họp) for them."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from awards.common.schemas import Code, Name, TitleCode
from thidua_shared.contracts.vocabulary import SubjectKind


class MemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="Full name (họ và tên) of the council member.")
    role: Name = Field(description="Role in the council, e.g. Chủ tịch, Phó Chủ tịch, Ủy viên.")
    present: bool = Field(description="Present at this session (có mặt).")


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign_id: UUID = Field(description="The campaign (phong trào thi đua).")
    held_on: date = Field(description="Meeting date (ngày họp).")
    place: Name = Field(description="Where the council meets (địa điểm).")
    members: list[MemberCreate] = Field(
        min_length=1, max_length=200, description="Every member of the council, present or not."
    )


class VoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_kind: SubjectKind
    subject_code: Code
    title: TitleCode = Field(description="The nominated title (danh hiệu).")
    votes_for: int = Field(ge=0, description="Phiếu tán thành.")
    votes_against: int = Field(ge=0, description="Phiếu không tán thành.")
    reason: str = Field(
        default="", max_length=2000, description="The council's reason when it rejects."
    )


class VotesCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    votes: list[VoteCreate] = Field(min_length=1, max_length=5000)


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    role: str
    present: bool


class VoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    basis: str = Field(description="Why it was nominated (căn cứ).")
    votes_for: int
    votes_against: int
    members_present: int
    threshold: str = Field(description="Share of members present that must vote for, e.g. 2/3.")
    threshold_source: str
    approved: bool
    reason: str = Field(description="Why it was rejected (lý do không đề nghị).")


class SessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    held_on: date
    place: str
    members_total: int
    members_present: int
    quorum_met: bool = Field(description="At least 2/3 of the members present (đủ túc số).")
    created_at: datetime
    members: list[MemberRead]
    votes: list[VoteRead]


class Candidate(BaseModel):
    """A nomination on the council's agenda."""

    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    basis: str
    multiplier: Decimal
    initiative_identifiers: list[str]
    threshold: str
    threshold_source: str


class WithheldCandidate(BaseModel):
    """A cluster's elected leader not proposed for the flag: it misses the flag's criteria."""

    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    reason: str = Field(description="The criteria it misses, with the facts read (lý do).")


class Agenda(BaseModel):
    campaign_id: UUID
    compilation_version: int | None
    candidates: list[Candidate]
    withheld: list[WithheldCandidate] = Field(
        default_factory=list,
        description="Elected cluster leaders that miss the flag's criteria (not voted on).",
    )
