"""What the office and the council read across units: progress and the consolidated report."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from reports.codes import UnitReportStatus
from reports.content_schemas import ResultRead
from thidua_shared.contracts.vocabulary import ReportKind


class OverdueUnit(BaseModel):
    unit_code: str
    unit_name: str
    cluster: str | None = Field(description="Emulation cluster (cụm thi đua).")
    status: Literal["missing", "draft"]


class PhaseProgress(BaseModel):
    phase_number: int
    name: str
    status: str
    closed_at: datetime | None
    due_at: datetime | None = Field(description="Reports first submitted after this are late.")
    review_round: int
    units: int = Field(description="Participating units.")
    missing: int = Field(description="Units with no submitted report (chưa nộp), drafts included.")
    drafts: int
    submitted: int = Field(description="Waiting for the office's review (chờ duyệt).")
    returned: int
    approved: int
    late: int = Field(description="Reports first submitted after the deadline (nộp muộn).")
    overdue_units: list[OverdueUnit] = Field(
        description="Units still without a submitted report after the deadline (quá hạn)."
    )


class CampaignProgress(BaseModel):
    campaign_id: UUID
    title: str
    report_due_days: int
    phases: list[PhaseProgress]


RatingCounts = dict[str, int]


class UnitConsolidated(BaseModel):
    unit_code: str
    unit_name: str
    cluster: str | None
    report_id: UUID | None
    status: UnitReportStatus
    late: bool
    self_assessment: str | None
    results: list[ResultRead]
    commitments: int = Field(description="Results reported against approved commitments.")
    targets_met: int = Field(description="Results at 100 % of target or more.")
    average_percent: float | None = Field(description="Mean % of target of the results.")
    member_ratings: RatingCounts | None = Field(
        description="Final review: members per task rating (xếp loại)."
    )
    members_disciplined: int | None
    initiatives: int | None
    missing_reason: str | None = Field(description="Why the review closed without the unit.")


class ConsolidatedTotals(BaseModel):
    units: int
    missing: int
    submitted: int
    returned: int
    approved: int
    late: int
    commitments: int
    targets_met: int
    member_ratings: RatingCounts | None
    members_disciplined: int | None
    initiatives: int | None


class ConsolidatedReport(BaseModel):
    """Báo cáo sơ kết / tổng kết: every unit's results against its targets, for the council."""

    campaign_id: UUID
    campaign_title: str
    phase_number: int
    phase_name: str
    kind: ReportKind
    phase_status: str
    review_round: int
    units: list[UnitConsolidated]
    totals: ConsolidatedTotals
