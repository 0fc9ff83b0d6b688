from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[\w.-]+$")
]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MAX_MEMBERS = 5000


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_code: Code = Field(description="Staff code (mã cán bộ), unique within the unit's list.")
    full_name: Text200 = Field(description="Full name (họ và tên).")
    title_aimed: Text200 | None = Field(
        default=None,
        description="Individual title aimed for (danh hiệu cá nhân đăng ký), "
        "e.g. 'Chiến sĩ thi đua cơ sở'.",
    )


class RegistrationContent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    collective_title: Text200 | None = Field(
        default=None,
        description="Collective title aimed for (danh hiệu tập thể), "
        "e.g. 'Tập thể lao động xuất sắc'.",
    )
    members: list[MemberIn] = Field(
        max_length=MAX_MEMBERS, description="Members registering (cá nhân đăng ký thi đua)."
    )


class RegistrationCreate(RegistrationContent):
    campaign_id: UUID = Field(description="The launched campaign (phong trào thi đua).")
    unit_code: Code = Field(description="The registering unit (đơn vị).")


class RegistrationReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="What the unit must revise (lý do trả lại).")


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    staff_code: str
    full_name: str
    title_aimed: str | None


class RegistrationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    unit_code: str
    collective_title: str | None
    status: str
    submission_number: int = Field(description="1 for the first submission, +1 per resubmission.")
    return_reason: str | None
    version: int = Field(description="Changes with every edit; the ETag.")
    submitted_at: datetime
    returned_at: datetime | None
    approved_at: datetime | None


class RegistrationRead(RegistrationSummary):
    members: list[MemberRead]


class RegistrationPage(BaseModel):
    items: list[RegistrationSummary]
    total: int
    limit: int
    offset: int


class RegistrationVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    submission_number: int
    collective_title: str | None
    members: list[MemberRead]
    submitted_at: datetime
    returned_at: datetime | None
    return_reason: str | None


CovenantItem = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]


class CovenantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign_id: UUID = Field(description="The launched campaign (phong trào thi đua).")
    cluster: Text200 = Field(description="The emulation cluster (cụm thi đua) that covenants.")
    items: list[CovenantItem] = Field(
        min_length=1, max_length=100, description="What the units covenant (nội dung giao ước)."
    )


class SignatureCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_code: Code = Field(description="The signing member unit (đơn vị ký giao ước).")
    signer_name: Text200 = Field(description="Full name of who signs for the unit.")
    signer_title: Text200 = Field(description="Their title, e.g. 'Giám đốc'.")


class SignatureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    unit_code: str
    signer_name: str
    signer_title: str
    signed_at: datetime


class CovenantRead(BaseModel):
    id: UUID
    campaign_id: UUID
    cluster: str
    items: list[str]
    status: str = Field(description="open, or in_force once every member unit has signed.")
    in_force_at: datetime | None
    member_units: list[str] = Field(description="The cluster's units in the campaign.")
    signatures: list[SignatureRead]
    version: int = Field(description="Changes with every signature; the ETag.")


class ExtensionGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: date = Field(
        description="The unit may submit until this day (Vietnam time), not before the deadline."
    )
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="Why the unit is given more time (lý do gia hạn).")


class ExtensionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    campaign_id: UUID
    unit_code: str
    until: date
    reason: str
    granted_by: str
    granted_at: datetime


RegistrationState = Literal["not_registered", "submitted", "returned", "approved"]


class UnitProgress(BaseModel):
    unit_code: str
    unit_name: str
    cluster: str | None
    registration_status: RegistrationState
    registration_id: UUID | None
    extension_until: date | None = Field(description="The unit's own deadline, if extended.")


class StatusCounts(BaseModel):
    not_registered: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0


class ClusterProgress(BaseModel):
    cluster: str
    member_units: list[str]
    covenant_status: Literal["none", "open", "in_force"]
    covenant_id: UUID | None
    signed: list[str] = Field(description="Member units that have signed the covenant.")
    not_signed: list[str] = Field(description="Member units yet to sign (all, without one).")


class CampaignProgress(BaseModel):
    campaign_id: UUID
    title: str
    status: str
    registration_deadline: date | None
    units: list[UnitProgress]
    counts: StatusCounts = Field(description="Participating units per registration status.")
    clusters: list[ClusterProgress]
