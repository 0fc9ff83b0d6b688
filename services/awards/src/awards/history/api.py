from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool

from awards.history import service as history
from awards.history.file_import import MAX_BYTES, parse_history
from awards.history.schemas import HistoryEntryRead, HistoryImported
from thidua_shared.documents import file_kind, file_request_body
from thidua_shared.platform.auth import READERS, Role, allow
from thidua_shared.platform.clock import now
from thidua_shared.platform.http import IdempotentPosts, SessionDep, read_upload

router = APIRouter(prefix="/history", tags=["history"], route_class=IdempotentPosts)


_FILE_BODY = file_request_body(
    "Columns (header row first): Đối tượng (Cá nhân/Tập thể), Mã, Tên, "
    "Mã đơn vị, Năm, Danh hiệu (code or Vietnamese name), Sáng kiến (identifiers "
    "separated by ';'). CSV in UTF-8. At most 20 MB."
)


@router.post(
    "/import",
    summary="Nhập lịch sử khen thưởng: past years' titles per person and unit",
    description="All or nothing: a file with any bad row answers 422 with every error by "
    "spreadsheet row (the header is row 1), and nothing is written. A row for a title and "
    "year already recorded replaces it.",
    dependencies=[allow(Role.OFFICE)],
    openapi_extra=_FILE_BODY,
)
async def import_history(request: Request, session: SessionDep) -> HistoryImported:
    body = await read_upload(request, MAX_BYTES)
    kind = file_kind(request.headers.get("content-type"), body)
    records = await run_in_threadpool(parse_history, body, kind, now().year)
    await history.record_history(session, records, source=history.IMPORTED)
    return HistoryImported(imported=len(records))


@router.get(
    "",
    summary="Lịch sử khen thưởng of a person or unit, oldest first",
    dependencies=[allow(*READERS)],
)
async def read_history(
    subject_code: Annotated[
        str, Query(min_length=1, max_length=50, description="Staff code or unit code.")
    ],
    session: SessionDep,
) -> list[HistoryEntryRead]:
    entries = await history.subject_history(session, subject_code)
    return [HistoryEntryRead.model_validate(e) for e in entries]
