"""The registration deadline (hạn đăng ký thi đua) and the extensions the office grants.

A unit submits (first time or again after a return) until the campaign's deadline, a day in
Vietnam time, or until its own extension if the office granted one. They flush, never commit.
"""

from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pledges.models import Campaign, CampaignUnit, RegistrationExtension
from pledges.read_model.campaigns import VIETNAM, refuse_if_frozen
from pledges.schemas import ExtensionGrant
from thidua_shared.platform.auth import Principal
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable


def today() -> date:
    """The current day where the agencies are, whatever the server's time zone."""
    return now().astimezone(VIETNAM).date()


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


async def check_submission_open(session: AsyncSession, campaign_id: UUID, unit_code: str) -> None:
    """Refuses a submission after the deadline unless the unit's extension still runs."""
    campaign = await session.get(Campaign, campaign_id)
    deadline = None if campaign is None else campaign.registration_deadline
    day = today()
    if deadline is None or day <= deadline:
        return
    extension = await session.get(RegistrationExtension, (campaign_id, unit_code))
    if extension is not None and day <= extension.until:
        return
    detail = f"The registration deadline {_day(deadline)} has passed (today is {_day(day)})"
    if extension is not None:
        detail += f"; unit {unit_code}'s extension ran until {_day(extension.until)}"
    raise Conflict(
        f"{detail}. Ask the office for an extension.",
        field="registration_deadline",
        registration_deadline=deadline.isoformat(),
        extension_until=None if extension is None else extension.until.isoformat(),
    )


async def grant_extension(
    session: AsyncSession,
    campaign_id: UUID,
    unit_code: str,
    data: ExtensionGrant,
    principal: Principal,
) -> RegistrationExtension:
    """Grants, or replaces, the unit's extension."""
    # FOR SHARE, as for registrations: campaign.closed waits for the grant being written.
    query = select(Campaign).where(Campaign.id == campaign_id).with_for_update(read=True)
    campaign = (await session.execute(query)).scalar_one_or_none()
    if campaign is None:
        raise NotFound(f"No campaign {campaign_id}.", field="campaign_id")
    refuse_if_frozen(campaign)
    if await session.get(CampaignUnit, (campaign_id, unit_code)) is None:
        raise Unprocessable(
            f"Unit {unit_code} does not take part in campaign {campaign_id}.", field="unit_code"
        )
    deadline = campaign.registration_deadline
    if deadline is None:
        raise Conflict(
            f"Campaign {campaign_id} has no registration deadline to extend.",
            field="registration_deadline",
        )
    if data.until < deadline:
        raise Unprocessable(
            f"An extension runs until the deadline {_day(deadline)} or later, "
            f"not {_day(data.until)}.",
            field="until",
        )
    values = {
        "until": data.until,
        "reason": data.reason,
        "granted_by": principal.subject,
        "granted_at": now(),
    }
    granted = await session.execute(
        insert(RegistrationExtension)
        .values(campaign_id=campaign_id, unit_code=unit_code, **values)
        .on_conflict_do_update(
            index_elements=[RegistrationExtension.campaign_id, RegistrationExtension.unit_code],
            set_=values,
        )
        .returning(RegistrationExtension)
        .execution_options(populate_existing=True)
    )
    return granted.scalar_one()
