"""Events the reports service publishes (sơ kết, tổng kết)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.contracts.codes import KnownCodes
from thidua_shared.contracts.envelope import EventData
from thidua_shared.contracts.vocabulary import (
    Discipline,
    Gender,
    InitiativeLevel,
    ReportKind,
    TaskRating,
    Title,
)


class ReportSubmitted(EventData):
    event_type = "report.submitted"

    report_id: UUID
    campaign_id: UUID
    phase_number: int
    unit_code: str
    version: int
    submitted_at: datetime
    kind: Annotated[str, KnownCodes(ReportKind)] = Field(
        default="preliminary", description="preliminary (sơ kết) or final."
    )
    late: bool = Field(default=False, description="Submitted after the phase's report deadline.")


class CommitmentResult(BaseModel):
    """What the unit achieved against one of its approved commitments."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    task_number: int
    content: str = ""
    indicator: str = ""
    unit_of_measure: str = ""
    target_value: float | None = None
    lower_is_better: bool = False
    achieved_value: float | None = None
    percent_of_target: float | None = Field(
        default=None, description="Computed by the reports service, never typed by the unit."
    )
    narrative: str = ""
    evidence: list[str] = Field(default_factory=list)
    commitment_number: int | None = Field(
        default=None, description="1-based position of the commitment in the registration."
    )


class Initiative(BaseModel):
    """A recognised initiative (sáng kiến) or accepted research (đề tài)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    identifier: str = Field(description="e.g. SK-2018-014; an initiative grounds one award only.")
    title: str
    level: Annotated[str, KnownCodes(InitiativeLevel)] = Field(
        description="grassroots, provincial or national."
    )
    year: int


class Research(BaseModel):
    """A scientific topic or project (đề tài khoa học) the member led or took part in, and its
    acceptance (nghiệm thu): a fact of its own beside initiatives."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    identifier: str = Field(description="e.g. ĐT-2018-03; like an initiative, grounds one award.")
    title: str
    level: Annotated[str, KnownCodes(InitiativeLevel)] = Field(
        description="The level that accepted it: grassroots, provincial or national."
    )
    accepted_on: date | None = Field(default=None, description="Ngày nghiệm thu.")
    year: int = Field(description="The year it was accepted.")


class MemberEvaluation(BaseModel):
    """A member's evaluation in the final review (tổng kết)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    staff_code: str
    full_name: str
    task_rating: Annotated[str, KnownCodes(TaskRating)] = Field(
        description="xuat_sac, tot, hoan_thanh or khong_hoan_thanh."
    )
    discipline: Annotated[str, KnownCodes(Discipline)] = Field(
        default="none", description="none, khien_trach, canh_cao, higher."
    )
    discipline_from: date | None = None
    discipline_to: date | None = None
    under_investigation: bool = False
    initiatives: list[Initiative] = Field(default_factory=list)
    research: list[Research] = Field(
        default_factory=list, description="Accepted research (đề tài khoa học đã nghiệm thu)."
    )
    counted_leave_days: int = Field(default=0, description="Leave that counts as work time.")
    notes: str = ""
    gender: Annotated[str | None, KnownCodes(Gender)] = None
    title_aimed: Annotated[str | None, KnownCodes(Title)] = None
    joined_during_year: bool = Field(
        default=False, description="Joined the unit after it registered (not on its list)."
    )
    joined_on: date | None = None


class MemberLeft(BaseModel):
    """A registered member who left the unit during the year: listed, not evaluated."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    staff_code: str
    full_name: str
    left_on: date | None = None
    notes: str = ""


class ReportApproved(EventData):
    """The full approved content: the awards service works from it."""

    event_type = "report.approved"

    report_id: UUID
    campaign_id: UUID
    phase_number: int
    unit_code: str
    version: int
    self_assessment: Annotated[str | None, KnownCodes(TaskRating)] = None
    office_rating: Annotated[str | None, KnownCodes(TaskRating)] = Field(
        default=None,
        description="The standing office's own rating of the unit at the final review "
        "(xếp loại của cơ quan thường trực), absent when it recorded none.",
    )
    approved_at: datetime
    kind: Annotated[str, KnownCodes(ReportKind)] = Field(
        default="preliminary", description="preliminary (sơ kết) or final."
    )
    late: bool = False
    results: list[CommitmentResult] = Field(default_factory=list)
    member_evaluations: list[MemberEvaluation] = Field(default_factory=list)
    members_left: list[MemberLeft] = Field(default_factory=list)
    summary: str = ""


class ItemReason(BaseModel):
    """Why one item is returned: `commitment:<n>` (its result) or `member:<staff code>`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    item: str
    reason: str


class ReportReturned(EventData):
    event_type = "report.returned"

    report_id: UUID
    campaign_id: UUID
    phase_number: int
    unit_code: str
    version: int
    reason: str
    returned_at: datetime
    item_reasons: list[ItemReason] = Field(
        default_factory=list, description="Reasons for single items of the report."
    )


class ApprovedReportRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    unit_code: str
    report_id: UUID
    version: int | None = Field(
        default=None,
        description="The approved version the review read: a corrected report keeps its id and "
        "grows its version. Absent from reviews published before it was added.",
    )


class MissingUnit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    unit_code: str
    reason: str


class PhaseReviewed(EventData):
    """Every participating unit's report for the phase is approved (or the gaps recorded)."""

    event_type = "phase.reviewed"

    campaign_id: UUID
    phase_number: int
    phases_total: int
    approved_reports: list[ApprovedReportRef]
    missing_units: list[MissingUnit] = Field(default_factory=list)
    reviewed_at: datetime
    review_round: int = Field(
        default=1, description="Grows when the office reopens a reviewed phase for a correction."
    )
