"""Events the campaigns service publishes (phong trào, đợt thi đua)."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.contracts.envelope import EventData


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
