"""Registration use cases. They flush, never commit; each state change records its event."""

from collections.abc import Collection, Sequence
from uuid import UUID, uuid4

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from pledges import attachments, commitments, deadlines, events
from pledges.codes import RegistrationStatus
from pledges.models import (
    Campaign,
    CampaignUnit,
    Registration,
    RegistrationMember,
    RegistrationVersion,
)
from pledges.read_model.campaigns import open_campaign
from pledges.schemas import MemberIn, RegistrationContent, RegistrationCreate
from thidua_shared.platform.auth import Forbidden, Principal, Role
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable
from thidua_shared.platform.http import check_version


def _validate_members(members: Sequence[MemberIn]) -> None:
    seen: set[str] = set()
    for i, member in enumerate(members):
        if member.staff_code in seen:
            raise Unprocessable(
                f"Staff code {member.staff_code} is listed twice.",
                field=f"members[{i}].staff_code",
            )
        seen.add(member.staff_code)


def member_rows(members: Sequence[MemberIn]) -> list[dict[str, object]]:
    """The members as their table's rows, in the order given."""
    return [{"list_order": i, **m.model_dump()} for i, m in enumerate(members)]


def _members(members: Sequence[MemberIn]) -> list[RegistrationMember]:
    return [RegistrationMember(**row) for row in member_rows(members)]


def apply_content(
    registration: Registration, content: RegistrationContent, campaign: Campaign
) -> None:
    """Checks the content against the plan and sets it; a 422 naming the field, unchanged."""
    _validate_members(content.members)
    resolved = commitments.resolve(content.commitments, commitments.plan_tasks(campaign.tasks))
    files = attachments.stored(content.attachments)
    registration.collective_title = content.collective_title
    registration.commitments = resolved
    registration.attachments = files
    registration.members = _members(content.members)


def snapshot(
    registration: Registration, members: Sequence[dict[str, object]]
) -> RegistrationVersion:
    """The submission being made, as sent, kept as a version."""
    return RegistrationVersion(
        registration_id=registration.id,
        submission_number=registration.submission_number,
        collective_title=registration.collective_title,
        members=list(members),
        commitments=registration.commitments,
        attachments=registration.attachments,
        submitted_at=registration.submitted_at,
    )


async def create_registration(
    session: AsyncSession, data: RegistrationCreate, principal: Principal
) -> Registration:
    if not principal.may_act_for(data.unit_code):
        raise Forbidden(
            f"A unit head registers for their own unit only, not {data.unit_code}.",
            field="unit_code",
        )
    campaign = await open_campaign(session, data.campaign_id)
    if await session.get(CampaignUnit, (data.campaign_id, data.unit_code)) is None:
        raise Unprocessable(
            f"Unit {data.unit_code} does not take part in campaign {data.campaign_id}.",
            field="unit_code",
        )
    existing = await session.execute(
        select(Registration.id).where(
            Registration.campaign_id == data.campaign_id, Registration.unit_code == data.unit_code
        )
    )
    if (existing_id := existing.scalar_one_or_none()) is not None:
        raise _already_registered(data, existing_id)
    # A draft may be saved whatever the deadline; it is checked when the draft is submitted.
    if not data.draft:
        await deadlines.check_submission_open(session, data.campaign_id, data.unit_code)
    created_at = now()
    registration = Registration(
        id=uuid4(),
        campaign_id=data.campaign_id,
        unit_code=data.unit_code,
        status=RegistrationStatus.DRAFT if data.draft else RegistrationStatus.SUBMITTED,
        submission_number=0 if data.draft else 1,
        submitted_at=None if data.draft else created_at,
        updated_at=created_at,
    )
    apply_content(registration, data, campaign)
    session.add(registration)
    if not data.draft:
        session.add(snapshot(registration, [m.model_dump() for m in data.members]))
    try:
        await session.flush()
    except IntegrityError as exc:
        if "uq_registrations_campaign_id" not in str(exc):
            raise
        raise _already_registered(data, None) from exc
    if not data.draft:
        await events.pledge_submitted(session, registration)
    return registration


def _already_registered(data: RegistrationCreate, existing_id: UUID | None) -> Conflict:
    return Conflict(
        f"Unit {data.unit_code} has already registered for campaign {data.campaign_id}.",
        field="unit_code",
        registration_id=None if existing_id is None else str(existing_id),
    )


async def get_registration(
    session: AsyncSession, registration_id: UUID, principal: Principal, *, lock: bool = False
) -> Registration:
    """The registration if the caller may see it; another unit's reads exactly as a missing one."""
    registration = await _load(session, registration_id, lock=lock)
    if not principal.may_act_for(registration.unit_code):
        raise _not_found(registration_id)
    return registration


def _not_found(registration_id: UUID) -> NotFound:
    return NotFound(f"No registration {registration_id}.", field="registration_id")


async def _load(session: AsyncSession, registration_id: UUID, *, lock: bool) -> Registration:
    query = (
        select(Registration)
        .where(Registration.id == registration_id)
        .options(selectinload(Registration.members))
    )
    if lock:
        query = query.with_for_update(of=Registration)
    registration = (await session.execute(query)).scalar_one_or_none()
    if registration is None:
        raise _not_found(registration_id)
    return registration


