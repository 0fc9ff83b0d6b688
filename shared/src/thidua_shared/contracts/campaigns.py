"""Events the campaigns service publishes (phong trào, đợt thi đua)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.contracts.codes import KnownCodes
from thidua_shared.contracts.envelope import EventData
from thidua_shared.contracts.vocabulary import CampaignKind


class PhaseSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    number: int = Field(ge=1, description="1-based order of the phase (đợt).")
    name: str
    starts_on: date
    ends_on: date
    dedication: str = ""


class UnitSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    code: str = Field(description="Stable unit code (đơn vị); the key other services use.")
    name: str
    cluster: str | None = Field(default=None, description="Emulation cluster (cụm thi đua).")


class ClusterSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str
    unit_codes: list[str]


class TargetSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    indicator: str = Field(
        description="What is measured (chỉ tiêu), e.g. officials who complete their tasks."
    )
    unit_of_measure: str = Field(description="Unit of the value (đơn vị tính), e.g. %.")
    target_value: float
    lower_is_better: bool = Field(
        default=False, description="True when a value at or below the target meets it."
    )


class TaskSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    number: int = Field(ge=1, description="1-based order of the task (nhiệm vụ) in the plan.")
    content: str
    targets: list[TargetSnapshot] = Field(default_factory=list)


class CampaignLaunched(EventData):
    """A full snapshot: a subscriber can act on the campaign without calling our API."""

    event_type = "campaign.launched"

    campaign_id: UUID
    document_number: str = Field(description="Number and symbol, e.g. 60/KH-STTTT.")
    title: str
    year: int
    theme: str = ""
    period_start: date
    period_end: date
    registration_deadline: date | None = None
    rule_set: str = Field(description="The awards rule set, e.g. law-2013-decree-91-2017.")
    phases: list[PhaseSnapshot]
    units: list[UnitSnapshot]
    clusters: list[ClusterSnapshot]
    launched_at: datetime
    issuing_agency: str = Field(default="", description="Issuing agency (cơ quan ban hành).")
    kind: Annotated[str, KnownCodes(CampaignKind)] = Field(
        default="regular", description="regular or thematic (chuyên đề)."
    )
    parent_campaign_id: UUID | None = Field(
        default=None, description="The campaign this one nests under, e.g. the annual movement."
    )
    objectives: list[str] = Field(default_factory=list, description="Objectives (mục tiêu).")
    tasks: list[TaskSnapshot] = Field(
        default_factory=list, description="Numbered tasks (nhiệm vụ) with measurable targets."
    )
    signer_name: str = ""
    signer_title: str = ""
    parent_agency: str = Field(default="", description="Cơ quan chủ quản, e.g. UBND tỉnh Đồng Nai.")
    place_of_issue: str = Field(default="", description="Địa danh, e.g. Đồng Nai.")
    issued_on: date | None = Field(default=None, description="Ngày ban hành.")
    legal_bases: list[str] = Field(default_factory=list, description="Căn cứ.")
    introduction: list[str] = Field(
        default_factory=list, description="Opening paragraphs of the plan (lời mở đầu)."
    )
    tasks_introduction: str = Field(default="", description="The sentence before the tasks.")
    implementation: list[str] = Field(
        default_factory=list, description="Organisation of implementation (tổ chức thực hiện)."
    )
    closing: str = Field(default="", description="The closing appeal (lời kêu gọi).")
    recipients: list[str] = Field(default_factory=list, description="Nơi nhận.")
    cluster_codes: list[str] = Field(
        default_factory=list, description="Directory clusters (cụm thi đua) named as participants."
    )
    amendment_count: int = Field(default=0, ge=0, description="Amendments recorded so far.")


class PhaseOpened(EventData):
    event_type = "phase.opened"

    campaign_id: UUID
    phase_number: int
    opened_at: datetime


class PhaseClosed(EventData):
    event_type = "phase.closed"

    campaign_id: UUID
    phase_number: int
    phases_total: int
    is_last: bool
    closed_at: datetime
    reason: str | None = Field(default=None, description="Set when the office closed it early.")


class CampaignClosed(EventData):
    event_type = "campaign.closed"

    campaign_id: UUID
    closed_at: datetime


class CampaignAmended(CampaignLaunched):
    """A recorded change to a launched campaign; carries the whole amended snapshot."""

    event_type = "campaign.amended"

    amendment_number: int = Field(ge=1)
    reason: str
    changed_fields: list[str]
    amended_at: datetime


class CampaignCancelled(EventData):
    event_type = "campaign.cancelled"

    campaign_id: UUID
    reason: str
    cancelled_at: datetime
