"""Changing a registration before it is (again) submitted, and submitting a draft.

A draft (bản nháp) is saved with POST /registrations and `"draft": true`; it announces nothing
and keeps no version until it is submitted. They flush, never commit.
"""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from pledges import commitments, deadlines, events, service
from pledges.codes import RegistrationStatus
from pledges.models import Campaign, CampaignUnit, Registration
from pledges.schemas import RegistrationContent
from thidua_shared.platform.auth import Principal
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Unprocessable

# A submitted registration is corrected through a return; an approved one is final.
EDITABLE = frozenset({RegistrationStatus.DRAFT, RegistrationStatus.RETURNED})


async def update_content(
    session: AsyncSession,
    registration_id: UUID,
    data: RegistrationContent,
    expected_version: int | None,
    principal: Principal,
) -> Registration:
    """Replaces a draft's content, or a returned registration's before it is resubmitted."""
    registration, campaign = await service.locked_in_status(
        session,
        registration_id,
        expected_version,
        principal,
        allowed=EDITABLE,
        refusal="only a draft or a returned one can be changed.",
    )
    service.apply_content(registration, data, campaign)
    registration.updated_at = now()
    await session.flush()
    return registration


async def submit_draft(
    session: AsyncSession,
    registration_id: UUID,
    expected_version: int | None,
    principal: Principal,
) -> Registration:
    registration, campaign = await service.locked_in_status(
        session,
        registration_id,
        expected_version,
        principal,
        allowed={RegistrationStatus.DRAFT},
        refusal="only a draft is submitted this way.",
    )
    await deadlines.check_submission_open(session, registration.campaign_id, registration.unit_code)
    await _check_still_fits_the_plan(session, registration, campaign)
    registration.status = RegistrationStatus.SUBMITTED
    registration.submission_number = 1
    registration.submitted_at = registration.updated_at = now()
    members: list[dict[str, object]] = [
        {
            "staff_code": m.staff_code,
            "full_name": m.full_name,
            "gender": m.gender,
            "position": m.position,
            "title_aimed": m.title_aimed,
        }
        for m in registration.members
    ]
    session.add(service.snapshot(registration, members))
    await session.flush()
    await events.pledge_submitted(session, registration)
    return registration


async def _check_still_fits_the_plan(
    session: AsyncSession, registration: Registration, campaign: Campaign
) -> None:
    """An amendment may have dropped the unit or a task since the draft was saved."""
    if await session.get(CampaignUnit, (campaign.id, registration.unit_code)) is None:
        raise Unprocessable(
            f"Unit {registration.unit_code} no longer takes part in campaign {campaign.id}.",
            field="unit_code",
        )
    tasks = commitments.plan_tasks(campaign.tasks)
    for i, commitment in enumerate(registration.commitments):
        if commitment["task_number"] not in tasks:
            known = ", ".join(str(n) for n in sorted(tasks)) or "none"
            raise Unprocessable(
                f"The plan no longer has task {commitment['task_number']} (its tasks: {known}); "
                "change the draft first.",
                field=f"commitments[{i}].task_number",
            )
