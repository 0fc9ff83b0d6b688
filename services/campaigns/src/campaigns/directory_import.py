"""Applying an imported unit file: all rows or none, with every reference checked first."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from campaigns import events
from campaigns.directory_models import Cluster, ClusterMember, Unit
from campaigns.directory_schemas import ImportResult
from campaigns.unit_import import ParsedFile, UnitRow
from thidua_shared.documents import RowError, RowsRejected, row_error
from thidua_shared.platform.clock import now

_UNIT_FIELDS = ("name", "kind", "parent_code", "contact")


def _check_references(
    parsed: ParsedFile, units: dict[str, Unit], clusters: dict[str, Cluster]
) -> None:
    """Every error of the file at once: its bad cells and the references it cannot resolve."""
    rows = parsed.rows
    errors: list[RowError] = list(parsed.errors)
    parents = {code: unit.parent_code for code, unit in units.items()}
    parents.update({r.unit.code: r.unit.parent_code for r in rows})
    for row in rows:
        parent = row.unit.parent_code
        if parent is not None and parent not in parents:
            errors.append(row_error(row.row, "parent_code", f"No unit {parent} here or on file."))
            continue
        seen = {row.unit.code}
        while parent is not None:
            if parent in seen:
                errors.append(row_error(row.row, "parent_code", "Units cannot nest in a circle."))
                break
            seen.add(parent)
            parent = parents.get(parent)
    names: dict[str, tuple[int, str]] = {}
    for row in rows:
        if row.cluster_code is None:
            if row.cluster_name is not None:
                errors.append(row_error(row.row, "cluster_code", "A cluster name needs its code."))
            continue
        if row.cluster_name is not None:
            first = names.setdefault(row.cluster_code, (row.row, row.cluster_name))
            if first[1] != row.cluster_name:
                errors.append(
                    row_error(
                        row.row,
                        "cluster_name",
                        f"Cluster {row.cluster_code} is named '{first[1]}' on row {first[0]}.",
                    )
                )
    for row in rows:
        code = row.cluster_code
        if code is not None and code not in names and code not in clusters:
            errors.append(
                row_error(row.row, "cluster_name", f"Cluster {code} is new: give its name.")
            )
    if errors:
        raise RowsRejected(sorted(errors, key=lambda e: e["row"]))


async def import_units(session: AsyncSession, parsed: ParsedFile) -> ImportResult:
    rows = parsed.rows
    codes = [r.unit.code for r in rows]
    parent_codes = [r.unit.parent_code for r in rows if r.unit.parent_code]
    units = {
        u.code: u
        for u in (
            await session.execute(
                select(Unit).where(Unit.code.in_([*codes, *parent_codes])).with_for_update()
            )
        ).scalars()
    }
    cluster_codes = list(dict.fromkeys(r.cluster_code for r in rows if r.cluster_code))
    clusters = {
        c.code: c
        for c in (
            await session.execute(
                select(Cluster)
                .where(Cluster.code.in_(cluster_codes))
                .options(selectinload(Cluster.members), selectinload(Cluster.leaderships))
                .with_for_update(of=Cluster)
            )
        ).scalars()
    }
    _check_references(parsed, units, clusters)
    moment = now()
    created: list[Unit] = []
    updated: list[Unit] = []
    # New units first without their parent, so a parent further down the file exists in time.
    for row in rows:
        if (unit := units.get(row.unit.code)) is None:
            unit = Unit(**row.unit.model_dump(exclude={"parent_code"}), active=True)
            unit.updated_at = moment
            session.add(unit)
            units[unit.code] = unit
            created.append(unit)
    await session.flush()
    for row in rows:
        unit = units[row.unit.code]
        wanted = row.unit.model_dump(include=set(_UNIT_FIELDS))
        changed = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
        for name, value in changed.items():
            setattr(unit, name, value)
        if changed and unit not in created:
            unit.updated_at = moment
            updated.append(unit)
    await session.flush()
    for unit in [*created, *updated]:
        await events.unit_changed(session, unit)
    clusters_created, clusters_updated = await _apply_clusters(session, rows, clusters)
    return ImportResult(
        units_created=len(created),
        units_updated=len(updated),
        units_unchanged=len(rows) - len(created) - len(updated),
        clusters_created=clusters_created,
        clusters_updated=clusters_updated,
    )


async def _apply_clusters(
    session: AsyncSession, rows: Sequence[UnitRow], clusters: dict[str, Cluster]
) -> tuple[int, int]:
    """Each cluster on file gets the file's members, in file order, and its name if given."""
    members: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for row in rows:
        if row.cluster_code is not None:
            members.setdefault(row.cluster_code, []).append(row.unit.code)
            if row.cluster_name is not None:
                names[row.cluster_code] = row.cluster_name
    created = updated = 0
    for code, unit_codes in members.items():
        cluster = clusters.get(code)
        is_new = cluster is None
        if cluster is None:
            cluster = Cluster(code=code, name=names[code], active=True, updated_at=now())
            cluster.members = []
            cluster.leaderships = []
            session.add(cluster)
        same_members = [m.unit_code for m in cluster.members] == unit_codes
        same_name = cluster.name == names.get(code, cluster.name)
        if not is_new and same_members and same_name:
            continue
        cluster.name = names.get(code, cluster.name)
        if not same_members:
            cluster.members.clear()
            await session.flush()
            cluster.members.extend(
                ClusterMember(unit_code=c, position=i) for i, c in enumerate(unit_codes, start=1)
            )
        cluster.updated_at = now()
        await session.flush()
        await events.cluster_changed(session, cluster)
        created += is_new
        updated += not is_new
    return created, updated
