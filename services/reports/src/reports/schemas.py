from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

UnitCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[\w.-]+$")
]
Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
SelfAssessment = Literal["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"]
ReportStatus = Literal["submitted", "returned", "approved"]

SUMMARY_DESCRIPTION = "Results of the phase (kết quả sơ kết / tổng kết) in the unit's words."
SELF_ASSESSMENT_DESCRIPTION = (
    "The unit's own rating (tự đánh giá): xuat_sac (xuất sắc), tot (tốt), "
    "hoan_thanh (hoàn thành), khong_hoan_thanh (không hoàn thành)."
)


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign_id: UUID
    phase_number: int = Field(ge=1, le=24, description="The phase (đợt) the report covers.")
    unit_code: UnitCode = Field(description="The reporting unit (đơn vị).")
    summary: Summary = Field(description=SUMMARY_DESCRIPTION)
    self_assessment: SelfAssessment | None = Field(
        default=None, description=SELF_ASSESSMENT_DESCRIPTION
    )


class ReportReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="Why the office returns the report (lý do trả lại).")


class ReportResubmit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Summary = Field(description=SUMMARY_DESCRIPTION)
    self_assessment: SelfAssessment | None = Field(
        default=None, description=SELF_ASSESSMENT_DESCRIPTION
    )


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    phase_number: int
    unit_code: str
    kind: Literal["preliminary", "final"] = Field(
        description="preliminary (sơ kết) for every phase but the last, final (tổng kết) for it."
    )
    status: ReportStatus
    submission: int = Field(description="1 for the first submission, +1 at each resubmission.")
    summary: str
    self_assessment: SelfAssessment | None
    return_reason: str | None
    version: int
    submitted_at: datetime
    returned_at: datetime | None
    approved_at: datetime | None


class ReportVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    submission: int
    summary: str
    self_assessment: SelfAssessment | None
    submitted_at: datetime
    return_reason: str | None
    returned_at: datetime | None


class ReportPage(BaseModel):
    items: list[ReportRead]
    total: int
    limit: int
    offset: int
