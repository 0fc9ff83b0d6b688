"""Replacing a registration's whole member list at once (the import of a file). Flushes only."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from pledges import service
from pledges.codes import RegistrationStatus
from pledges.models import Registration, RegistrationMember, RegistrationVersion
from pledges.schemas import MemberIn
from thidua_shared.platform.auth import Principal
from thidua_shared.platform.clock import now

# Approved lists are final; a draft's may be filled in, a submitted one may still be corrected
# before review, a returned one while it is being revised.
CHANGEABLE = frozenset(
    {RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED}
)


async def changeable_registration(
    session: AsyncSession,
    registration_id: UUID,
    expected_version: int | None,
    principal: Principal,
) -> Registration:
    """The registration, locked, if the caller may replace its members now."""
    registration, _ = await service.locked_in_status(
        session,
        registration_id,
        expected_version,
        principal,
        allowed=CHANGEABLE,
        refusal="only a draft, submitted or returned one's members can be replaced.",
    )
    return registration


async def replace_members(
    session: AsyncSession, registration: Registration, members: Sequence[MemberIn]
) -> Registration:
    """Replaces every member in the caller's transaction and bumps the registration's version."""
    for loaded in registration.members:
        session.expunge(loaded)
    session.expire(registration, ["members"])
    await session.execute(
        delete(RegistrationMember)
        .where(RegistrationMember.registration_id == registration.id)
        .execution_options(synchronize_session=False)
    )
    # Measured for 500 and 5000 members: COPY through the asyncpg connection is no faster
    # than this batched insert; reloading the list for the answer costs more than either.
    await session.execute(
        insert(RegistrationMember),
        [{"registration_id": registration.id, **row} for row in service.member_rows(members)],
    )
    if registration.status == RegistrationStatus.SUBMITTED:
        # The submission under review is what the list now says.
        await session.execute(
            update(RegistrationVersion)
            .where(
                RegistrationVersion.registration_id == registration.id,
                RegistrationVersion.submission_number == registration.submission_number,
            )
            .values(members=[m.model_dump() for m in members])
        )
    registration.updated_at = now()
    await session.flush()
    reloaded = await session.execute(
        select(Registration)
        .where(Registration.id == registration.id)
        .options(selectinload(Registration.members))
        .execution_options(populate_existing=True)
    )
    return reloaded.scalar_one()
