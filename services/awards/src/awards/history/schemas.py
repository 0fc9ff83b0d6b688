from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class HistoryEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    subject_kind: str = Field(description="person (cá nhân) or unit (tập thể).")
    subject_code: str
    subject_name: str
    unit_code: str
    year: int
    title: str = Field(description="Danh hiệu, a code of contracts.vocabulary.TITLES.")
    source: str = Field(description="import (nhập từ tệp) or decision (quyết định).")
    decision_id: UUID | None
    revoked_at: datetime | None = Field(description="Set when the award was revoked (thu hồi).")
    revocation_reason: str
    initiative_identifiers: list[str] = Field(
        description="Initiatives (sáng kiến) that grounded the award: they ground no other."
    )


class HistoryImported(BaseModel):
    imported: int
