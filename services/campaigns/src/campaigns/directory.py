"""Unit directory use cases: units, clusters, rotation of the cluster's leader and deputy."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaigns import events
from campaigns.directory_models import Cluster, ClusterLeadership, ClusterMember, Unit
from campaigns.directory_schemas import ClusterCreate, ClusterUpdate, UnitCreate, UnitUpdate
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable
from thidua_shared.platform.http import check_version


@dataclass(frozen=True)
class NamedParticipant:
    code: str
    name: str
    cluster: str | None


async def get_unit(session: AsyncSession, code: str, *, lock: bool = False) -> Unit:
    query = select(Unit).where(Unit.code == code)
    if lock:
        query = query.with_for_update()
    unit = (await session.execute(query)).scalar_one_or_none()
    if unit is None:
        raise NotFound(f"No unit {code} in the directory.", field="code")
    return unit


async def list_units(
    session: AsyncSession, *, active: bool | None, limit: int, offset: int
) -> tuple[Sequence[Unit], int]:
    query = select(Unit)
    if active is not None:
        query = query.where(Unit.active == active)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await session.execute(query.order_by(Unit.code).limit(limit).offset(offset))
    return rows.scalars().all(), total


async def _check_parent(session: AsyncSession, code: str, parent_code: str | None) -> None:
    if parent_code is None:
        return
    if parent_code == code:
        raise Unprocessable("A unit cannot be its own parent.", field="parent_code")
    ancestor: str | None = parent_code
    while ancestor is not None:
        parent = await session.get(Unit, ancestor)
        if parent is None:
            raise Unprocessable(f"No unit {ancestor} in the directory.", field="parent_code")
        if parent.parent_code == code:
            raise Unprocessable(
                f"Unit {parent_code} is already under {code}; units cannot nest in a circle.",
                field="parent_code",
            )
        ancestor = parent.parent_code


async def create_unit(session: AsyncSession, data: UnitCreate) -> Unit:
    if await session.get(Unit, data.code) is not None:
        raise Conflict(f"Unit {data.code} already exists; update it instead.", field="code")
    await _check_parent(session, data.code, data.parent_code)
    unit = Unit(**data.model_dump(), active=True, updated_at=now())
    session.add(unit)
    await session.flush()
    await events.unit_changed(session, unit)
    return unit


async def update_unit(
    session: AsyncSession, code: str, data: UnitUpdate, expected_version: int | None
) -> Unit:
    unit = await get_unit(session, code, lock=True)
    check_version(expected_version, unit.version)
    changes = data.model_dump(exclude_unset=True)
    for name in ("name", "kind", "contact", "active"):
        if name in changes and changes[name] is None:
            raise Unprocessable(f"{name} cannot be cleared; send a value.", field=name)
    if "parent_code" in changes:
        await _check_parent(session, code, changes["parent_code"])
    changed = {k: v for k, v in changes.items() if getattr(unit, k) != v}
    if not changed:
        return unit
    for name, value in changed.items():
        setattr(unit, name, value)
    unit.updated_at = now()
    await session.flush()
    await events.unit_changed(session, unit)
    return unit


async def get_cluster(session: AsyncSession, code: str, *, lock: bool = False) -> Cluster:
    query = (
        select(Cluster)
        .where(Cluster.code == code)
        .options(selectinload(Cluster.members), selectinload(Cluster.leaderships))
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=Cluster)
    cluster = (await session.execute(query)).scalar_one_or_none()
    if cluster is None:
        raise NotFound(f"No cluster {code} in the directory.", field="code")
    return cluster


async def list_clusters(session: AsyncSession) -> Sequence[Cluster]:
    query = select(Cluster).options(
        selectinload(Cluster.members), selectinload(Cluster.leaderships)
    )
    return (await session.execute(query.order_by(Cluster.code))).scalars().all()


async def _members(
    session: AsyncSession, unit_codes: Sequence[str], field: str
) -> list[ClusterMember]:
    found = {
        u.code: u
        for u in (await session.execute(select(Unit).where(Unit.code.in_(unit_codes)))).scalars()
    }
    seen: set[str] = set()
    for i, code in enumerate(unit_codes):
        unit = found.get(code)
        if unit is None or not unit.active:
            state = "inactive" if unit else "not in the directory"
            raise Unprocessable(f"Unit {code} is {state}.", field=f"{field}[{i}]")
        if code in seen:
            raise Unprocessable(f"Unit {code} is listed twice.", field=f"{field}[{i}]")
        seen.add(code)
    return [ClusterMember(unit_code=c, position=i) for i, c in enumerate(unit_codes, start=1)]


async def create_cluster(session: AsyncSession, data: ClusterCreate) -> Cluster:
    if await session.get(Cluster, data.code) is not None:
        raise Conflict(f"Cluster {data.code} already exists; update it instead.", field="code")
    members = await _members(session, data.unit_codes, "unit_codes")
    session.add(Cluster(code=data.code, name=data.name, active=True, updated_at=now()))
    await session.flush()
    cluster = await get_cluster(session, data.code, lock=True)
    cluster.members = members
    await session.flush()
    await events.cluster_changed(session, cluster)
    return cluster


async def update_cluster(
    session: AsyncSession, code: str, data: ClusterUpdate, expected_version: int | None
) -> Cluster:
    cluster = await get_cluster(session, code, lock=True)
    check_version(expected_version, cluster.version)
    changes = data.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise Unprocessable(f"{name} cannot be cleared; send a value.", field=name)
    if "unit_codes" in changes:
        members = await _members(session, changes.pop("unit_codes"), "unit_codes")
        if [m.unit_code for m in members] != [m.unit_code for m in cluster.members]:
            cluster.members.clear()
            await session.flush()
            cluster.members.extend(members)
    for name, value in changes.items():
        setattr(cluster, name, value)
    cluster.updated_at = now()
    await session.flush()
    await events.cluster_changed(session, cluster)
    return cluster


def _next_after(order: list[str], previous: str | None) -> str:
    if previous in order:
        return order[(order.index(previous) + 1) % len(order)]
    return order[0]


async def rotate(session: AsyncSession, code: str, year: int) -> tuple[Cluster, bool]:
    """The year's leader (cụm trưởng) and deputy (cụm phó), taking turns in member order.

    Returns the cluster and whether this call elected them; a year already elected is kept.
    """
    cluster = await get_cluster(session, code, lock=True)
    if any(lead.year == year for lead in cluster.leaderships):
        return cluster, False
    if not cluster.active:
        raise Conflict(f"Cluster {code} is inactive.", field="code", rule="cluster-active")
    active = set(
        (
            await session.execute(
                select(Unit.code).where(
                    Unit.code.in_([m.unit_code for m in cluster.members]), Unit.active
                )
            )
        ).scalars()
    )
    order = [m.unit_code for m in cluster.members if m.unit_code in active]
    if not order:
        raise Conflict(
            f"Cluster {code} has no active member to lead it.", field="code", rule="cluster-members"
        )
    earlier = [lead for lead in cluster.leaderships if lead.year < year]
    previous = max(earlier, key=lambda lead: lead.year).leader_unit if earlier else None
    leader = _next_after(order, previous)
    deputy = _next_after(order, leader) if len(order) > 1 else None
    leadership = ClusterLeadership(year=year, leader_unit=leader, deputy_unit=deputy)
    cluster.leaderships.append(leadership)
    cluster.updated_at = now()
    await session.flush()
    await events.cluster_changed(session, cluster, leadership)
    return cluster, True


async def resolve_participants(
    session: AsyncSession, unit_codes: Sequence[str], cluster_codes: Sequence[str]
) -> list[NamedParticipant]:
    """The directory units a campaign names, directly or through their clusters."""
    if not unit_codes and not cluster_codes:
        return []
    clusters = {
        c.code: c
        for c in (
            await session.execute(
                select(Cluster)
                .where(Cluster.code.in_(cluster_codes))
                .options(selectinload(Cluster.members))
            )
        ).scalars()
    }
    cluster_of: dict[str, str] = {}
    for i, code in enumerate(cluster_codes):
        cluster = clusters.get(code)
        if cluster is None or not cluster.active:
            state = "inactive" if cluster else "not in the directory"
            raise Unprocessable(f"Cluster {code} is {state}.", field=f"cluster_codes[{i}]")
        for member in cluster.members:
            cluster_of.setdefault(member.unit_code, cluster.name)
    wanted = list(dict.fromkeys([*unit_codes, *cluster_of]))
    units = {
        u.code: u
        for u in (await session.execute(select(Unit).where(Unit.code.in_(wanted)))).scalars()
    }
    for i, code in enumerate(unit_codes):
        if code not in units or not units[code].active:
            state = "inactive" if code in units else "not in the directory"
            raise Unprocessable(f"Unit {code} is {state}.", field=f"unit_codes[{i}]")
    if unit_codes:
        memberships = await session.execute(
            select(ClusterMember.unit_code, Cluster.name)
            .join(Cluster, Cluster.code == ClusterMember.cluster_code)
            .where(ClusterMember.unit_code.in_(unit_codes), Cluster.active)
            .order_by(ClusterMember.cluster_code)
        )
        for unit_code, cluster_name in memberships:
            cluster_of.setdefault(unit_code, cluster_name)
    return [
        NamedParticipant(code=code, name=units[code].name, cluster=cluster_of.get(code))
        for code in wanted
        if units[code].active
    ]
