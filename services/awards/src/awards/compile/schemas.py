from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class NominationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    subject_kind: str = Field(description="unit (tập thể) or person (cá nhân).")
    subject_code: str = Field(description="Unit code or staff code.")
    title: str = Field(description="Proposed title (danh hiệu), e.g. tap_the_lao_dong_tien_tien.")
    basis: str = Field(description="Why (căn cứ): the rule and the facts it read.")
    subject_name: str = Field(default="", description="Họ và tên or tên đơn vị.")
    unit_code: str = Field(default="", description="The unit (đơn vị) a person belongs to.")
    rule_id: str = Field(default="", description="The rule of the rule set that grounds it.")
    citation: str = Field(default="", description="Legal citation (căn cứ pháp lý) of the rule.")
    multiplier: Decimal = Field(
        default=Decimal(0), description="Bonus multiplier (hệ số tiền thưởng) × base salary."
    )
    facts: list[str] = Field(
        default_factory=list, description="Every condition passed, with the facts it read."
    )
    initiative_identifiers: list[str] = Field(
        default_factory=list, description="Initiatives (sáng kiến) used as grounds, once only."
    )


class RefusalRead(BaseModel):
    """A title registered for (đăng ký) and not met."""

    model_config = ConfigDict(from_attributes=True)

    subject_kind: str
    subject_code: str
    subject_name: str
    unit_code: str
    title: str = Field(description="The title registered for (danh hiệu đăng ký).")
    rule_id: str
    citation: str
    failed_condition: str = Field(description="The condition not met, with the facts it read.")
    facts: list[str] = Field(description="The conditions passed before it.")


class NominationList(BaseModel):
    campaign_id: UUID
    version: int
    compiled_at: datetime
    items: list[NominationRead]


class CampaignNominations(BaseModel):
    """Danh sách đề nghị khen thưởng with its explanations and the refusals."""

    campaign_id: UUID
    version: int
    rule_set: str = Field(description="Bộ tiêu chuẩn: the rule set applied.")
    compiled_at: datetime
    nominations: list[NominationRead]
    refusals: list[RefusalRead]


class CompilationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    campaign_id: UUID
    version: int
    compiled_at: datetime
    phases_reviewed: int = Field(description="Phases (đợt) whose review the compilation read.")
    nomination_count: int


class CompilationVersion(BaseModel):
    """One version of the compilation (lần tổng hợp) and what changed from the previous one."""

    version: int
    compiled_at: datetime
    rule_set: str
    review_rounds: dict[str, int] = Field(description="Review round (lần xét) read per phase.")
    nomination_count: int
    refusal_count: int
    added: list[str] = Field(description="kind:code:title nominations new in this version.")
    removed: list[str] = Field(description="kind:code:title nominations dropped.")


class CompilationHistory(BaseModel):
    campaign_id: UUID
    items: list[CompilationVersion]
