from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
UnitCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[\w.-]+$")
]
RULE_SETS = ("law-2013-decree-91-2017", "law-2022-decree-98-2023")


class PhaseIn(BaseModel):
    name: Text200 = Field(description="Phase name (đợt), e.g. 'Đợt 1'.")
    starts_on: date
    ends_on: date
    dedication: Annotated[str, StringConstraints(max_length=2000)] = ""


class UnitIn(BaseModel):
    code: UnitCode
    name: Text200
    cluster: Text200 | None = Field(default=None, description="Emulation cluster (cụm thi đua).")


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
        description="Awards rule set; defaults by year (before 2024: law-2013-decree-91-2017).",
        json_schema_extra={"enum": list(RULE_SETS)},
    )
    phases: list[PhaseIn] = Field(min_length=1, max_length=24)
    units: list[UnitIn] = Field(default_factory=list, max_length=5000)


class CampaignUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = None
    theme: Annotated[str, StringConstraints(max_length=4000)] | None = None
    registration_deadline: date | None = None


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


class CampaignPage(BaseModel):
    items: list[CampaignRead]
    total: int
    limit: int
    offset: int
