from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from campaigns import directory
from campaigns.api import OFFICE, READERS
from campaigns.directory_import import import_units
from campaigns.directory_models import Cluster, Unit
from campaigns.directory_schemas import (
    ClusterCreate,
    ClusterRead,
    ClusterUpdate,
    ImportResult,
    LeadershipRead,
    UnitCreate,
    UnitPage,
    UnitRead,
    UnitUpdate,
)
from campaigns.schemas import UnitCode
from campaigns.unit_import import MAX_BYTES, file_rows, parse_units
from thidua_shared.documents import file_request_body
from thidua_shared.platform.http import (
    IdempotentPosts,
    RequiredVersion,
    SessionDep,
    etag,
    read_upload,
)
from thidua_shared.platform.pagination import DEFAULT_PAGE, MAX_PAGE
from thidua_shared.platform.validation import MAX_OFFSET

units = APIRouter(prefix="/units", tags=["units"], route_class=IdempotentPosts)
clusters = APIRouter(prefix="/clusters", tags=["clusters"], route_class=IdempotentPosts)

CodePath = Annotated[UnitCode, Path()]


def _unit(unit: Unit, response: Response) -> UnitRead:
    response.headers["ETag"] = etag(unit.version)
    return UnitRead.model_validate(unit)


def cluster_read(cluster: Cluster) -> ClusterRead:
    return ClusterRead(
        code=cluster.code,
        name=cluster.name,
        active=cluster.active,
        version=cluster.version,
        unit_codes=[m.unit_code for m in cluster.members],
        leaderships=[LeadershipRead.model_validate(lead) for lead in cluster.leaderships],
    )


def _cluster(cluster: Cluster, response: Response) -> ClusterRead:
    response.headers["ETag"] = etag(cluster.version)
    return cluster_read(cluster)


@units.post(
    "", status_code=201, summary="Add a unit (đơn vị) to the directory", dependencies=OFFICE
)
async def create_unit(body: UnitCreate, session: SessionDep, response: Response) -> UnitRead:
    unit = await directory.create_unit(session, body)
    # A header is Latin-1: a Vietnamese code travels percent-encoded, as in any URL.
    response.headers["Location"] = f"/campaigns/units/{quote(unit.code)}"
    return _unit(unit, response)


_FILE_BODY = file_request_body(
    "The file itself (at most 5 MB), header row first. Columns: Mã đơn vị, "
    "Tên đơn vị, Loại hình, Mã đơn vị cấp trên, Liên hệ, Mã cụm thi đua, Tên cụm thi đua "
    "(or code, name, kind, parent_code, contact, cluster_code, cluster_name). CSV in UTF-8."
)


@units.post(
    "/import",
    summary="Import units and their clusters from CSV or XLSX (nhập danh mục đơn vị)",
    description="All or nothing: a file with any bad row answers 422 with every error by "
    "row (the header is row 1) and field, and nothing is written. Existing units are updated; "
    "each cluster on file gets the file's members in file order (its rotation order).",
    openapi_extra=_FILE_BODY,
    dependencies=OFFICE,
)
async def import_unit_file(request: Request, session: SessionDep) -> ImportResult:
    body = await read_upload(request, MAX_BYTES)
    rows = await run_in_threadpool(file_rows, request.headers.get("content-type"), body)
    return await import_units(session, parse_units(rows))


@units.get("", summary="List the unit directory", dependencies=READERS)
async def list_units(
    session: SessionDep,
    active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> UnitPage:
    found, total = await directory.list_units(session, active=active, limit=limit, offset=offset)
    items = [UnitRead.model_validate(u) for u in found]
    return UnitPage(items=items, total=total, limit=limit, offset=offset)


@units.get("/{code}", summary="Read a unit", dependencies=READERS)
async def get_unit(code: CodePath, session: SessionDep, response: Response) -> UnitRead:
    return _unit(await directory.get_unit(session, code), response)


@units.patch(
    "/{code}",
    summary="Update or deactivate (active: false) a unit; units are never deleted",
    dependencies=OFFICE,
)
async def update_unit(
    code: CodePath,
    body: UnitUpdate,
    session: SessionDep,
    version: RequiredVersion,
    response: Response,
) -> UnitRead:
    return _unit(await directory.update_unit(session, code, body, version), response)


@clusters.post(
    "", status_code=201, summary="Create an emulation cluster (cụm thi đua)", dependencies=OFFICE
)
async def create_cluster(
    body: ClusterCreate, session: SessionDep, response: Response
) -> ClusterRead:
    cluster = await directory.create_cluster(session, body)
    response.headers["Location"] = f"/campaigns/clusters/{quote(cluster.code)}"
    return _cluster(cluster, response)


@clusters.get("", summary="List the emulation clusters", dependencies=READERS)
async def list_clusters(session: SessionDep) -> list[ClusterRead]:
    return [cluster_read(c) for c in await directory.list_clusters(session)]


@clusters.get("/{code}", summary="Read a cluster", dependencies=READERS)
async def get_cluster(code: CodePath, session: SessionDep, response: Response) -> ClusterRead:
    return _cluster(await directory.get_cluster(session, code), response)


@clusters.patch(
    "/{code}", summary="Rename, change members or deactivate a cluster", dependencies=OFFICE
)
async def update_cluster(
    code: CodePath,
    body: ClusterUpdate,
    session: SessionDep,
    version: RequiredVersion,
    response: Response,
) -> ClusterRead:
    return _cluster(await directory.update_cluster(session, code, body, version), response)


@clusters.post(
    "/{code}/rotation/{year}",
    summary="Elect the year's leader (cụm trưởng) and deputy (cụm phó) by rotation",
    description="The next members after last year's leader, in member order. A year already "
    "elected answers its leadership unchanged (200); a new election answers 201.",
    status_code=201,
    dependencies=OFFICE,
)
async def rotate_cluster(
    code: CodePath,
    year: Annotated[int, Path(ge=1990, le=2100)],
    session: SessionDep,
    response: Response,
) -> ClusterRead:
    cluster, elected = await directory.rotate(session, code, year)
    if not elected:
        response.status_code = 200
    return _cluster(cluster, response)
