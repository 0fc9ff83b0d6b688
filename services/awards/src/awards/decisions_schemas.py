from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from awards.council_schemas import Code, Name, SubjectKind, Text, TitleCode

DecisionNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[\w./-]+$"),
]
DEFAULT_PREAMBLE = [
    "Căn cứ Luật Thi đua, khen thưởng;",
    "Căn cứ Nghị định của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, "
    "khen thưởng;",
]


class WithheldAward(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_kind: SubjectKind
    subject_code: Code
    title: TitleCode
    reason: Text = Field(description="Why it is not awarded, e.g. a complaint upheld.")


class DecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disclosure_id: UUID = Field(description="The disclosed list (danh sách đã công khai).")
    number: DecisionNumber = Field(description="Số quyết định, e.g. 125/QĐ-STTTT.")
    decided_on: date = Field(description="Ngày ký quyết định; the base salary of this day applies.")
    place: Name = Field(description="Địa danh, e.g. Đồng Nai.")
    issuing_agency: Name = Field(description="Cơ quan ban hành, e.g. SỞ THÔNG TIN VÀ TRUYỀN THÔNG.")
    parent_agency: str = Field(default="", max_length=200, description="e.g. UBND TỈNH ĐỒNG NAI.")
    signer_authority: str = Field(
        default="", max_length=200, description="Quyền hạn ký, e.g. KT. GIÁM ĐỐC."
    )
    signer_title: Name = Field(description="Chức vụ người ký, e.g. GIÁM ĐỐC.")
    signer_name: Name = Field(description="Họ tên người ký.")
    preamble: list[Text] = Field(
        default_factory=lambda: list(DEFAULT_PREAMBLE),
        max_length=20,
        description='The "Căn cứ …" lines.',
    )
    recipients: list[Name] = Field(
        default_factory=lambda: ["Như Điều 3", "Lưu: VT"],
        max_length=30,
        description="Nơi nhận.",
    )
    withheld: list[WithheldAward] = Field(
        default_factory=list,
        max_length=5000,
        description="Disclosed nominations not awarded after the comment period, with reasons.",
    )


class RevocationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_kind: SubjectKind
    subject_code: Code
    title: TitleCode
    reason: Text = Field(description="Lý do hủy bỏ, e.g. false evidence (khai man thành tích).")


class DecidedAwardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    multiplier: Decimal = Field(description="Hệ số × mức lương cơ sở.")
    multiplier_source: str
    bonus_vnd: int = Field(description="Tiền thưởng (VND).")
    revoked_at: datetime | None
    revocation_reason: str | None


class DecisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    disclosure_id: UUID
    number: str
    decided_on: date
    place: str
    issuing_agency: str
    parent_agency: str
    signer_authority: str
    signer_title: str
    signer_name: str
    preamble: list[str]
    recipients: list[str]
    base_salary_vnd: int = Field(description="Mức lương cơ sở in force on the decision date.")
    base_salary_source: str
    rounding_rule: str
    total_bonus_vnd: int
    issued_at: datetime
    awards: list[DecidedAwardRead]
    withheld: list[dict[str, str]] = Field(
        description="Disclosed nominations not awarded, with the reason."
    )


class DecisionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    number: str
    decided_on: date
    signer_name: str
    total_bonus_vnd: int


class DecisionList(BaseModel):
    campaign_id: UUID
    items: list[DecisionSummary]
