from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from pledges import member_store
from pledges.member_import import (
    CSV_TYPE,
    MAX_BYTES,
    TEMPLATE_NAME,
    XLSX_TYPE,
    file_kind,
    parse_members,
    template,
)
from pledges.schemas import RegistrationRead
from thidua_shared.platform.auth import Principal, Role, allow
from thidua_shared.platform.errors import PayloadTooLarge
from thidua_shared.platform.http import ExpectedVersion, SessionDep, etag

router = APIRouter(tags=["registrations"])

# Like the registration itself: unit heads import for their own unit (the service checks
# which), the office for any.
Importer = Annotated[Principal, allow(Role.UNIT_HEAD, Role.OFFICE)]

_FILE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The file itself (at most 10 MB): the template's columns, header row "
        "first. CSV in UTF-8, with or without a byte order mark.",
        "content": {
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
            CSV_TYPE: {"schema": {"type": "string"}},
        },
    }
}


@router.get(
    "/member-template",
    summary="The member list template (mẫu danh sách cá nhân đăng ký), XLSX or CSV",
    response_class=Response,
    responses={200: {"content": {XLSX_TYPE: {}, CSV_TYPE: {}}}},
)
async def member_template(principal: Importer, format: Literal["xlsx", "csv"] = "xlsx") -> Response:
    content, media_type, extension = template(format)
    disposition = f'attachment; filename="{TEMPLATE_NAME}.{extension}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.put(
    "/registrations/{registration_id}/members",
    summary="Replace a registration's members from an XLSX or CSV file (nhập danh sách)",
    description="All or nothing: a file with any bad row answers 422 with every error by "
    "spreadsheet row (the header is row 1), and nothing is changed.",
    openapi_extra=_FILE_BODY,
)
async def import_members(
    principal: Importer,
    registration_id: UUID,
    request: Request,
    session: SessionDep,
    version: ExpectedVersion,
    response: Response,
) -> RegistrationRead:
    body = await _body(request)
    registration = await member_store.changeable_registration(
        session, registration_id, version, principal
    )
    kind = file_kind(request.headers.get("content-type"), body)
    members = await run_in_threadpool(parse_members, body, kind)
    registration = await member_store.replace_members(session, registration, members)
    response.headers["ETag"] = etag(registration.version)
    return RegistrationRead.model_validate(registration)


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
