"""The dossier API's bodies and answers."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from awards.common.schemas import Code, Name, Text, TitleCode
from awards.decisions.schemas import DecisionNumber
from awards.dossier.codes import Authority, DossierStatus
from thidua_shared.contracts.vocabulary import SubjectKind


class DossierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disclosure_id: UUID = Field(description="The disclosed list (danh sách đã công khai).")
    authority: Authority = Field(
        default=Authority.PROVINCIAL_CHAIRMAN,
        description="Who decides (thẩm quyền): the dossier takes the disclosed nominations of the "
        "titles this authority decides under the campaign's rule set.",
    )
    number: DecisionNumber = Field(description="Số tờ trình, e.g. 18/TTr-STTTT.")
    drafted_on: date = Field(description="Ngày tờ trình.")
    place: Name = Field(description="Địa danh, e.g. Đồng Nai.")
    issuing_agency: str = Field(
        default="", max_length=200, description="Cơ quan trình; by default the plan's issuer."
    )
    parent_agency: str = Field(
        default="",
        max_length=200,
        description="Cơ quan chủ quản (e.g. UBND tỉnh Đồng Nai); by default the plan's.",
    )
    signer_authority: str = Field(default="", max_length=200, description="e.g. KT. GIÁM ĐỐC.")
    signer_title: Name = Field(description="Chức vụ người ký tờ trình, e.g. Giám đốc.")
    signer_name: Name = Field(description="Họ tên người ký tờ trình.")


class DossierSent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sent_on: date = Field(description="Ngày gửi hồ sơ.")
    number: DecisionNumber | None = Field(
        default=None, description="Số văn bản gửi đi; by default the tờ trình's number."
    )


class DossierReturned(BaseModel):
    model_config = ConfigDict(extra="forbid")

    returned_on: date = Field(description="Ngày cấp trên trả lại hồ sơ.")
    reason: Text = Field(description="Tài liệu cần bổ sung.")


class RefusedProposal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_kind: SubjectKind
    subject_code: Code
    title: TitleCode
    reason: Text = Field(description="Lý do không khen thưởng.")


class GrantedProposal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_kind: SubjectKind
    subject_code: Code
    title: TitleCode


class HigherDecisionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: DecisionNumber = Field(description="Số quyết định of the higher authority.")
    decided_on: date = Field(description="Ngày ký; the base salary of this day applies.")
    signer_title: Name = Field(description="Chức vụ người ký, e.g. Chủ tịch.")
    signer_name: Name = Field(description="Họ tên người ký.")
    granted: list[GrantedProposal] | None = Field(
        default=None,
        max_length=20000,
        description="What was granted; by default every proposal not refused.",
    )
    refused: list[RefusedProposal] = Field(
        default_factory=list, max_length=20000, description="What was refused, with reasons."
    )


class GrantedAwardRead(BaseModel):
    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str
    multiplier: float = Field(description="Hệ số × mức lương cơ sở.")
    multiplier_source: str
    bonus_vnd: int = Field(description="Tiền thưởng (VND), paid from `fund`.")


class DossierRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    disclosure_id: UUID
    authority: Authority = Field(description="Who decides (thẩm quyền).")
    authority_citation: str = Field(description="The rule that gives this authority the titles.")
    status: DossierStatus
    rule_set: str
    number: str
    drafted_on: date
    place: str
    issuing_agency: str
    parent_agency: str
    addressee: str = Field(description="Kính gửi: the authority the tờ trình is addressed to.")
    signer_authority: str
    signer_title: str
    signer_name: str
    items: list[dict[str, Any]] = Field(description="The proposed nominations, as disclosed.")
    sent_number: str | None
    sent_on: date | None
    returns: list[dict[str, str]] = Field(description="Each return for more documents.")
    decision_id: UUID | None
    decision_number: str | None
    decided_on: date | None
    decision_signer_title: str | None
    decision_signer_name: str | None
    granted: list[GrantedAwardRead]
    refused: list[dict[str, str]]
    base_salary_vnd: int | None
    base_salary_source: str | None
    fund: str | None = Field(description="Quỹ thi đua, khen thưởng that pays the bonuses.")
    fund_citation: str | None
    total_bonus_vnd: int | None
    decided_at: datetime | None
    created_at: datetime


class DossierSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    authority: Authority
    status: DossierStatus
    number: str
    drafted_on: date
    proposals: int
    decision_number: str | None


class DossierList(BaseModel):
    campaign_id: UUID
    items: list[DossierSummary]
