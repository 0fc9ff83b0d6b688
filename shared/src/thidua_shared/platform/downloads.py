"""Files a service hands out: PDF, DOCX, XLSX and CSV downloads."""

import unicodedata
from collections.abc import Callable
from urllib.parse import quote

from fastapi import Response
from fastapi.concurrency import run_in_threadpool

# Latin-1 is all an HTTP header carries; Vietnamese letters outside it get a plain fallback.
_ASCII_FALLBACK = str.maketrans({"Đ": "D", "đ": "d", '"': "", "\\": ""})


def content_disposition(filename: str, *, inline: bool = False) -> str:
    kind = "inline" if inline else "attachment"
    decomposed = unicodedata.normalize("NFKD", filename.translate(_ASCII_FALLBACK))
    fallback = decomposed.encode("ascii", "ignore").decode("ascii")
    if fallback == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename*=UTF-8''{quote(filename)}; filename=\"{fallback}\""


async def file_response(
    render: Callable[[], bytes], media_type: str, filename: str, *, inline: bool = False
) -> Response:
    """Renders off the event loop: a document of a few pages costs tens of milliseconds of CPU,
    which would stall every other request of the process."""
    content = await run_in_threadpool(render)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": content_disposition(filename, inline=inline)},
    )
