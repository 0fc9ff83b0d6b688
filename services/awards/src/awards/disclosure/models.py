"""The disclosure's tables: the list published for comment and the comments received."""

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.db import Base
from awards.disclosure.codes import CommentKind
from thidua_shared.platform.columns import code_column

CAMPAIGN = "campaigns.id"


class Disclosure(Base):
    """The approved list published for public comment (công khai lấy ý kiến)."""

    __tablename__ = "disclosures"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey(CAMPAIGN, ondelete="CASCADE"))
    session_id: Mapped[UUID] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), unique=True
    )
    comment_from: Mapped[date] = mapped_column(Date)
    comment_until: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int]
    period_source: Mapped[str] = mapped_column(Text)
    # The approved votes as disclosed: [{"subject_kind", "subject_code", "subject_name",
    # "unit_code", "title", "multiplier", "basis"}].
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    disclosed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    comments: Mapped[list["DisclosureComment"]] = relationship(
        lazy="raise", order_by="DisclosureComment.received_at", cascade="all, delete-orphan"
    )


class DisclosureComment(Base):
    __tablename__ = "disclosure_comments"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    disclosure_id: Mapped[UUID] = mapped_column(
        ForeignKey("disclosures.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[CommentKind] = mapped_column(code_column(CommentKind, 20))
    author: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    subject_code: Mapped[str | None] = mapped_column(String(50))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
