from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from campaigns.schemas import UnitCode
from thidua_shared.platform.validation import nfc

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(nfc),
]
Detail = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(nfc)
]


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: UnitCode = Field(description="Mã đơn vị: the key every service uses.")
    name: Name = Field(description="Tên đơn vị, e.g. Văn phòng Sở.")
    kind: Detail = Field(default="", description="Loại hình, e.g. phòng, trung tâm.")
    parent_code: UnitCode | None = Field(default=None, description="Đơn vị cấp trên.")
    contact: Detail = Field(default="", description="Liên hệ: phone, e-mail, address.")


class UnitUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    kind: Detail | None = None
    parent_code: UnitCode | None = None
    contact: Detail | None = None
    active: bool | None = Field(
        default=None, description="false deactivates the unit; units are never deleted."
    )


class UnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str
    parent_code: str | None
    contact: str
    active: bool
    version: int
    updated_at: datetime


class UnitPage(BaseModel):
    items: list[UnitRead]
    total: int
    limit: int
    offset: int


class ClusterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: UnitCode = Field(description="Mã cụm thi đua.")
    name: Name = Field(description="Tên cụm thi đua, e.g. Cụm thi đua số 1.")
    unit_codes: list[UnitCode] = Field(
        default_factory=list,
        max_length=500,
        description="Member units in rotation order (thứ tự luân phiên cụm trưởng).",
    )


class ClusterUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    unit_codes: list[UnitCode] | None = Field(default=None, max_length=500)
    active: bool | None = None


class LeadershipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    year: int
    leader_unit: str = Field(description="Cụm trưởng.")
    deputy_unit: str | None = Field(description="Cụm phó.")


class ClusterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    active: bool
    version: int
    unit_codes: list[str]
    leaderships: list[LeadershipRead]


class ImportResult(BaseModel):
    units_created: int
    units_updated: int
    units_unchanged: int
    clusters_created: int
    clusters_updated: int
