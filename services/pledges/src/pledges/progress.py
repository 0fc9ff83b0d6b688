"""Where a campaign stands for the office: who registered, and which clusters covenanted.

Two queries whatever the number of units: the units with their registration and extension,
then the covenants with their signatures.
"""

from uuid import UUID

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pledges.models import (
    Campaign,
    CampaignUnit,
    Covenant,
    CovenantSignature,
    Registration,
    RegistrationExtension,
)
from pledges.schemas import (
    CampaignProgress,
    ClusterProgress,
    StatusCounts,
    UnitProgress,
)
from thidua_shared.platform.errors import NotFound


async def campaign_progress(session: AsyncSession, campaign_id: UUID) -> CampaignProgress:
    # Outer joins from the campaign, so a campaign without units still answers one row.
    rows = (
        await session.execute(
            select(
                Campaign.title,
                Campaign.status,
                Campaign.registration_deadline,
                CampaignUnit.unit_code,
                CampaignUnit.unit_name,
                CampaignUnit.cluster,
                Registration.id,
                Registration.status,
                RegistrationExtension.until,
            )
            .select_from(Campaign)
            .outerjoin(CampaignUnit, CampaignUnit.campaign_id == Campaign.id)
            .outerjoin(
                Registration,
                and_(
                    Registration.campaign_id == CampaignUnit.campaign_id,
                    Registration.unit_code == CampaignUnit.unit_code,
                ),
            )
            .outerjoin(
                RegistrationExtension,
                and_(
                    RegistrationExtension.campaign_id == CampaignUnit.campaign_id,
                    RegistrationExtension.unit_code == CampaignUnit.unit_code,
                ),
            )
            .where(Campaign.id == campaign_id)
            .order_by(CampaignUnit.unit_code)
        )
    ).all()
    if not rows:
        raise NotFound(f"No campaign {campaign_id}.", field="campaign_id")
    title, status, deadline = rows[0][:3]
    units = [
        UnitProgress(
            unit_code=unit_code,
            unit_name=unit_name,
            cluster=cluster,
            registration_status=registration_status or "not_registered",
            registration_id=registration_id,
            extension_until=until,
        )
        for (
            _,
            _,
            _,
            unit_code,
            unit_name,
            cluster,
            registration_id,
            registration_status,
            until,
        ) in rows
        if unit_code is not None
    ]
    counts = StatusCounts()
    for unit in units:
        setattr(counts, unit.registration_status, getattr(counts, unit.registration_status) + 1)
    return CampaignProgress(
        campaign_id=campaign_id,
        title=title,
        status=status,
        registration_deadline=deadline,
        units=units,
        counts=counts,
        clusters=await _clusters(session, campaign_id, units),
    )


async def _clusters(
    session: AsyncSession, campaign_id: UUID, units: list[UnitProgress]
) -> list[ClusterProgress]:
    members: dict[str, list[str]] = {}
    for unit in units:
        if unit.cluster is not None:
            members.setdefault(unit.cluster, []).append(unit.unit_code)
    signatures = await session.execute(
        select(Covenant.cluster, Covenant.id, Covenant.status, CovenantSignature.unit_code)
        .outerjoin(CovenantSignature, CovenantSignature.covenant_id == Covenant.id)
        .where(Covenant.campaign_id == campaign_id)
    )
    covenants: dict[str, tuple[UUID, str]] = {}
    signed: dict[str, set[str]] = {}
    for cluster, covenant_id, covenant_status, unit_code in signatures:
        covenants[cluster] = (covenant_id, covenant_status)
        if unit_code is not None:
            signed.setdefault(cluster, set()).add(unit_code)
    result: list[ClusterProgress] = []
    for cluster in sorted(members):
        covenant = covenants.get(cluster)
        done = signed.get(cluster, set())
        result.append(
            ClusterProgress(
                cluster=cluster,
                member_units=members[cluster],
                covenant_status="none" if covenant is None else covenant[1],
                covenant_id=None if covenant is None else covenant[0],
                signed=[u for u in members[cluster] if u in done],
                not_signed=[u for u in members[cluster] if u not in done],
            )
        )
    return result
