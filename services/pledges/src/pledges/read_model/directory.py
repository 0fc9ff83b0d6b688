"""The local copy of the unit directory (đơn vị, cụm thi đua) the campaigns service keeps.

Each event carries the whole current record; a record older than the one kept is ignored, so
events applied out of order leave the latest. Handlers flush, never commit.
"""

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pledges.models import DirectoryCluster, DirectoryUnit
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged


async def record_unit(session: AsyncSession, changed: UnitChanged) -> None:
    values: dict[str, Any] = {
        "name": changed.name,
        "kind": changed.kind,
        "parent_code": changed.parent_code,
        "active": changed.active,
        "changed_at": changed.changed_at,
    }
    await session.execute(
        insert(DirectoryUnit)
        .values(code=changed.code, **values)
        .on_conflict_do_update(
            index_elements=[DirectoryUnit.code],
            set_=values,
            where=DirectoryUnit.changed_at < changed.changed_at,
        )
    )


async def record_cluster(session: AsyncSession, changed: ClusterChanged) -> None:
    values: dict[str, Any] = {
        "name": changed.name,
        "unit_codes": list(changed.unit_codes),
        "year": changed.year,
        "leader_unit": changed.leader_unit,
        "deputy_unit": changed.deputy_unit,
        "active": changed.active,
        "changed_at": changed.changed_at,
    }
    await session.execute(
        insert(DirectoryCluster)
        .values(code=changed.code, **values)
        .on_conflict_do_update(
            index_elements=[DirectoryCluster.code],
            set_=values,
            where=DirectoryCluster.changed_at < changed.changed_at,
        )
    )
