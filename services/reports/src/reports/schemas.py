from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from reports.codes import PhaseStatus, ReportStatus
from reports.content_schemas import (
    ItemReasonIn,
    ItemReasonRead,
    MemberEvaluationRead,
    MemberLeftRead,
    ReportContent,
    ResultRead,
)
from thidua_shared.contracts.vocabulary import ReportKind, TaskRating
from thidua_shared.platform.validation import CODE_PATTERN

UnitCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=CODE_PATTERN)
]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ReportCreate(ReportContent):
    campaign_id: UUID
    phase_number: int = Field(ge=1, le=24, description="The phase (đợt) the report covers.")
    unit_code: UnitCode = Field(description="The reporting unit (đơn vị).")
    draft: bool = Field(
        default=False,
        description="Save as a draft (bản nháp), possible before the phase closes; submit it "
        "later with POST /reports/{id}/submit.",
    )


class ReportReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="Why the office returns the report (lý do trả lại).")
    item_reasons: list[ItemReasonIn] = Field(
        default_factory=list, max_length=500, description="Reasons for single items."
    )


class ReportApproval(BaseModel):
    model_config = ConfigDict(extra="forbid")

    office_rating: TaskRating | None = Field(
        default=None,
        description="Final review only: the standing office's own rating of the unit (xếp loại "
        "của cơ quan thường trực); the rules read it where the law names the assessing body. "
        "Without it the unit's self-assessment stands.",
    )


class ReportReopen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="Why the approval is withdrawn (lý do mở lại).")


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    phase_number: int
    unit_code: str
    kind: ReportKind = Field(
        description="preliminary (sơ kết) for every phase but the last, final (tổng kết) for it."
    )
    status: ReportStatus
    submission: int = Field(description="0 for a draft, 1 at the first submission, +1 at each.")
    summary: str
    self_assessment: str | None
    office_rating: str | None = Field(
        default=None, description="The office's own rating at the final review, if it gave one."
    )
    results: list[ResultRead]
    member_evaluations: list[MemberEvaluationRead]
    members_left: list[MemberLeftRead]
    late: bool = Field(description="First submitted after the phase's report deadline (nộp muộn).")
    return_reason: str | None
    item_reasons: list[ItemReasonRead]
    version: int
    submitted_at: datetime | None
    returned_at: datetime | None
    approved_at: datetime | None


class ReportVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    submission: int
    summary: str
    self_assessment: str | None
    results: list[ResultRead]
    member_evaluations: list[MemberEvaluationRead]
    members_left: list[MemberLeftRead]
    submitted_at: datetime
    return_reason: str | None
    item_reasons: list[ItemReasonRead]
    returned_at: datetime | None
    approved_at: datetime | None
    approval_withdrawn_at: datetime | None = Field(
        description="When an approval given by mistake was withdrawn (mở lại)."
    )
    approval_withdrawn_reason: str | None


class ReportPage(BaseModel):
    items: list[ReportRead]
    total: int
    limit: int
    offset: int


class MissingUnitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_code: UnitCode
    reason: Reason


class ReviewClosure(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(
        description="Why the review closes with units missing (lý do kết thúc xét khi thiếu)."
    )
    units: list[MissingUnitIn] = Field(
        default_factory=list,
        max_length=500,
        description="A reason per missing unit; units not listed get the overall reason.",
    )


class PhaseReopening(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="What must be corrected (lý do mở lại để điều chỉnh).")
    unit_codes: list[UnitCode] = Field(
        min_length=1, max_length=500, description="The units whose approved reports reopen."
    )


class PhaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    campaign_id: UUID
    number: int
    name: str
    status: PhaseStatus
    closed_at: datetime | None
    reviewed_at: datetime | None
    review_round: int = Field(description="How many times phase.reviewed has been published.")
    reviewed_by: str | None
    reopened_at: datetime | None
    reopen_reason: str | None
