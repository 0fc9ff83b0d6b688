"""Events the awards service publishes (đề nghị khen thưởng)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.contracts.codes import KnownCodes
from thidua_shared.contracts.envelope import EventData
from thidua_shared.contracts.vocabulary import SubjectKind, Title


class CompiledNomination(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    subject_kind: Annotated[str, KnownCodes(SubjectKind)] = Field(description="unit or person")
    subject_code: str
    title: Annotated[str, KnownCodes(Title)]
    basis: str = Field(description="Why: the rule and the facts it read.")
    subject_name: str = ""
    unit_code: str = Field(default="", description="The unit a person belongs to.")
    rule_id: str = ""
    citation: str = ""
    facts: list[str] = Field(default_factory=list)


class NominationsCompiled(EventData):
    event_type = "nominations.compiled"

    campaign_id: UUID
    version: int
    nominations: list[CompiledNomination]
    compiled_at: datetime
    rule_set: str = ""
    added: list[str] = Field(default_factory=list, description="subject:title keys new here.")
    removed: list[str] = Field(default_factory=list, description="subject:title keys dropped.")
    part: int = Field(
        default=1, ge=1, description="Which part this is when a large list is sent in parts."
    )
    parts: int = Field(
        default=1,
        ge=1,
        description="How many events announce this version; their nominations together are "
        "the list (added and removed travel in part 1).",
    )
    issued_decisions: list[str] = Field(
        default_factory=list,
        description="Numbers of the decisions (quyết định) already issued for the campaign when "
        "this version was compiled. A new version never changes them: an award is revoked, or "
        "a further decision issued, by the office.",
    )


class DisclosedNomination(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    subject_kind: Annotated[str, KnownCodes(SubjectKind)]
    subject_code: str
    subject_name: str = ""
    title: Annotated[str, KnownCodes(Title)]


class NominationsDisclosed(EventData):
    """The council's approved list, published for public comment (công khai)."""

    event_type = "nominations.disclosed"

    disclosure_id: UUID
    campaign_id: UUID
    nominations: list[DisclosedNomination]
    comment_from: date
    comment_until: date = Field(description="Last working day of the comment period.")
    disclosed_at: datetime


class DecidedAward(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    subject_kind: Annotated[str, KnownCodes(SubjectKind)]
    subject_code: str
    subject_name: str = ""
    unit_code: str = ""
    title: Annotated[str, KnownCodes(Title)]
    multiplier: float
    base_salary_vnd: int
    bonus_vnd: int


class AwardDecided(EventData):
    """A commendation decision (quyết định khen thưởng) was issued."""

    event_type = "award.decided"

    decision_id: UUID
    campaign_id: UUID
    decision_number: str
    decided_on: date
    signer_name: str
    signer_title: str
    awards: list[DecidedAward]
    total_bonus_vnd: int
    decided_at: datetime
    authority: str = Field(
        default="agency_head",
        description="Who decided (thẩm quyền): agency_head for the agency's own decision; "
        "provincial_chairman, prime_minister, … for a higher authority's decision on the "
        "agency's dossier (hồ sơ đề nghị).",
    )
    fund: str = Field(
        default="",
        description="The emulation and commendation fund (quỹ thi đua, khen thưởng) that pays, "
        "with its rule, for a higher authority's decision; empty on the agency's own decisions, "
        "paid from the agency's fund.",
    )
    proposal_number: str = Field(
        default="", description="The agency's tờ trình a higher authority decided on."
    )


class AwardRevoked(EventData):
    event_type = "award.revoked"

    decision_id: UUID
    campaign_id: UUID
    subject_kind: Annotated[str, KnownCodes(SubjectKind)]
    subject_code: str
    title: Annotated[str, KnownCodes(Title)]
    reason: str
    revoked_at: datetime


class ExemplarPublished(EventData):
    """A subject selected as điển hình tiên tiến, with its story."""

    event_type = "exemplar.published"

    exemplar_id: UUID
    campaign_id: UUID
    subject_kind: Annotated[str, KnownCodes(SubjectKind)]
    subject_code: str
    subject_name: str
    story: str
    published_at: datetime
