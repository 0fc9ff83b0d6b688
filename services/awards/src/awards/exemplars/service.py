"""Exemplars (điển hình tiên tiến): subjects selected with their story and published. The use
case flushes, never commits, and records `exemplar.published`."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awards import events
from awards.common.campaigns import launched_campaign
from awards.exemplars.models import Exemplar
from awards.exemplars.schemas import ExemplarCreate
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict


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
    await events.exemplar_published(session, exemplar)
    return exemplar


async def list_exemplars(session: AsyncSession, campaign_id: UUID) -> Sequence[Exemplar]:
    rows = await session.execute(
        select(Exemplar)
        .where(Exemplar.campaign_id == campaign_id)
        .order_by(Exemplar.published_at, Exemplar.subject_code)
    )
    return rows.scalars().all()
