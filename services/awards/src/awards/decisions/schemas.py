from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from awards.common.schemas import Code, Name, Text, TitleCode
from thidua_shared.contracts.vocabulary import SubjectKind
from thidua_shared.platform.validation import WORD_CHARACTERS

DecisionNumber = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=50, pattern=rf"^[{WORD_CHARACTERS}./-]+$"
    ),
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
        default_factory=list,
        max_length=20,
        description='The agency\'s own "Căn cứ …" lines, e.g. its regulation on emulation and '
        "commendation, with number and date. The law and the decree in force on decided_on and "
        "the campaign's plan are added before and after them from the rule-set catalogue and the "
        "campaign.",
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
    number: DecisionNumber | None = Field(
        default=None,
        description="Số quyết định hủy bỏ, e.g. 42/QĐ-STTTT; left blank on the document until "
        "numbered.",
    )
    decided_on: date | None = Field(
        default=None,
        description="Ngày ký quyết định hủy bỏ, not before the decision's; by default today.",
    )
    signer_title: Name | None = Field(
        default=None, description="Chức vụ người ký; by default the decision's signer."
    )
    signer_name: Name | None = Field(default=None, description="Họ tên người ký.")


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
    id: UUID
    revoked_at: datetime | None
    revocation_reason: str | None
    revocation_number: str | None = Field(description="Số quyết định hủy bỏ, if numbered.")
    revoked_on: date | None = Field(description="Ngày ký quyết định hủy bỏ.")
    revocation_signer_title: str | None
    revocation_signer_name: str | None
    bonus_recovered_vnd: int | None = Field(
        description="Tiền thưởng phải thu hồi (VND): the award's bonus, once revoked."
    )


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
    preamble: list[str] = Field(description='The "Căn cứ …" lines as the document states them.')
    proposal: str = Field(description='The "Xét đề nghị của …" line.')
    recipients: list[str]
    base_salary_vnd: int = Field(description="Mức lương cơ sở in force on the decision date.")
    base_salary_source: str
    rounding_rule: str
    total_bonus_vnd: int = Field(description="Tiền thưởng of the awards in force (VND).")
    bonus_recovered_vnd: int = Field(description="Tiền thưởng thu hồi by revocations (VND).")
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
