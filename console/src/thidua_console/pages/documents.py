"""Every document downloadable: the API's PDF, DOCX, XLSX and ZIP passed on with the user's
token (the public ones without), under /tai-ve/<the API's path>."""

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from thidua_console.web import api_of

router = APIRouter()
# Only the API's document paths, so the proxy cannot be used to call anything else.
DOCUMENT = re.compile(
    r"(campaigns|pledges|reports|awards)/[A-Za-z0-9/_.-]{1,300}"
    r"\.(pdf|docx|xlsx|zip|csv)|(pledges/member-template|reports/member-evaluation-template)"
)
PASSED_HEADERS = ("content-type", "content-disposition")


@router.get("/tai-ve/{path:path}")
async def download(request: Request, path: str) -> Response:
    if not DOCUMENT.fullmatch(path) or ".." in path:
        return Response("Không tìm thấy văn bản.", status_code=404, media_type="text/plain")
    query = f"?{request.url.query}" if request.url.query else ""
    answer = await api_of(request).download(f"/{path}{query}")
    headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_HEADERS}
    return Response(answer.content, status_code=200, headers=headers)
