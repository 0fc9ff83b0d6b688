"""Exemplars (điển hình tiên tiến): subjects selected with their story and published. The use
case flushes, never commits, and records `exemplar.published`."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awards.council_models import Exemplar
from awards.council_schemas import Code, Name, SubjectKind
from awards.events import SOURCE
from awards.voting_service import launched_campaign
from thidua_shared.contracts.awards import ExemplarPublished
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict
from thidua_shared.platform.outbox import record_event


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


def _already_exemplar(data: ExemplarCreate) -> Conflict:
    return Conflict(
        f"{data.subject_code} is already an exemplar of this campaign.", field="subject_code"
    )


async def publish(session: AsyncSession, data: ExemplarCreate) -> Exemplar:
    # The campaign row lock makes this check and the insert below one step.
    await launched_campaign(session, data.campaign_id, lock=True)
    existing = await session.execute(
        select(Exemplar.id).where(
            Exemplar.campaign_id == data.campaign_id,
            Exemplar.subject_kind == data.subject_kind,
            Exemplar.subject_code == data.subject_code,
        )
    )
    if existing.first() is not None:
        raise _already_exemplar(data)
    exemplar = Exemplar(
        campaign_id=data.campaign_id,
        subject_kind=data.subject_kind,
        subject_code=data.subject_code,
        subject_name=data.subject_name,
        story=data.story.strip(),
        published_at=now(),
    )
    session.add(exemplar)
    await session.flush()
    await record_event(
        session,
        ExemplarPublished(
            exemplar_id=exemplar.id,
            campaign_id=exemplar.campaign_id,
            subject_kind=exemplar.subject_kind,
            subject_code=exemplar.subject_code,
            subject_name=exemplar.subject_name,
            story=exemplar.story,
            published_at=exemplar.published_at,
        ),
        source=SOURCE,
        subject=f"exemplars/{exemplar.id}",
    )
    return exemplar


async def list_exemplars(session: AsyncSession, campaign_id: UUID) -> Sequence[Exemplar]:
    rows = await session.execute(
        select(Exemplar)
        .where(Exemplar.campaign_id == campaign_id)
        .order_by(Exemplar.published_at, Exemplar.subject_code)
    )
    return rows.scalars().all()
