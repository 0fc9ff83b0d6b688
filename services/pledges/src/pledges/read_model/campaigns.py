"""The campaigns this service knows, as their events tell them, and the guard on writing to one.

A campaign is written to while it is launched; once its last phase closes, it is closed or it
is cancelled, its registrations and covenants are frozen. Handlers flush, never commit.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pledges.codes import CampaignStatus
from pledges.models import Campaign, CampaignUnit, DirectoryUnit
from thidua_shared.contracts.campaigns import CampaignAmended, CampaignLaunched
from thidua_shared.platform.errors import Conflict

# Days and times are shown as they are where the agencies are, whatever the server's zone.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class LaunchNotReceived(Exception):
    """An event about a campaign overtook its launch; failing makes the bus deliver it again."""


def _snapshot_values(snapshot: CampaignLaunched) -> dict[str, Any]:
    return {
        "title": snapshot.title,
        "year": snapshot.year,
        "registration_deadline": snapshot.registration_deadline,
        "phases_total": len(snapshot.phases),
        "launched_at": snapshot.launched_at,
        "document_number": snapshot.document_number,
        "issuing_agency": snapshot.issuing_agency,
        "parent_agency": snapshot.parent_agency,
        "place_of_issue": snapshot.place_of_issue,
        "issued_on": snapshot.issued_on,
        "tasks": [task.model_dump(mode="json") for task in snapshot.tasks],
    }


def _unit_rows(snapshot: CampaignLaunched) -> list[dict[str, Any]]:
    # A unit names its cluster; the cluster list is read for units that do not.
    listed = {code: c.name for c in snapshot.clusters for code in c.unit_codes}
    return [
        {
            "campaign_id": snapshot.campaign_id,
            "unit_code": unit.code,
            "unit_name": unit.name,
            "cluster": unit.cluster or listed.get(unit.code),
        }
        for unit in snapshot.units
    ]


async def record_launched(session: AsyncSession, launched: CampaignLaunched) -> None:
    inserted = await session.execute(
        insert(Campaign)
        .values(
            id=launched.campaign_id, status=CampaignStatus.LAUNCHED, **_snapshot_values(launched)
        )
        .on_conflict_do_nothing(index_elements=[Campaign.id])
        .returning(Campaign.id)
    )
    # A late copy of the launch must neither reopen a frozen campaign nor undo an amendment.
    if inserted.first() is None or not launched.units:
        return
    await session.execute(insert(CampaignUnit), _unit_rows(launched))


async def record_amended(session: AsyncSession, amended: CampaignAmended) -> None:
    """Replaces the stored snapshot with the amended one, unless a later one is already there."""
    values = {**_snapshot_values(amended), "amendment_number": amended.amendment_number}
    stored = await session.execute(
        insert(Campaign)
        .values(id=amended.campaign_id, status=CampaignStatus.LAUNCHED, **values)
        .on_conflict_do_update(
            index_elements=[Campaign.id],
            set_=values,
            where=Campaign.amendment_number < amended.amendment_number,
        )
        .returning(Campaign.id)
    )
    if stored.first() is None:
        return
    await _replace_units(session, amended.campaign_id, _unit_rows(amended))


async def _replace_units(
    session: AsyncSession, campaign_id: UUID, rows: Sequence[dict[str, Any]]
) -> None:
    kept = [row["unit_code"] for row in rows]
    await session.execute(
        delete(CampaignUnit).where(
            CampaignUnit.campaign_id == campaign_id, CampaignUnit.unit_code.not_in(kept)
        )
    )
    if not rows:
        return
    statement = insert(CampaignUnit).values(list(rows))
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CampaignUnit.campaign_id, CampaignUnit.unit_code],
            set_={"unit_name": statement.excluded.unit_name, "cluster": statement.excluded.cluster},
        )
    )


async def record_closed(session: AsyncSession, campaign_id: UUID, closed_at: datetime) -> None:
    closed = await session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id)
        .values(
            # A cancelled campaign stays cancelled: that says more about it than its closing.
            status=case(
                (Campaign.status == CampaignStatus.CANCELLED, CampaignStatus.CANCELLED),
                else_=CampaignStatus.CLOSED,
            ),
            closed_at=func.coalesce(Campaign.closed_at, closed_at),
        )
        .returning(Campaign.id)
    )
    if closed.first() is None:
        raise LaunchNotReceived(f"The closing of {campaign_id} arrived before its launch.")


async def record_cancelled(
    session: AsyncSession, campaign_id: UUID, reason: str, cancelled_at: datetime
) -> None:
    cancelled = await session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id)
        .values(
            status=CampaignStatus.CANCELLED,
            cancelled_at=func.coalesce(Campaign.cancelled_at, cancelled_at),
            cancel_reason=func.coalesce(Campaign.cancel_reason, reason),
        )
        .returning(Campaign.id)
    )
    if cancelled.first() is None:
        raise LaunchNotReceived(f"The cancellation of {campaign_id} arrived before its launch.")


def refuse_if_frozen(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CANCELLED:
        cancelled_at = campaign.cancelled_at
        when = "" if cancelled_at is None else f" on {cancelled_at.astimezone(VIETNAM):%d/%m/%Y}"
        raise Conflict(
            f"Campaign {campaign.id} was cancelled{when} ({campaign.cancel_reason}); "
            "its registrations and covenants are frozen.",
            field="campaign_id",
            campaign_status=CampaignStatus.CANCELLED,
            reason=campaign.cancel_reason,
        )
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict(
            f"Campaign {campaign.id} is closed; its registrations and covenants are frozen.",
            field="campaign_id",
            campaign_status=CampaignStatus.CLOSED,
        )


async def open_campaign(session: AsyncSession, campaign_id: UUID) -> Campaign:
    """The campaign, share-locked, if it may be written to now; a 409 naming why otherwise."""
    # FOR SHARE: the events that freeze a campaign wait for the writes in flight, so none
    # slips past them.
    query = select(Campaign).where(Campaign.id == campaign_id).with_for_update(read=True)
    campaign = (await session.execute(query)).scalar_one_or_none()
    if campaign is None:
        raise Conflict(
            f"Campaign {campaign_id} is not launched, or its launch has not reached this service.",
            field="campaign_id",
        )
    refuse_if_frozen(campaign)
    return campaign


async def unit_names(session: AsyncSession, campaign_id: UUID) -> dict[str, str]:
    """The campaign's units by code, with the directory's current name where it has one."""
    rows = await session.execute(
        select(CampaignUnit.unit_code, func.coalesce(DirectoryUnit.name, CampaignUnit.unit_name))
        .outerjoin(DirectoryUnit, DirectoryUnit.code == CampaignUnit.unit_code)
        .where(CampaignUnit.campaign_id == campaign_id)
    )
    return dict(rows.all())
