"""What the pledges service announces: registrations submitted, approved and returned, and
covenants signed."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pledges import attachments, commitments
from pledges.models import Covenant, Registration
from thidua_shared.contracts.pledges import (
    CovenantSigned,
    PledgeApproved,
    PledgeReturned,
    PledgeSubmitted,
    RegisteredMember,
)
from thidua_shared.platform.outbox import record_event

SOURCE = "/thidua/pledges"


def _subject(registration: Registration) -> str:
    return f"registrations/{registration.id}"


async def pledge_submitted(session: AsyncSession, registration: Registration) -> None:
    assert registration.submitted_at is not None
    data = PledgeSubmitted(
        registration_id=registration.id,
        campaign_id=registration.campaign_id,
        unit_code=registration.unit_code,
        version=registration.submission_number,
        submitted_at=registration.submitted_at,
    )
    await record_event(session, data, source=SOURCE, subject=_subject(registration))


async def pledge_approved(
    session: AsyncSession, registration: Registration, cluster: str | None
) -> None:
    assert registration.approved_at is not None
    data = PledgeApproved(
        registration_id=registration.id,
        campaign_id=registration.campaign_id,
        unit_code=registration.unit_code,
        version=registration.submission_number,
        collective_title=registration.collective_title,
        members=[
            RegisteredMember(
                staff_code=m.staff_code,
                full_name=m.full_name,
                title_aimed=m.title_aimed,
                gender=m.gender,
                position=m.position or "",
            )
            for m in registration.members
        ],
        approved_at=registration.approved_at,
        commitments=commitments.announced(registration.commitments),
        cluster=cluster,
        attachments=attachments.announced(registration.attachments),
    )
    await record_event(session, data, source=SOURCE, subject=_subject(registration))


async def pledge_returned(session: AsyncSession, registration: Registration) -> None:
    assert registration.returned_at is not None
    assert registration.return_reason is not None
    data = PledgeReturned(
        registration_id=registration.id,
        campaign_id=registration.campaign_id,
        unit_code=registration.unit_code,
        version=registration.submission_number,
        reason=registration.return_reason,
        returned_at=registration.returned_at,
    )
    await record_event(session, data, source=SOURCE, subject=_subject(registration))


async def covenant_signed(
    session: AsyncSession,
    covenant: Covenant,
    unit_code: str,
    signed_at: datetime,
    *,
    in_force: bool,
) -> None:
    data = CovenantSigned(
        covenant_id=covenant.id,
        campaign_id=covenant.campaign_id,
        cluster=covenant.cluster,
        unit_code=unit_code,
        signed_at=signed_at,
        in_force=in_force,
    )
    await record_event(session, data, source=SOURCE, subject=f"covenants/{covenant.id}")
