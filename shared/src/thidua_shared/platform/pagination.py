"""Pages of every list an API answers, with a `Link: <…>; rel="next"` header (RFC 8288).

Two kinds of list routes exist. A *page* route answers `{items, total, limit, offset}` and takes
`limit`/`offset` itself; this middleware only adds the Link to the next page. A *list* route
answers a bare JSON array; this middleware pages it by `limit`/`offset` (the OpenAPI documents
them) and adds the Link, so that such routes keep their response shape and need no code of
their own. Pages default to DEFAULT_PAGE items, so a client that ignores paging still reads the
lists of one agency's year whole.
"""

import json
from typing import Any, Literal, get_origin
from urllib.parse import parse_qsl, urlencode

from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_shared.platform.errors import InvalidRequest, send_problem
from thidua_shared.platform.routes import route_of
from thidua_shared.platform.validation import MAX_OFFSET

DEFAULT_PAGE = 1000
MAX_PAGE = 10_000
PageKind = Literal["list", "page"] | None
PAGE_FIELDS = {"items", "total", "limit", "offset"}
PAGE_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": 'Items per page; follow the `Link: rel="next"` header for the next.',
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": DEFAULT_PAGE},
    },
    {
        "name": "offset",
        "in": "query",
        "required": False,
        "description": "Items to skip.",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
    },
]


def pages_of(route: Any) -> PageKind:
    if "GET" not in route.methods:
        return None
    model = route.response_model
    if get_origin(model) is list:
        own = {p.alias for p in route.dependant.query_params}
        return None if own & {"limit", "offset"} else "list"
    if isinstance(model, type) and issubclass(model, BaseModel):
        return "page" if set(model.model_fields) >= PAGE_FIELDS else None
    return None


def _bounded(query: dict[str, str], name: str, default: int, low: int, high: int) -> int | str:
    raw = query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        return f"{name} must be a whole number from {low} to {high}"
    return int(raw)


def next_link(path: str, query: dict[str, str], offset: int, limit: int) -> str:
    following = {**query, "offset": str(offset + limit), "limit": str(limit)}
    return f'<{path}?{urlencode(following)}>; rel="next"'


class Pagination:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._kinds: dict[int, PageKind] = {}

    def _kind(self, scope: Scope) -> PageKind:
        route = route_of(scope)
        if route is None:
            return None
        if id(route) not in self._kinds:
            self._kinds[id(route)] = pages_of(route)
        return self._kinds[id(route)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        kind = self._kind(scope)
        if kind is None:
            await self.app(scope, receive, send)
            return
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        limit = _bounded(query, "limit", DEFAULT_PAGE, 1, MAX_PAGE)
        offset = _bounded(query, "offset", 0, 0, MAX_OFFSET)
        if kind == "list" and (isinstance(limit, str) or isinstance(offset, str)):
            await _refuse(scope, send, limit if isinstance(limit, str) else str(offset))
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = list(start.get("headers", []))
            if start["status"] == 200:
                body, link = _paged(kind, body, scope["path"], query, limit, offset)
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                if link:
                    headers.append((b"link", link.encode("latin-1")))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffer)


def _paged(
    kind: PageKind, body: bytes, path: str, query: dict[str, str], limit: Any, offset: Any
) -> tuple[bytes, str | None]:
    try:
        content = json.loads(body)
    except ValueError:
        return body, None
    if kind == "list" and isinstance(content, list):
        page = content[offset : offset + limit]
        more = offset + limit < len(content)
        encoded = json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()
        return encoded, next_link(path, query, offset, limit) if more else None
    if kind == "page" and isinstance(content, dict) and content.keys() >= PAGE_FIELDS:
        at, size, total = content["offset"], content["limit"], content["total"]
        return body, next_link(path, query, at, size) if at + size < total else None
    return body, None


async def _refuse(scope: Scope, send: Send, detail: str) -> None:
    field = detail.split(" ", 1)[0]
    error = InvalidRequest(
        f"{field}: {detail}",
        field=field,
        errors=[{"field": field, "in": "query", "message": detail}],
    )
    await send_problem(scope, send, error)
