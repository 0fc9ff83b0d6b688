from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from reports import evaluation_store
from reports.evaluation_import import MAX_BYTES, TEMPLATE_NAME, parse_evaluations, template_file
from reports.schemas import ReportRead
from thidua_shared.documents import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    file_kind,
    file_request_body,
)
from thidua_shared.platform.auth import Principal, Role, allow
from thidua_shared.platform.downloads import content_disposition
from thidua_shared.platform.http import RequiredVersion, SessionDep, etag, read_upload

router = APIRouter(tags=["reports"])

# Like the report itself: unit heads for their own unit (the service checks which), the office
# for any.
Importer = Annotated[Principal, allow(Role.UNIT_HEAD, Role.OFFICE)]

_FILE_BODY = file_request_body(
    "The file itself (at most 10 MB): the template's columns, header row "
    "first. CSV in UTF-8, with or without a byte order mark."
)


@router.get(
    "/member-evaluation-template",
    summary="The member evaluation template (mẫu đánh giá, xếp loại cá nhân), XLSX or CSV",
    description="With report_id, one row per member the unit registered, ready to be rated.",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}, CSV_MEDIA_TYPE: {}}}},
)
async def evaluation_template(
    principal: Importer,
    session: SessionDep,
    format: Literal["xlsx", "csv"] = "xlsx",
    report_id: UUID | None = None,
) -> Response:
    members = None
    if report_id is not None:
        members = await evaluation_store.registered_of(session, report_id, principal)
    content, media_type = template_file(format, members)
    disposition = content_disposition(f"{TEMPLATE_NAME}.{format}")
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.put(
    "/reports/{report_id}/member-evaluations",
    summary="Replace a final report's member evaluations from an XLSX or CSV file (nhập đánh giá)",
    description="For a draft or returned final review. All or nothing: a file with any bad row "
    "answers 422 with every error by spreadsheet row (the header is row 1), and nothing is "
    "changed.",
    openapi_extra=_FILE_BODY,
)
async def import_evaluations(
    principal: Importer,
    report_id: UUID,
    request: Request,
    session: SessionDep,
    version: RequiredVersion,
    response: Response,
) -> ReportRead:
    body = await read_upload(request, MAX_BYTES)
    report, registered = await evaluation_store.changeable_final_report(
        session, report_id, version, principal
    )
    kind = file_kind(request.headers.get("content-type"), body)
    imported = await run_in_threadpool(parse_evaluations, body, kind, registered)
    report = await evaluation_store.replace_evaluations(session, report, imported)
    response.headers["ETag"] = etag(report.version)
    return ReportRead.model_validate(report)
