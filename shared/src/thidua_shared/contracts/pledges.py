"""Events the pledges service publishes (đăng ký thi đua, giao ước thi đua)."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.contracts.codes import KnownCodes
from thidua_shared.contracts.envelope import EventData
from thidua_shared.contracts.vocabulary import Gender, Title


class RegisteredMember(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    staff_code: str
    full_name: str
    title_aimed: Annotated[str | None, KnownCodes(Title)] = Field(
        default=None, description="Individual title aimed for; see contracts.vocabulary.TITLES."
    )
    gender: Annotated[str | None, KnownCodes(Gender)] = Field(
        default=None, description="female or male."
    )
    position: str = Field(default="", description="Chức vụ.")


class Commitment(BaseModel):
    """One of the unit's own commitments (nội dung đăng ký), tied to a task of the plan."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    task_number: int = Field(ge=1)
    content: str
    indicator: str = ""
    unit_of_measure: str = ""
    target_value: float | None = None
    lower_is_better: bool = False


class AttachmentRef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    url: str
    sha256: str
    description: str = ""


class PledgeSubmitted(EventData):
    event_type = "pledge.submitted"

    registration_id: UUID
    campaign_id: UUID
    unit_code: str
    version: int
    submitted_at: datetime


class PledgeApproved(EventData):
    event_type = "pledge.approved"

    registration_id: UUID
    campaign_id: UUID
    unit_code: str
    version: int
    collective_title: Annotated[str | None, KnownCodes(Title)] = None
    members: list[RegisteredMember] = Field(default_factory=list)
    approved_at: datetime
    commitments: list[Commitment] = Field(default_factory=list)
    cluster: str | None = None
    attachments: list[AttachmentRef] = Field(default_factory=list)


class PledgeReturned(EventData):
    """The office sent a registration back to its unit, with the reason, for resubmission."""

    event_type = "pledge.returned"

    registration_id: UUID
    campaign_id: UUID
    unit_code: str
    version: int
    reason: str
    returned_at: datetime


class CovenantSigned(EventData):
    event_type = "covenant.signed"

    covenant_id: UUID
    campaign_id: UUID
    cluster: str
    unit_code: str
    signed_at: datetime
    in_force: bool
