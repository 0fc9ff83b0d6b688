from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool

from pledges import member_store
from pledges.member_import import MAX_BYTES, TEMPLATE_NAME, parse_members, template
from pledges.schemas import RegistrationRead
from thidua_shared.documents import (
    CSV_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    file_kind,
    file_request_body,
)
from thidua_shared.platform.auth import Principal, Role, allow
from thidua_shared.platform.downloads import content_disposition
from thidua_shared.platform.http import RequiredVersion, SessionDep, etag, read_upload

router = APIRouter(tags=["registrations"])

# Like the registration itself: unit heads import for their own unit (the service checks
# which), the office for any.
Importer = Annotated[Principal, allow(Role.UNIT_HEAD, Role.OFFICE)]

_FILE_BODY = file_request_body(
    "The file itself (at most 10 MB): the template's columns, header row "
    "first. CSV in UTF-8, with or without a byte order mark."
)


@router.get(
    "/member-template",
    summary="The member list template (mẫu danh sách cá nhân đăng ký), XLSX or CSV",
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}, CSV_MEDIA_TYPE: {}}}},
)
async def member_template(principal: Importer, format: Literal["xlsx", "csv"] = "xlsx") -> Response:
    content, media_type = template(format)
    disposition = content_disposition(f"{TEMPLATE_NAME}.{format}")
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
    version: RequiredVersion,
    response: Response,
) -> RegistrationRead:
    body = await read_upload(request, MAX_BYTES)
    registration = await member_store.changeable_registration(
        session, registration_id, version, principal
    )
    kind = file_kind(request.headers.get("content-type"), body)
    members = await run_in_threadpool(parse_members, body, kind)
    registration = await member_store.replace_members(session, registration, members)
    response.headers["ETag"] = etag(registration.version)
    return RegistrationRead.model_validate(registration)
