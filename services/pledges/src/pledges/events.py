"""What the pledges service consumes (campaign launches and closings) and announces."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

# service records events through this module and the handlers here call service: both only
# look the other up when called, so the import cycle is harmless.
from pledges import service
from pledges.models import Covenant, Registration
from thidua_shared.contracts.campaigns import CampaignClosed, CampaignLaunched, PhaseClosed
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.pledges import (
    CovenantSigned,
    PledgeApproved,
    PledgeReturned,
    PledgeSubmitted,
    RegisteredMember,
)
from thidua_shared.platform.consumer import HandlerSpec
from thidua_shared.platform.outbox import record_event

SOURCE = "/thidua/pledges"


def _subject(registration: Registration) -> str:
    return f"registrations/{registration.id}"


async def pledge_submitted(session: AsyncSession, registration: Registration) -> None:
    data = PledgeSubmitted(
        registration_id=registration.id,
        campaign_id=registration.campaign_id,
        unit_code=registration.unit_code,
        version=registration.submission_number,
        submitted_at=registration.submitted_at,
    )
    await record_event(session, data, source=SOURCE, subject=_subject(registration))


async def pledge_approved(session: AsyncSession, registration: Registration) -> None:
    assert registration.approved_at is not None
    data = PledgeApproved(
        registration_id=registration.id,
        campaign_id=registration.campaign_id,
        unit_code=registration.unit_code,
        version=registration.submission_number,
        collective_title=registration.collective_title,
        members=[
            RegisteredMember(
                staff_code=m.staff_code, full_name=m.full_name, title_aimed=m.title_aimed
            )
            for m in registration.members
        ],
        approved_at=registration.approved_at,
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


async def on_campaign_launched(
    session: AsyncSession, payload: CampaignLaunched, envelope: Envelope
) -> None:
    await service.record_campaign_launched(session, payload)


async def on_campaign_closed(
    session: AsyncSession, payload: CampaignClosed, envelope: Envelope
) -> None:
    await service.close_campaign(session, payload.campaign_id, payload.closed_at)


async def on_phase_closed(session: AsyncSession, payload: PhaseClosed, envelope: Envelope) -> None:
    # Registrations freeze as soon as the last phase closes, whichever of this event and
    # campaign.closed arrives first.
    if payload.is_last:
        await service.close_campaign(session, payload.campaign_id, payload.closed_at)


HANDLERS: dict[str, HandlerSpec] = {
    CampaignLaunched.event_type: HandlerSpec(CampaignLaunched, on_campaign_launched),
    PhaseClosed.event_type: HandlerSpec(PhaseClosed, on_phase_closed),
    CampaignClosed.event_type: HandlerSpec(CampaignClosed, on_campaign_closed),
}
