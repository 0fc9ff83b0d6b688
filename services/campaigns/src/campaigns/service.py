"""Campaign use cases. They flush, never commit; each state change records its event."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic_core import to_jsonable_python
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaigns import directory, events, transitions
from campaigns.calendar import agency_today
from campaigns.codes import CampaignStatus, PhaseStatus
from campaigns.models import Campaign, Participant, Phase
from campaigns.rules import (
    check_dates,
    check_launchable,
    check_running,
    choose_rule_set,
    conflict,
    refuse,
    validate_plan,
)
from campaigns.schemas import CampaignCreate, CampaignUpdate, TaskIn
from thidua_shared.contracts.vocabulary import CampaignKind
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import NotFound, Unprocessable
from thidua_shared.platform.http import check_version

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


async def _participants(session: AsyncSession, data: CampaignCreate) -> list[Participant]:
    named = await directory.resolve_participants(session, data.unit_codes, data.cluster_codes)
    inline = {u.code for u in data.units}
    for i, code in enumerate(data.unit_codes):
        if code in inline:
            raise Unprocessable(
                f"Unit {code} is both listed inline and named by code.", field=f"unit_codes[{i}]"
            )
    return [
        Participant(unit_code=u.code, unit_name=u.name, cluster=u.cluster) for u in data.units
    ] + [
        Participant(unit_code=p.code, unit_name=p.name, cluster=p.cluster)
        for p in named
        if p.code not in inline
    ]


async def create_campaign(session: AsyncSession, data: CampaignCreate) -> Campaign:
    validate_plan(data)
    rule_set = choose_rule_set(data.rule_set, data.period_end)
    await _check_parent(session, data.parent_campaign_id)
    participants = await _participants(session, data)
    campaign = Campaign(
        document_number=data.document_number,
        title=data.title,
        year=data.year,
        theme=data.theme,
        period_start=data.period_start,
        period_end=data.period_end,
        registration_deadline=data.registration_deadline,
        rule_set=rule_set,
        status=CampaignStatus.DRAFT,
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
        participants=participants,
        cluster_codes=list(dict.fromkeys(data.cluster_codes)),
        parent_agency=data.parent_agency,
        introduction=data.introduction,
        tasks_introduction=data.tasks_introduction,
        implementation=data.implementation,
        closing=data.closing,
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
        # Always the committed state: the scheduler reads again after taking its locks.
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=Campaign)
    campaign = (await session.execute(query)).scalar_one_or_none()
    if campaign is None:
        raise NotFound(f"No campaign {campaign_id}.", field="campaign_id")
    return campaign


@dataclass(frozen=True)
class CampaignFilter:
    year: int | None = None
    kind: CampaignKind | None = None
    status: CampaignStatus | None = None
    unit_code: str | None = None
    document_number: str | None = None


async def list_campaigns(
    session: AsyncSession, where: CampaignFilter, *, limit: int, offset: int
) -> tuple[Sequence[Campaign], int]:
    query = select(Campaign)
    if where.year is not None:
        query = query.where(Campaign.year == where.year)
    if where.kind is not None:
        query = query.where(Campaign.kind == where.kind)
    if where.status is not None:
        query = query.where(Campaign.status == where.status)
    if where.document_number is not None:
        query = query.where(Campaign.document_number == where.document_number)
    if where.unit_code is not None:
        query = query.where(Campaign.participants.any(Participant.unit_code == where.unit_code))
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    page = query.options(selectinload(Campaign.phases), selectinload(Campaign.participants))
    rows = await session.execute(
        page.order_by(Campaign.year.desc(), Campaign.created_at, Campaign.id)
        .limit(limit)
        .offset(offset)
    )
    return rows.scalars().all(), total


async def update_campaign(
    session: AsyncSession, campaign_id: UUID, data: CampaignUpdate, expected_version: int | None
) -> Campaign:
    campaign = await get_campaign(session, campaign_id, lock=True)
    check_version(expected_version, campaign.version)
    if campaign.status != CampaignStatus.DRAFT:
        raise conflict(
            "Only a draft can be edited; a launched plan changes by amendment.",
            field="status",
            rule="edit-draft-only",
        )
    await apply_changes(session, campaign, data)
    campaign.updated_at = now()
    await session.flush()
    return campaign


async def apply_changes(
    session: AsyncSession, campaign: Campaign, data: CampaignUpdate
) -> dict[str, dict[str, Any]]:
    """Sets the plan fields the request names; returns those that changed, before and after."""
    changes = data.model_dump(mode="json", exclude_unset=True)
    for name, value in changes.items():
        if value is None and name not in _NULLABLE:
            hint = (
                "send [] instead" if isinstance(getattr(campaign, name), list) else "send a value"
            )
            raise Unprocessable(f"{name} cannot be cleared; {hint}.", field=name)
    if "parent_campaign_id" in changes:
        await _check_parent(session, data.parent_campaign_id, campaign.id)
    if data.tasks is not None:
        changes["tasks"] = _tasks(data.tasks)
    before = {name: to_jsonable_python(getattr(campaign, name)) for name in changes}
    changed = {
        name: {"before": before[name], "after": value}
        for name, value in changes.items()
        if before[name] != value
    }
    typed = data.model_dump(exclude_unset=True, exclude={"tasks"})
    for name in changed:
        setattr(campaign, name, changes["tasks"] if name == "tasks" else typed[name])
    check_dates(campaign.period_start, campaign.period_end, campaign.registration_deadline)
    return changed


async def launch(
    session: AsyncSession, campaign_id: UUID, expected_version: int | None
) -> Campaign:
    campaign = await get_campaign(session, campaign_id, lock=True)
    check_version(expected_version, campaign.version)
    check_launchable(campaign)
    campaign.status = CampaignStatus.LAUNCHED
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
    check_running(campaign, "phases open")
    if phase.status != PhaseStatus.PENDING:
        raise conflict(
            f"Phase {number} is already {phase.status}.", field="phase_number", rule="phase-once"
        )
    if number > 1 and _phase(campaign, number - 1).status == PhaseStatus.PENDING:
        raise conflict(
            f"Phase {number - 1} has not opened yet.",
            field="phase_number",
            rule="phases-in-order",
        )
    await transitions.open_phase(session, campaign, phase, now())
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
    check_running(campaign, "phases close")
    if phase.status != PhaseStatus.OPEN:
        raise conflict(
            f"Phase {number} is {phase.status}; only an open phase can close.",
            field="phase_number",
            rule="close-after-open",
        )
    closing_at = now()
    if agency_today(closing_at) < phase.ends_on and reason is None:
        raise refuse(
            f"Phase {number} runs until {phase.ends_on:%d/%m/%Y}; closing it early needs a reason.",
            field="reason",
            rule="early-close-needs-reason",
        )
    await transitions.close_phase(session, campaign, phase, closing_at, reason)
    return campaign
