from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class NominationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    subject_kind: str = Field(description="unit (tập thể) or person (cá nhân).")
    subject_code: str = Field(description="Unit code or staff code.")
    title: str = Field(description="Proposed title (danh hiệu), e.g. tap_the_lao_dong_tien_tien.")
    basis: str = Field(description="Why (căn cứ): the rule and the facts it read.")


class NominationList(BaseModel):
    campaign_id: UUID
    version: int
    compiled_at: datetime
    items: list[NominationRead]


class CompilationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    campaign_id: UUID
    version: int
    compiled_at: datetime
    phases_reviewed: int = Field(description="Phases (đợt) whose review the compilation read.")
    nomination_count: int
