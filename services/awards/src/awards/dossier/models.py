"""The dossiers' table: what an agency proposes to one higher authority on one disclosed list,
the dossier's way up (drafted, sent, returned, decided) and that authority's decision."""

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from awards.db import EMPTY_LIST, Base
from awards.dossier.authority import authority_file
from awards.dossier.codes import Authority, DossierStatus
from thidua_shared.contracts.vocabulary import Title
from thidua_shared.platform.columns import code_column


class Dossier(Base):
    """A hồ sơ đề nghị khen thưởng: a tờ trình with its lists, minutes and reports."""

    __tablename__ = "dossiers"
    __table_args__ = (Unique("disclosure_id", "authority"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    campaign_id: Mapped[UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    disclosure_id: Mapped[UUID] = mapped_column(ForeignKey("disclosures.id", ondelete="CASCADE"))
    authority: Mapped[Authority] = mapped_column(code_column(Authority, 30))
    status: Mapped[DossierStatus] = mapped_column(code_column(DossierStatus, 20))
    rule_set: Mapped[str] = mapped_column(String(60))
    # The tờ trình: its number, date, who signs it and to whom it goes.
    number: Mapped[str] = mapped_column(String(50), unique=True)
    drafted_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(Text)
    issuing_agency: Mapped[str] = mapped_column(Text)
    parent_agency: Mapped[str] = mapped_column(Text)
    addressee: Mapped[str] = mapped_column(Text)
    signer_authority: Mapped[str] = mapped_column(Text)
    signer_title: Mapped[str] = mapped_column(Text)
    signer_name: Mapped[str] = mapped_column(Text)
    # The disclosed nominations this authority decides, as disclosed.
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    sent_number: Mapped[str | None] = mapped_column(String(50))
    sent_on: Mapped[date | None] = mapped_column(Date)
    # [{"returned_on", "reason"}]: each time the authority asked for more documents.
    returns: Mapped[list[dict[str, str]]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    # The higher authority's decision, once recorded.
    decision_id: Mapped[UUID | None]
    decision_number: Mapped[str | None] = mapped_column(String(50))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_signer_title: Mapped[str | None] = mapped_column(Text)
    decision_signer_name: Mapped[str | None] = mapped_column(Text)
    # [{"subject_kind", "subject_code", "subject_name", "unit_code", "title", "multiplier",
    # "multiplier_source", "bonus_vnd"}] and [{"subject_kind", "subject_code", "title",
    # "reason"}].
    granted: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    refused: Mapped[list[dict[str, str]]] = mapped_column(JSONB, server_default=EMPTY_LIST)
    base_salary_vnd: Mapped[int | None] = mapped_column(BigInteger)
    base_salary_source: Mapped[str | None] = mapped_column(Text)
    # Which fund pays, and the rule that says so.
    fund: Mapped[str | None] = mapped_column(Text)
    fund_citation: Mapped[str | None] = mapped_column(Text)
    total_bonus_vnd: Mapped[int | None] = mapped_column(BigInteger)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def proposals(self) -> int:
        return len(self.items)

    @property
    def authority_citation(self) -> str:
        """The rules, under the dossier's regime, that give its titles to this authority."""
        regime = authority_file(self.rule_set)
        return "; ".join(sorted({regime.titles[Title(i["title"])].citation for i in self.items}))
