"""Campaign use cases. They flush, never commit; each state change records its event."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaigns import events
from campaigns.models import Campaign, Participant, Phase
from campaigns.schemas import (
    RULE_SETS,
    CampaignCreate,
    CampaignUpdate,
    PhaseIn,
    TaskIn,
    UnitIn,
)
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable
from thidua_shared.platform.http import check_version


def default_rule_set(year: int) -> str:
    return RULE_SETS[0] if year < 2024 else RULE_SETS[1]


def _validate_plan(data: CampaignCreate) -> None:
    if data.period_end < data.period_start:
        raise Unprocessable("The period ends before it starts.", field="period_end")
    if data.registration_deadline and data.registration_deadline > data.period_end:
        raise Unprocessable(
            "The registration deadline is after the period.", field="registration_deadline"
        )
    if data.rule_set is not None and data.rule_set not in RULE_SETS:
        raise Unprocessable(f"Unknown rule set; one of {', '.join(RULE_SETS)}.", field="rule_set")
    _validate_phases(data.phases, data)
    _validate_units(data.units)


def _validate_phases(phases: Sequence[PhaseIn], data: CampaignCreate) -> None:
    previous_end = None
    for i, phase in enumerate(phases):
        if phase.ends_on < phase.starts_on:
            raise Unprocessable(
                f"Phase {i + 1} ends before it starts.", field=f"phases[{i}].ends_on"
            )
        if phase.starts_on < data.period_start or phase.ends_on > data.period_end:
            raise Unprocessable(
                f"Phase {i + 1} lies outside the campaign period.", field=f"phases[{i}].starts_on"
            )
        if previous_end is not None and phase.starts_on <= previous_end:
            raise Unprocessable(
                f"Phase {i + 1} overlaps or precedes phase {i}; list phases in order.",
                field=f"phases[{i}].starts_on",
            )
        previous_end = phase.ends_on


def _validate_units(units: Sequence[UnitIn]) -> None:
    seen: set[str] = set()
    for i, unit in enumerate(units):
        if unit.code in seen:
            raise Unprocessable(f"Unit {unit.code} is listed twice.", field=f"units[{i}].code")
        seen.add(unit.code)


# Plan fields a PATCH may clear with null; the others it may only replace.
_NULLABLE = frozenset({"registration_deadline", "issued_on", "parent_campaign_id"})


def _tasks(tasks: Sequence[TaskIn]) -> list[dict[str, Any]]:
    """Tasks as stored (JSONB), numbered 1, 2, … in the order given."""
    return [{"number": i, **task.model_dump(mode="json")} for i, task in enumerate(tasks, start=1)]


async def _check_parent(
    session: AsyncSession, parent_id: UUID | None, own_id: UUID | None = None
) -> None:
    if parent_id is None:
        return
    if parent_id == own_id:
        raise Unprocessable("A campaign cannot nest under itself.", field="parent_campaign_id")
    found = await session.scalar(select(Campaign.id).where(Campaign.id == parent_id))
    if found is None:
        raise Unprocessable(f"No campaign {parent_id} to nest under.", field="parent_campaign_id")


async def create_campaign(session: AsyncSession, data: CampaignCreate) -> Campaign:
    _validate_plan(data)
    await _check_parent(session, data.parent_campaign_id)
    campaign = Campaign(
        document_number=data.document_number,
        title=data.title,
        year=data.year,
        theme=data.theme,
        period_start=data.period_start,
        period_end=data.period_end,
        registration_deadline=data.registration_deadline,
        rule_set=data.rule_set or default_rule_set(data.year),
        status="draft",
        phases=[
            Phase(
                number=i,
                name=p.name,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                dedication=p.dedication,
            )
            for i, p in enumerate(data.phases, start=1)
        ],
        participants=[
            Participant(unit_code=u.code, unit_name=u.name, cluster=u.cluster) for u in data.units
        ],
        issuing_agency=data.issuing_agency,
        place_of_issue=data.place_of_issue,
        issued_on=data.issued_on,
        kind=data.kind,
        parent_campaign_id=data.parent_campaign_id,
        legal_bases=data.legal_bases,
        objectives=data.objectives,
        tasks=_tasks(data.tasks),
        recipients=data.recipients,
        signer_name=data.signer_name,
        signer_title=data.signer_title,
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def get_campaign(session: AsyncSession, campaign_id: UUID, *, lock: bool = False) -> Campaign:
    query = (
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.phases), selectinload(Campaign.participants))
    )
    if lock:
        query = query.with_for_update(of=Campaign)
    campaign = (await session.execute(query)).scalar_one_or_none()
    if campaign is None:
        raise NotFound(f"No campaign {campaign_id}.", field="campaign_id")
    return campaign


async def list_campaigns(
    session: AsyncSession, *, year: int | None, status: str | None, limit: int, offset: int
) -> tuple[Sequence[Campaign], int]:
    query = select(Campaign)
    if year is not None:
        query = query.where(Campaign.year == year)
    if status is not None:
        query = query.where(Campaign.status == status)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    page = query.options(selectinload(Campaign.phases), selectinload(Campaign.participants))
    rows = await session.execute(
        page.order_by(Campaign.year.desc(), Campaign.created_at).limit(limit).offset(offset)
    )
    return rows.scalars().all(), total


async def update_campaign(
    session: AsyncSession, campaign_id: UUID, data: CampaignUpdate, expected_version: int
) -> Campaign:
    campaign = await get_campaign(session, campaign_id, lock=True)
    check_version(expected_version, campaign.version)
    if campaign.status != "draft":
        raise Conflict(
            "Only a draft can be edited; a launched plan changes by amendment.", field="status"
        )
    changes = data.model_dump(exclude_unset=True, exclude={"tasks"})
    for name, value in changes.items():
        if value is None and name not in _NULLABLE:
            raise Unprocessable(f"{name} cannot be cleared; send a value.", field=name)
    if "parent_campaign_id" in changes:
        await _check_parent(session, changes["parent_campaign_id"], campaign.id)
    for name, value in changes.items():
        setattr(campaign, name, value)
    if "tasks" in data.model_fields_set:
        if data.tasks is None:
            raise Unprocessable("tasks cannot be cleared; send [] instead.", field="tasks")
        campaign.tasks = _tasks(data.tasks)
    campaign.updated_at = now()
    await session.flush()
    return campaign


async def launch(
    session: AsyncSession, campaign_id: UUID, expected_version: int | None
) -> Campaign:
    campaign = await get_campaign(session, campaign_id, lock=True)
    check_version(expected_version, campaign.version)
    if campaign.status != "draft":
        raise Conflict(
            f"The campaign is {campaign.status}; only a draft can be launched.", field="status"
        )
    if not campaign.participants:
        raise Unprocessable("A campaign needs participating units before launch.", field="units")
    campaign.status = "launched"
    campaign.launched_at = campaign.updated_at = now()
    await session.flush()
    await events.campaign_launched(session, campaign)
    return campaign


def _phase(campaign: Campaign, number: int) -> Phase:
    for phase in campaign.phases:
        if phase.number == number:
            return phase
    raise NotFound(f"Campaign {campaign.id} has no phase {number}.", field="phase_number")


async def open_phase(
    session: AsyncSession, campaign_id: UUID, number: int, expected_version: int | None
) -> Campaign:
    campaign = await get_campaign(session, campaign_id, lock=True)
    check_version(expected_version, campaign.version)
    phase = _phase(campaign, number)
    if campaign.status != "launched":
        raise Conflict(
            f"The campaign is {campaign.status}; phases open only once it is launched.",
            field="status",
        )
    if phase.status != "pending":
        raise Conflict(f"Phase {number} is already {phase.status}.", field="phase_number")
    if number > 1 and _phase(campaign, number - 1).status == "pending":
        raise Conflict(f"Phase {number - 1} has not opened yet.", field="phase_number")
    phase.status = "open"
    phase.opened_at = campaign.updated_at = now()
    await session.flush()
    await events.phase_opened(session, campaign, phase)
    return campaign


async def close_phase(
    session: AsyncSession,
    campaign_id: UUID,
    number: int,
    reason: str | None,
    expected_version: int | None,
) -> Campaign:
    campaign = await get_campaign(session, campaign_id, lock=True)
    check_version(expected_version, campaign.version)
    phase = _phase(campaign, number)
    if phase.status != "open":
        raise Conflict(
            f"Phase {number} is {phase.status}; only an open phase can close.", field="phase_number"
        )
    closing_at = now()
    if closing_at.date() < phase.ends_on and reason is None:
        raise Unprocessable(
            f"Phase {number} runs until {phase.ends_on:%d/%m/%Y}; closing it early needs a reason.",
            field="reason",
        )
    phase.status = "closed"
    phase.closed_at = campaign.updated_at = closing_at
    phase.close_reason = reason
    is_last = all(p.status == "closed" for p in campaign.phases)
    if is_last:
        campaign.status = "closed"
        campaign.closed_at = closing_at
    await session.flush()
    await events.phase_closed(session, campaign, phase, is_last=is_last)
    if is_last:
        await events.campaign_closed(session, campaign)
    return campaign
