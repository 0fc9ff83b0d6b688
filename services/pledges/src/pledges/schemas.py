from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, StringConstraints

from pledges.codes import CovenantState, RegistrationState, RegistrationStatus
from thidua_shared.contracts.vocabulary import GENDERS, PERSON_TITLES, TITLES, UNIT_TITLES
from thidua_shared.platform.validation import (
    CODE_PATTERN,
    RETURNED_ITEM_PATTERN,
    finite,
    labelled,
    one_of,
)

Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=CODE_PATTERN)
]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text50 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50)]
Text2000 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
MAX_MEMBERS = 5000


PersonTitle = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    one_of(PERSON_TITLES, "An individual title"),
    Field(
        description="Individual title aimed for (danh hiệu cá nhân đăng ký): "
        + labelled(TITLES, PERSON_TITLES),
        json_schema_extra={"enum": list(PERSON_TITLES)},
    ),
]
UnitTitle = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    one_of(UNIT_TITLES, "A collective title"),
    Field(
        description="Collective title aimed for (danh hiệu tập thể): "
        + labelled(TITLES, UNIT_TITLES),
        json_schema_extra={"enum": list(UNIT_TITLES)},
    ),
]
Gender = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    one_of(GENDERS, "Gender"),
    Field(
        description="Gender (giới tính): female (Nữ) or male (Nam).",
        json_schema_extra={"enum": list(GENDERS)},
    ),
]


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_code: Code = Field(description="Staff code (mã cán bộ), unique within the unit's list.")
    full_name: Text200 = Field(description="Full name (họ và tên).")
    gender: Gender | None = None
    position: Text200 | None = Field(
        default=None, description="Post (chức vụ), e.g. 'Trưởng phòng'."
    )
    title_aimed: PersonTitle | None = None


class CommitmentIn(BaseModel):
    """What the unit gives; what it leaves out comes from the plan's target for the task."""

    model_config = ConfigDict(extra="forbid")

    task_number: int = Field(ge=1, le=1000, description="The plan's task (nhiệm vụ) it serves.")
    content: Text2000 | None = Field(
        default=None,
        description="What the unit commits to (nội dung đăng ký); the task's text if left out.",
    )
    indicator: Text200 | None = Field(
        default=None,
        description="What is measured (chỉ tiêu); the plan's first target of the task if left out.",
    )
    unit_of_measure: Text50 | None = Field(
        default=None, description="Unit of the value (đơn vị tính), e.g. %."
    )
    target_value: Annotated[float, AfterValidator(finite)] | None = Field(
        default=None, description="The value committed to (giá trị chỉ tiêu)."
    )
    lower_is_better: bool | None = Field(
        default=None, description="True when a value at or below the target meets it."
    )


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: HttpUrl = Field(description="Where the file is kept, e.g. the unit meeting's minutes.")
    sha256: Annotated[
        str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[0-9a-fA-F]{64}$")
    ] = Field(description="SHA-256 checksum of the file, 64 hexadecimal digits.")
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = Field(
        default="", description="What the file is, e.g. 'Biên bản họp đơn vị'."
    )


class RegistrationContent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    collective_title: UnitTitle | None = None
    members: list[MemberIn] = Field(
        max_length=MAX_MEMBERS, description="Members registering (cá nhân đăng ký thi đua)."
    )
    commitments: list[CommitmentIn] = Field(
        default_factory=list,
        max_length=200,
        description="The unit's own commitments (nội dung đăng ký), each tied to a plan task.",
    )
    attachments: list[AttachmentIn] = Field(
        default_factory=list,
        max_length=50,
        description="References to attached files (tài liệu kèm theo), by URL and checksum.",
    )


class RegistrationCreate(RegistrationContent):
    campaign_id: UUID = Field(description="The launched campaign (phong trào thi đua).")
    unit_code: Code = Field(description="The registering unit (đơn vị).")
    draft: bool = Field(
        default=False,
        description="Save as a draft (bản nháp), possible whatever the deadline; change it "
        "with PUT /pledges/registrations/{id}, submit it with POST .../{id}/submit.",
    )


class ItemReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            max_length=60,
            pattern=RETURNED_ITEM_PATTERN,
        ),
    ] = Field(
        description="`commitment:<n>` for the registration's n-th commitment, "
        "`member:<staff code>` for a member."
    )
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ] = Field(description="What to revise in that item.")


class ItemReasonRead(BaseModel):
    item: str
    reason: str


class RegistrationReturn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="What the unit must revise (lý do trả lại).")
    item_reasons: list[ItemReasonIn] = Field(
        default_factory=list,
        max_length=500,
        description="Reasons for single commitments or members, beside the general one.",
    )


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    staff_code: str
    full_name: str
    gender: str | None = None
    position: str | None = None
    title_aimed: str | None


class CommitmentRead(BaseModel):
    task_number: int
    content: str
    indicator: str
    unit_of_measure: str
    target_value: float | None
    lower_is_better: bool


class AttachmentRead(BaseModel):
    url: str
    sha256: str
    description: str


class RegistrationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    unit_code: str
    collective_title: str | None
    status: RegistrationStatus
    submission_number: int = Field(
        description="0 for a draft, 1 at the first submission, +1 per resubmission."
    )
    return_reason: str | None
    item_reasons: list[ItemReasonRead] = Field(
        default_factory=list, description="The last return's reasons for single items."
    )
    version: int = Field(description="Changes with every edit; the ETag.")
    submitted_at: datetime | None = Field(description="None while a draft never submitted.")
    returned_at: datetime | None
    approved_at: datetime | None


class RegistrationRead(RegistrationSummary):
    members: list[MemberRead]
    commitments: list[CommitmentRead]
    attachments: list[AttachmentRead]


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
    commitments: list[CommitmentRead]
    attachments: list[AttachmentRead]
    submitted_at: datetime
    returned_at: datetime | None
    return_reason: str | None
    item_reasons: list[ItemReasonRead] = Field(default_factory=list)


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
    document_number: Text50 = Field(
        default="", description="Number and symbol printed on the document, e.g. 01/GƯTĐ-C1."
    )
    place: Text50 = Field(
        default="",
        description="The province or city on the document's place line (địa danh, e.g. Đồng "
        "Nai), not where the units met; the plan's if empty.",
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
    document_number: str
    place: str
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


class UnitProgress(BaseModel):
    unit_code: str
    unit_name: str
    cluster: str | None
    registration_status: RegistrationState
    registration_id: UUID | None
    extension_until: date | None = Field(description="The unit's own deadline, if extended.")


class StatusCounts(BaseModel):
    not_registered: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0


class ClusterSignature(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    unit_code: str
    signer_name: str
    signer_title: str
    signed_at: datetime


class ClusterProgress(BaseModel):
    cluster: str
    member_units: list[str]
    covenant_status: CovenantState
    covenant_id: UUID | None
    in_force_at: datetime | None = Field(description="When the last member unit signed.")
    signed: list[str] = Field(description="Member units that have signed the covenant.")
    not_signed: list[str] = Field(description="Member units yet to sign (all, without one).")
    signatures: list[ClusterSignature] = Field(
        description="Who signed for each unit that has, in the order they signed."
    )


class CampaignProgress(BaseModel):
    campaign_id: UUID
    title: str
    status: str
    registration_deadline: date | None
    units: list[UnitProgress]
    counts: StatusCounts = Field(description="Participating units per registration status.")
    clusters: list[ClusterProgress]
