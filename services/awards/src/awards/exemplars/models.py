"""The exemplars' table."""

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from awards.db import Base

CAMPAIGN = "campaigns.id"


class Exemplar(Base):
    """A subject selected as điển hình tiên tiến, with its story."""

    __tablename__ = "exemplars"
    __table_args__ = (Unique("campaign_id", "subject_kind", "subject_code"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey(CAMPAIGN, ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_code: Mapped[str] = mapped_column(String(50))
    subject_name: Mapped[str] = mapped_column(Text)
    story: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
