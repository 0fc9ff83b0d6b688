"""Events the awards service publishes (đề nghị khen thưởng)."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.contracts.envelope import EventData


class CompiledNomination(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    subject_kind: str = Field(description="unit or person")
    subject_code: str
    title: str
    basis: str = Field(description="Why: the rule and the facts it read.")


class NominationsCompiled(EventData):
    event_type = "nominations.compiled"

    campaign_id: UUID
    version: int
    nominations: list[CompiledNomination]
    compiled_at: datetime
