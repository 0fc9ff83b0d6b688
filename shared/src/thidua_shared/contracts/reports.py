"""Events the reports service publishes (sơ kết, tổng kết)."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.contracts.envelope import EventData


class ReportSubmitted(EventData):
    event_type = "report.submitted"

    report_id: UUID
    campaign_id: UUID
    phase_number: int
    unit_code: str
    version: int
    submitted_at: datetime


class ReportApproved(EventData):
    event_type = "report.approved"

    report_id: UUID
    campaign_id: UUID
    phase_number: int
    unit_code: str
    version: int
    self_assessment: str | None = None
    approved_at: datetime


class ReportReturned(EventData):
    event_type = "report.returned"

    report_id: UUID
    campaign_id: UUID
    phase_number: int
    unit_code: str
    version: int
    reason: str
    returned_at: datetime


class ApprovedReportRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    unit_code: str
    report_id: UUID


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
