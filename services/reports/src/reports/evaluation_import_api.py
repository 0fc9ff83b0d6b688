from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from reports import evaluation_store
from reports.evaluation_import import TEMPLATE_NAME, parse_evaluations, template_file
from reports.schemas import ReportRead
from reports.spreadsheet_rows import CSV_TYPE, MAX_BYTES, file_kind
from thidua_shared.documents import XLSX_MEDIA_TYPE
from thidua_shared.platform.auth import Principal, Role, allow
from thidua_shared.platform.errors import PayloadTooLarge
from thidua_shared.platform.http import ExpectedVersion, SessionDep, etag

router = APIRouter(tags=["reports"])

# Like the report itself: unit heads for their own unit (the service checks which), the office
# for any.
Importer = Annotated[Principal, allow(Role.UNIT_HEAD, Role.OFFICE)]

_FILE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The file itself (at most 10 MB): the template's columns, header row "
        "first. CSV in UTF-8, with or without a byte order mark.",
        "content": {
            XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            CSV_TYPE: {"schema": {"type": "string"}},
        },
    }
}


@router.get(
    "/member-evaluation-template",
    summary="The member evaluation template (mẫu đánh giá, xếp loại cá nhân), XLSX or CSV",
    description="With report_id, one row per member the unit registered, ready to be rated.",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}, CSV_TYPE: {}}}},
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
    disposition = f'attachment; filename="{TEMPLATE_NAME}.{format}"'
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
    version: ExpectedVersion,
    response: Response,
) -> ReportRead:
    body = await _body(request)
    report, registered = await evaluation_store.changeable_final_report(
        session, report_id, version, principal
    )
    kind = file_kind(request.headers.get("content-type"), body)
    imported = await run_in_threadpool(parse_evaluations, body, kind, registered)
    report = await evaluation_store.replace_evaluations(session, report, imported)
    response.headers["ETag"] = etag(report.version)
    return ReportRead.model_validate(report)


async def _body(request: Request) -> bytes:
    too_large = PayloadTooLarge(
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.", field="body"
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
