from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from awards.common.schemas import Code, Name
from thidua_shared.contracts.vocabulary import SubjectKind


class ExemplarCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    campaign_id: UUID
    subject_kind: SubjectKind
    subject_code: Code
    subject_name: Name = Field(description="Tên tập thể hoặc họ tên cá nhân.")
    story: str = Field(
        min_length=1, max_length=20000, description="The exemplary story (gương điển hình)."
    )


class ExemplarRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    subject_kind: str
    subject_code: str
    subject_name: str
    story: str
    published_at: datetime


class ExemplarList(BaseModel):
    campaign_id: UUID
    items: list[ExemplarRead]