async def list_registrations(
    session: AsyncSession,
    principal: Principal,
    *,
    campaign_id: UUID | None,
    unit_code: str | None,
    status: RegistrationStatus | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Registration], int]:
    if principal.role is Role.UNIT_HEAD:
        # A unit head's list is always their own unit's, whatever the filter asks.
        if unit_code is not None and unit_code != principal.unit_code:
            raise Forbidden(
                f"A unit head lists their own unit's registrations only, not {unit_code}.",
                field="unit_code",
            )
        unit_code = principal.unit_code
    query = select(Registration)
    if campaign_id is not None:
        query = query.where(Registration.campaign_id == campaign_id)
    if unit_code is not None:
        query = query.where(Registration.unit_code == unit_code)
    if status is not None:
        query = query.where(Registration.status == status)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await session.execute(
        # Drafts, never submitted, come after the submissions.
        query.order_by(Registration.submitted_at.asc().nulls_last(), Registration.id)
        .limit(limit)
        .offset(offset)
    )
    return rows.scalars().all(), total


async def list_versions(
    session: AsyncSession, registration_id: UUID, principal: Principal
) -> Sequence[RegistrationVersion]:
    await get_registration(session, registration_id, principal)
    rows = await session.execute(
        select(RegistrationVersion)
        .where(RegistrationVersion.registration_id == registration_id)
        .order_by(RegistrationVersion.submission_number)
    )
    return rows.scalars().all()


async def locked_in_status(
    session: AsyncSession,
    registration_id: UUID,
    expected_version: int | None,
    principal: Principal,
    *,
    allowed: Collection[RegistrationStatus],
    refusal: str,
) -> tuple[Registration, Campaign]:
    """The registration, locked, at the version the caller read and in a status that allows the
    change, with its campaign if that may be written to; `refusal` says what is allowed."""
    registration = await get_registration(session, registration_id, principal, lock=True)
    check_version(expected_version, registration.version)
    if registration.status not in allowed:
        raise Conflict(f"The registration is {registration.status}; {refusal}", field="status")
    return registration, await open_campaign(session, registration.campaign_id)


async def approve(
    session: AsyncSession, registration_id: UUID, expected_version: int | None, principal: Principal
) -> Registration:
    registration, _ = await locked_in_status(
        session,
        registration_id,
        expected_version,
        principal,
        allowed={RegistrationStatus.SUBMITTED},
        refusal="only a submitted one can be approved.",
    )
    registration.status = RegistrationStatus.APPROVED
    registration.approved_at = registration.updated_at = now()
    await session.flush()
    unit = await session.get(CampaignUnit, (registration.campaign_id, registration.unit_code))
    await events.pledge_approved(session, registration, None if unit is None else unit.cluster)
    return registration


async def _check_items(
    session: AsyncSession, registration: Registration, item_reasons: list[dict[str, str]]
) -> None:
    """Each reason names a commitment or a member the registration has."""
    staff_codes = set(
        (
            await session.execute(
                select(RegistrationMember.staff_code).where(
                    RegistrationMember.registration_id == registration.id
                )
            )
        ).scalars()
    )
    for index, entry in enumerate(item_reasons):
        kind, _, key = entry["item"].partition(":")
        known = (
            1 <= int(key) <= len(registration.commitments)
            if kind == "commitment"
            else key in staff_codes
        )
        if not known:
            raise Unprocessable(
                f"The registration has no item {entry['item']}.",
                field=f"item_reasons[{index}].item",
            )


async def return_for_revision(
    session: AsyncSession,
    registration_id: UUID,
    reason: str,
    item_reasons: list[dict[str, str]],
    expected_version: int | None,
    principal: Principal,
) -> Registration:
    registration, _ = await locked_in_status(
        session,
        registration_id,
        expected_version,
        principal,
        allowed={RegistrationStatus.SUBMITTED},
        refusal="only a submitted one can be returned.",
    )
    await _check_items(session, registration, item_reasons)
    registration.status = RegistrationStatus.RETURNED
    registration.return_reason = reason
    registration.item_reasons = item_reasons
    registration.returned_at = registration.updated_at = now()
    await session.execute(
        update(RegistrationVersion)
        .where(
            RegistrationVersion.registration_id == registration.id,
            RegistrationVersion.submission_number == registration.submission_number,
        )
        .values(
            returned_at=registration.returned_at, return_reason=reason, item_reasons=item_reasons
        )
    )
    await session.flush()
    await events.pledge_returned(session, registration)
    return registration


async def resubmit(
    session: AsyncSession,
    registration_id: UUID,
    data: RegistrationContent,
    expected_version: int | None,
    principal: Principal,
) -> Registration:
    registration, campaign = await locked_in_status(
        session,
        registration_id,
        expected_version,
        principal,
        allowed={RegistrationStatus.RETURNED},
        refusal="only a returned one can be resubmitted.",
    )
    await deadlines.check_submission_open(session, registration.campaign_id, registration.unit_code)
    apply_content(registration, data, campaign)
    registration.status = RegistrationStatus.SUBMITTED
    registration.submission_number += 1
    registration.return_reason = registration.returned_at = None
    registration.item_reasons = []
    registration.submitted_at = registration.updated_at = now()
    session.add(snapshot(registration, [m.model_dump() for m in data.members]))
    await session.flush()
    await events.pledge_submitted(session, registration)
    return registration
