"""Where a campaign stands for the office: who registered, and which clusters covenanted.

Two queries whatever the number of units: the units with their registration and extension,
then the covenants with their signatures.
"""

from uuid import UUID

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pledges.codes import CovenantState, RegistrationState
from pledges.models import (
    Campaign,
    CampaignUnit,
    Covenant,
    CovenantSignature,
    DirectoryUnit,
    Registration,
    RegistrationExtension,
)
from pledges.schemas import (
    CampaignProgress,
    ClusterProgress,
    ClusterSignature,
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
                func.coalesce(DirectoryUnit.name, CampaignUnit.unit_name),
                CampaignUnit.cluster,
                Registration.id,
                Registration.status,
                RegistrationExtension.until,
            )
            .select_from(Campaign)
            .outerjoin(CampaignUnit, CampaignUnit.campaign_id == Campaign.id)
            .outerjoin(DirectoryUnit, DirectoryUnit.code == CampaignUnit.unit_code)
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
            registration_status=registration_status or RegistrationState.NOT_REGISTERED,
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
    rows = await session.execute(
        select(Covenant, CovenantSignature)
        .outerjoin(CovenantSignature, CovenantSignature.covenant_id == Covenant.id)
        .where(Covenant.campaign_id == campaign_id)
        .order_by(CovenantSignature.signed_at, CovenantSignature.unit_code)
    )
    covenants: dict[str, Covenant] = {}
    signatures: dict[str, list[CovenantSignature]] = {}
    for covenant, signature in rows:
        covenants[covenant.cluster] = covenant
        if signature is not None:
            signatures.setdefault(covenant.cluster, []).append(signature)
    result: list[ClusterProgress] = []
    for cluster in sorted(members):
        found = covenants.get(cluster)
        signed = [s for s in signatures.get(cluster, []) if s.unit_code in members[cluster]]
        done = {s.unit_code for s in signed}
        result.append(
            ClusterProgress(
                cluster=cluster,
                member_units=members[cluster],
                covenant_status=CovenantState.NONE if found is None else found.status,
                covenant_id=None if found is None else found.id,
                in_force_at=None if found is None else found.in_force_at,
                signed=[u for u in members[cluster] if u in done],
                not_signed=[u for u in members[cluster] if u not in done],
                signatures=[ClusterSignature.model_validate(s) for s in signed],
            )
        )
    return result
