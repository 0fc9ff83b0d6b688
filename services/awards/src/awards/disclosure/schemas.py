from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from awards.common.schemas import Code, Name, Text
from awards.disclosure.codes import CommentKind


class DisclosureCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: UUID = Field(description="The council session whose approved list is disclosed.")
    starts_on: date | None = Field(
        default=None,
        description="First day of the comment period (default today); the period counts "
        "working days (ngày làm việc) from the first working day on or after it.",
    )


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CommentKind = Field(description="Góp ý or khiếu nại.")
    author: Name = Field(description="Who sent it (người gửi).")
    content: Text
    subject_code: Code | None = Field(
        default=None, description="The disclosed subject it is about, if any."
    )


class AnswerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Text = Field(description="The office's answer (trả lời).")


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    kind: str
    author: str
    content: str
    subject_code: str | None
    received_at: datetime
    answer: str | None
    answered_at: datetime | None


class PublicDisclosureRead(BaseModel):
    """What the public sees: the list and its comment period."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    campaign_id: UUID
    session_id: UUID
    comment_from: date = Field(description="First day of the comment period.")
    comment_until: date = Field(description="Last working day of the comment period.")
    working_days: int
    period_source: str
    items: list[dict[str, Any]] = Field(description="The approved nominations disclosed.")
    disclosed_at: datetime


class DisclosureRead(PublicDisclosureRead):
    comments: list[CommentRead]


class PublicDisclosureList(BaseModel):
    campaign_id: UUID
    items: list[PublicDisclosureRead]
