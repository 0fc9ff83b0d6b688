"""Covenant use cases (giao ước thi đua). They flush, never commit; signatures record events.

A covenant binds the units of one cluster (cụm thi đua) in a campaign: the office writes its
items, every member unit signs once, and it comes into force with the last signature.
"""

from dataclasses import dataclass
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from pledges import events
from pledges.codes import CovenantStatus
from pledges.models import CampaignUnit, Covenant, CovenantSignature
from pledges.read_model.campaigns import open_campaign
from pledges.schemas import CovenantCreate, SignatureCreate
from thidua_shared.platform.auth import Forbidden, Principal, Role
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable


@dataclass(frozen=True)
class CovenantView:
    covenant: Covenant
    member_units: list[str]


async def _member_units(session: AsyncSession, campaign_id: UUID, cluster: str) -> list[str]:
    rows = await session.execute(
        select(CampaignUnit.unit_code)
        .where(CampaignUnit.campaign_id == campaign_id, CampaignUnit.cluster == cluster)
        .order_by(CampaignUnit.unit_code)
    )
    return list(rows.scalars().all())


def _already_exists(data: CovenantCreate, existing_id: UUID | None) -> Conflict:
    return Conflict(
        f"Cluster {data.cluster} already has a covenant in campaign {data.campaign_id}.",
        field="cluster",
        covenant_id=None if existing_id is None else str(existing_id),
    )


async def create_covenant(session: AsyncSession, data: CovenantCreate) -> CovenantView:
    await open_campaign(session, data.campaign_id)
    members = await _member_units(session, data.campaign_id, data.cluster)
    if not members:
        raise Unprocessable(
            f"No unit of campaign {data.campaign_id} belongs to cluster {data.cluster}.",
            field="cluster",
        )
    existing = await session.execute(
        select(Covenant.id).where(
            Covenant.campaign_id == data.campaign_id, Covenant.cluster == data.cluster
        )
    )
    if (existing_id := existing.scalar_one_or_none()) is not None:
        raise _already_exists(data, existing_id)
    covenant = Covenant(
        id=uuid4(),
        campaign_id=data.campaign_id,
        cluster=data.cluster,
        items=list(data.items),
        document_number=data.document_number,
        place=data.place,
        status=CovenantStatus.OPEN,
        created_at=now(),
        signatures=[],
    )
    session.add(covenant)
    try:
        await session.flush()
    except IntegrityError as exc:
        if "uq_covenants_campaign_id" not in str(exc):
            raise
        raise _already_exists(data, None) from exc
    return CovenantView(covenant, members)


def _not_found(covenant_id: UUID) -> NotFound:
    return NotFound(f"No covenant {covenant_id}.", field="covenant_id")


async def get_covenant(
    session: AsyncSession, covenant_id: UUID, principal: Principal, *, lock: bool = False
) -> CovenantView:
    """The covenant if the caller may see it; another cluster's reads exactly as a missing one."""
    query = (
        select(Covenant)
        .where(Covenant.id == covenant_id)
        .options(selectinload(Covenant.signatures))
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=Covenant)
    covenant = (await session.execute(query)).scalar_one_or_none()
    if covenant is None:
        raise _not_found(covenant_id)
    members = await _member_units(session, covenant.campaign_id, covenant.cluster)
    if principal.role is Role.UNIT_HEAD and principal.unit_code not in members:
        raise _not_found(covenant_id)
    return CovenantView(covenant, members)


async def list_covenants(
    session: AsyncSession, campaign_id: UUID, principal: Principal
) -> list[CovenantView]:
    """The campaign's covenants the caller may see: a unit head those of its own cluster, the
    office and the readers every cluster's."""
    covenants = await session.execute(
        select(Covenant)
        .where(Covenant.campaign_id == campaign_id)
        .options(selectinload(Covenant.signatures))
        .order_by(Covenant.cluster)
    )
    units = await session.execute(
        select(CampaignUnit.cluster, CampaignUnit.unit_code)
        .where(CampaignUnit.campaign_id == campaign_id)
        .order_by(CampaignUnit.unit_code)
    )
    members: dict[str | None, list[str]] = {}
    for cluster, unit_code in units:
        members.setdefault(cluster, []).append(unit_code)
    views = [CovenantView(c, members.get(c.cluster, [])) for c in covenants.scalars()]
    if principal.role is Role.UNIT_HEAD:
        return [view for view in views if principal.unit_code in view.member_units]
    return views


async def sign(
    session: AsyncSession, covenant_id: UUID, data: SignatureCreate, principal: Principal
) -> CovenantView:
    # The row lock serialises signatures of one covenant: the signatures counted below are
    # loaded after it is taken, so of two concurrent last signatures only one finds all signed.
    view = await get_covenant(session, covenant_id, principal, lock=True)
    covenant = view.covenant
    if not principal.may_act_for(data.unit_code):
        raise Forbidden(
            f"A unit head signs for their own unit only, not {data.unit_code}.", field="unit_code"
        )
    if data.unit_code not in view.member_units:
        raise Unprocessable(
            f"Unit {data.unit_code} is not a member of cluster {covenant.cluster}.",
            field="unit_code",
        )
    if any(s.unit_code == data.unit_code for s in covenant.signatures):
        raise Conflict(
            f"Unit {data.unit_code} has already signed this covenant.", field="unit_code"
        )
    await open_campaign(session, covenant.campaign_id)
    signed_at = now()
    covenant.signatures.append(
        CovenantSignature(
            unit_code=data.unit_code,
            signer_name=data.signer_name,
            signer_title=data.signer_title,
            signed_at=signed_at,
        )
    )
    signed = {s.unit_code for s in covenant.signatures}
    in_force = covenant.status == CovenantStatus.OPEN and signed >= set(view.member_units)
    if in_force:
        covenant.status = CovenantStatus.IN_FORCE
        covenant.in_force_at = signed_at
    # Every signature changes what the covenant reads as, so its version (the ETag) moves.
    flag_modified(covenant, "status")
    await session.flush()
    await events.covenant_signed(session, covenant, data.unit_code, signed_at, in_force=in_force)
    return view
