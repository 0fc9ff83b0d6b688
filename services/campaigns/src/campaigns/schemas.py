from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from thidua_shared.contracts.rule_sets import RuleSetId
from thidua_shared.contracts.vocabulary import CampaignKind
from thidua_shared.platform.validation import CODE_PATTERN, nfc

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
UnitCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=CODE_PATTERN)
]


# Plan text, stored as composed Unicode (NFC) so the same Vietnamese word always compares equal.
PlanLine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(nfc),
]
PlanName = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(nfc)
]
PlanParagraph = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(nfc),
]
PlanText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=4000), AfterValidator(nfc)
]


class PhaseIn(BaseModel):
    name: Text200 = Field(description="Phase name (đợt), e.g. 'Đợt 1'.")
    starts_on: date
    ends_on: date
    dedication: Annotated[str, StringConstraints(max_length=2000)] = ""


class UnitIn(BaseModel):
    code: UnitCode
    name: Text200
    cluster: Text200 | None = Field(default=None, description="Emulation cluster (cụm thi đua).")


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    indicator: PlanLine = Field(description="What is measured (chỉ tiêu).")
    unit_of_measure: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=50),
        AfterValidator(nfc),
    ] = Field(description="Unit of the value (đơn vị tính), e.g. %.")
    target_value: float = Field(allow_inf_nan=False)
    lower_is_better: bool = False


class TaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
        AfterValidator(nfc),
    ] = Field(description="The task (nhiệm vụ); numbered 1, 2, … in the order given.")
    targets: list[TargetIn] = Field(default_factory=list, max_length=50)


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_number: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)
    ] = Field(description="Number and symbol (số, ký hiệu), e.g. 60/KH-STTTT.")
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    year: int = Field(ge=1990, le=2100)
    theme: Annotated[str, StringConstraints(max_length=4000)] = ""
    period_start: date
    period_end: date
    registration_deadline: date | None = None
    rule_set: str | None = Field(
        default=None,
        description=(
            "Awards rule set (the legal regime): by default the one in force the day after the "
            "period ends, when its awards are considered; one not in force around then is refused."
        ),
        json_schema_extra={"enum": [str(rule_set) for rule_set in RuleSetId]},
    )
    phases: list[PhaseIn] = Field(min_length=1, max_length=24)
    units: list[UnitIn] = Field(default_factory=list, max_length=5000)
    # The plan's content (kế hoạch): all optional, editable in draft, frozen at launch.
    issuing_agency: PlanName = Field(default="", description="Cơ quan ban hành.")
    place_of_issue: PlanName = Field(default="", description="Địa danh, e.g. Đồng Nai.")
    issued_on: date | None = Field(default=None, description="Ngày ban hành.")
    kind: CampaignKind = Field(
        default=CampaignKind.REGULAR, description="thematic: thi đua chuyên đề."
    )
    parent_campaign_id: UUID | None = Field(
        default=None, description="The campaign this one nests under, e.g. the annual movement."
    )
    legal_bases: list[PlanLine] = Field(default_factory=list, max_length=100, description="Căn cứ.")
    objectives: list[PlanLine] = Field(default_factory=list, max_length=100)
    tasks: list[TaskIn] = Field(default_factory=list, max_length=100)
    recipients: list[PlanLine] = Field(
        default_factory=list, max_length=200, description="Nơi nhận."
    )
    signer_name: PlanName = ""
    signer_title: PlanName = Field(default="", description="e.g. Giám đốc.")
    parent_agency: PlanName = Field(default="", description="Cơ quan chủ quản, e.g. UBND tỉnh.")
    introduction: list[PlanParagraph] = Field(
        default_factory=list, max_length=20, description="Lời mở đầu: paragraphs before the goals."
    )
    tasks_introduction: PlanText = Field(default="", description="The sentence before the tasks.")
    implementation: list[PlanParagraph] = Field(
        default_factory=list, max_length=50, description="Tổ chức thực hiện, numbered in order."
    )
    closing: PlanText = Field(default="", description="Lời kêu gọi at the end of the plan.")
    unit_codes: list[UnitCode] = Field(
        default_factory=list,
        max_length=5000,
        description="Participating units (đơn vị) named by their code in the directory.",
    )
    cluster_codes: list[UnitCode] = Field(
        default_factory=list,
        max_length=500,
        description="Participating clusters (cụm thi đua) of the directory: all their members.",
    )


class CampaignUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = None
    theme: Annotated[str, StringConstraints(max_length=4000)] | None = None
    registration_deadline: date | None = None
    issuing_agency: PlanName | None = None
    place_of_issue: PlanName | None = None
    issued_on: date | None = None
    kind: CampaignKind | None = None
    parent_campaign_id: UUID | None = None
    legal_bases: list[PlanLine] | None = Field(default=None, max_length=100)
    objectives: list[PlanLine] | None = Field(default=None, max_length=100)
    tasks: list[TaskIn] | None = Field(default=None, max_length=100)
    recipients: list[PlanLine] | None = Field(default=None, max_length=200)
    signer_name: PlanName | None = None
    signer_title: PlanName | None = None
    parent_agency: PlanName | None = None
    introduction: list[PlanParagraph] | None = Field(default=None, max_length=20)
    tasks_introduction: PlanText | None = None
    implementation: list[PlanParagraph] | None = Field(default=None, max_length=50)
    closing: PlanText | None = None


Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(nfc),
]


class AmendmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="Why the launched plan changes (lý do sửa đổi).")
    changes: CampaignUpdate = Field(description="The plan fields that change, as in a PATCH.")


class AmendmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    reason: str
    changed_fields: list[str]
    changes: dict[str, dict[str, object]] = Field(
        description="Each changed field with its value before and after."
    )
    amended_at: datetime


class CampaignCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="Why the campaign is cancelled (lý do hủy).")


class PhaseClose(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
        | None
    ) = Field(
        default=None, description="Required when the office closes a phase before its end date."
    )


class PhaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    name: str
    starts_on: date
    ends_on: date
    dedication: str
    status: str
    opened_at: datetime | None
    closed_at: datetime | None
    close_reason: str | None


class UnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(validation_alias="unit_code")
    name: str = Field(validation_alias="unit_name")
    cluster: str | None


class TargetRead(BaseModel):
    indicator: str
    unit_of_measure: str
    target_value: float
    lower_is_better: bool


class TaskRead(BaseModel):
    number: int
    content: str
    targets: list[TargetRead]


class CampaignRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    document_number: str
    title: str
    year: int
    theme: str
    period_start: date
    period_end: date
    registration_deadline: date | None
    rule_set: str
    status: str
    version: int
    launched_at: datetime | None
    closed_at: datetime | None
    phases: list[PhaseRead]
    units: list[UnitRead] = Field(validation_alias="participants")
    issuing_agency: str
    place_of_issue: str
    issued_on: date | None
    kind: str
    parent_campaign_id: UUID | None
    legal_bases: list[str]
    objectives: list[str]
    tasks: list[TaskRead]
    recipients: list[str]
    signer_name: str
    signer_title: str
    parent_agency: str
    introduction: list[str]
    tasks_introduction: str
    implementation: list[str]
    closing: str
    cluster_codes: list[str]
    amendment_count: int
    cancelled_at: datetime | None
    cancel_reason: str | None


class CampaignPage(BaseModel):
    items: list[CampaignRead]
    total: int
    limit: int
    offset: int


class CalendarRead(BaseModel):
    campaign_id: UUID
    status: str
    today: date = Field(description="The agency's date the calendar is computed for.")
    open_now: list[PhaseRead] = Field(description="Phases (đợt) open today.")
    next_to_open: PhaseRead | None
    next_to_close: PhaseRead | None
    phases: list[PhaseRead]
