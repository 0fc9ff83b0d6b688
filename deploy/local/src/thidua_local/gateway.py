"""One address for the four APIs, routed by the first path segment, prefix kept.

`PrefixDispatcher` serves the services' ASGI apps in this process (the all-in-one mode);
`HttpProxy` forwards to services running as separate processes, as deploy/nginx does in
containers. While a service cannot be reached (down, restarting, too slow) `HttpProxy` answers
503 with Retry-After, as nginx does: the client should try again, and may safely, with an
Idempotency-Key on its POSTs.
"""

import asyncio
import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AsyncExitStack
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_local.api_docs import (
    API_INDEX,
    MERGED_DOCS,
    MERGED_OPENAPI,
    REDIRECTS,
    api_index,
    swagger_page,
)
from thidua_shared.contracts import CATALOGUE
from thidua_shared.platform.openapi import merge_openapi

SERVICES = ("campaigns", "pledges", "reports", "awards")
# About what a service takes to restart; clients back off on their own after that.
RETRY_AFTER_SECONDS = 2
OpenApiSource = Callable[[], Awaitable[dict[str, dict[str, Any]]]]


# The URN in an event's `dataschema`, urn:thidua:events:<type>:v<n>, resolved over HTTP.
EVENT_SCHEMA = re.compile(
    r"/events/schemas/(?P<type>[a-z][a-z0-9._-]{0,99})/v(?P<version>[0-9]{1,4})"
)


def event_schema(path: str) -> dict[str, object] | None:
    """The JSON Schema of an event type's `data` at one version, or None when there is none."""
    found = EVENT_SCHEMA.fullmatch(path)
    if found is None:
        return None
    model = CATALOGUE.get(found["type"])
    if model is None or model.event_version != int(found["version"]):
        return None
    return model.model_json_schema()


def _service_of(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


async def _json(
    send: Send,
    status: int,
    body: object,
    content_type: str = "application/json",
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


async def _merged_docs(scope: Scope, send: Send, documents: OpenApiSource) -> bool:
    """The services' OpenAPI documents merged into one, and Swagger UI for it, under /api/;
    their old addresses redirect there."""
    path = scope["path"]
    if path == MERGED_OPENAPI:
        try:
            merged = merge_openapi(await documents())
        except httpx.HTTPError as exc:
            # A service that is down (or hides its document) leaves nothing whole to merge.
            await _json(
                send,
                503,
                {
                    "type": "urn:thidua:problem:service-unavailable",
                    "title": "Service unavailable",
                    "status": 503,
                    "detail": "The merged document needs every service's own, and one could "
                    f"not be read ({type(exc).__name__}); try again in {RETRY_AFTER_SECONDS} "
                    "seconds.",
                    "instance": path,
                },
                "application/problem+json",
                [(b"retry-after", str(RETRY_AFTER_SECONDS).encode())],
            )
            return True
        await _json(send, 200, merged)
        return True
    if path == MERGED_DOCS:
        await swagger_page()(scope, _no_body, send)
        return True
    if path in REDIRECTS:
        target = REDIRECTS[path]
        if scope["query_string"]:
            target += "?" + scope["query_string"].decode("latin-1")
        # 308, not 301: a client keeps its method and follows it for good.
        await send(
            {
                "type": "http.response.start",
                "status": 308,
                "headers": [(b"location", target.encode("latin-1")), (b"content-length", b"0")],
            }
        )
        await send({"type": "http.response.body", "body": b""})
        return True
    return False


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _answer_locally(
    scope: Scope, send: Send, known: Mapping[str, object], documents: OpenApiSource
) -> bool:
    path = scope["path"]
    if await _merged_docs(scope, send, documents):
        return True
    # The root keeps the index until the web console takes it over.
    if path in (API_INDEX, "/", ""):
        await _json(send, 200, api_index(known))
        return True
    if path == "/healthz":
        await _json(send, 200, {"status": "ok"})
        return True
    if path.startswith("/events/"):
        schema = event_schema(path)
        if schema is not None:
            await _json(send, 200, schema, "application/schema+json")
            return True
    if _service_of(path) not in known:
        await _json(
            send,
            404,
            {
                "type": "urn:thidua:problem:not-found",
                "title": "Not found",
                "status": 404,
                "detail": f"No API at {path}.",
                "instance": path,
            },
            "application/problem+json",
        )
        return True
    return False


# First path segments the gateway itself or the services answer; every other path is the web
# console's when one is mounted.
GATEWAY_SEGMENTS = frozenset({"api", "events", "healthz", "openapi.json", "docs", "metrics"})


def is_console_path(path: str) -> bool:
    return _service_of(path) not in GATEWAY_SEGMENTS | set(SERVICES)


class PrefixDispatcher:
    def __init__(
        self,
        apps: Mapping[str, FastAPI],
        *,
        on_shutdown: Callable[[], None] | None = None,
        console: FastAPI | None = None,
    ) -> None:
        self.apps = dict(apps)
        # The web console, served at / and every path the APIs do not claim.
        self.console = console
        # Runs after every service has shut down: `thidua up` stops its embedded database here.
        self.on_shutdown = on_shutdown

    async def _documents(self) -> dict[str, dict[str, Any]]:
        return {name: app.openapi() for name, app in self.apps.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if self.console is not None and scope["type"] == "http" and is_console_path(scope["path"]):
            await self.console(scope, receive, send)
            return
        if scope["type"] != "http" or await _answer_locally(
            scope, send, self.apps, self._documents
        ):
            return
        app: ASGIApp = self.apps[_service_of(scope["path"])]
        await app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        async with AsyncExitStack() as stack:
            await receive()
            try:
                for app in [*self.apps.values(), *([self.console] if self.console else [])]:
                    await stack.enter_async_context(app.router.lifespan_context(app))
            except Exception as exc:
                await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                raise
            await send({"type": "lifespan.startup.complete"})
            await receive()
        if self.on_shutdown is not None:
            await asyncio.to_thread(self.on_shutdown)
        await send({"type": "lifespan.shutdown.complete"})


_HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"transfer-encoding",
    b"upgrade",
    b"host",
    b"content-length",
}


UPSTREAM_KEEPALIVE_SECONDS = 2.0


class HttpProxy:
    def __init__(self, upstreams: Mapping[str, str]) -> None:
        self.upstreams = dict(upstreams)
        # Idle connections are dropped before the services' uvicorn closes them (5 s): reusing
        # one it was closing at that moment failed the request with a 503.
        limits = httpx.Limits(max_connections=200, keepalive_expiry=UPSTREAM_KEEPALIVE_SECONDS)
        self._client = httpx.AsyncClient(timeout=60.0, limits=limits)

    async def _documents(self) -> dict[str, dict[str, Any]]:
        documents = {}
        for name, base in self.upstreams.items():
            answer = await self._client.get(f"{base}/{name}/openapi.json")
            answer.raise_for_status()
            documents[name] = answer.json()
        return documents

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await self._client.aclose()
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http" or await _answer_locally(
            scope, send, self.upstreams, self._documents
        ):
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        url = self.upstreams[_service_of(scope["path"])] + scope["raw_path"].decode()
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode()
        headers = [(k, v) for k, v in scope["headers"] if k not in _HOP_BY_HOP]
        try:
            upstream = await self._client.request(
                scope["method"], url, headers=headers, content=body
            )
        except httpx.TransportError as exc:
            await _json(
                send,
                503,
                {
                    "type": "urn:thidua:problem:service-unavailable",
                    "title": "Service unavailable",
                    "status": 503,
                    "detail": f"The {_service_of(scope['path'])} service cannot be reached "
                    f"({type(exc).__name__}); try again in {RETRY_AFTER_SECONDS} seconds.",
                    "instance": scope["path"],
                },
                "application/problem+json",
                [(b"retry-after", str(RETRY_AFTER_SECONDS).encode())],
            )
            return
        except httpx.HTTPError as exc:
            # Reached, but its answer could not be read (e.g. a broken compressed body).
            await _json(
                send,
                502,
                {
                    "type": "urn:thidua:problem:bad-gateway",
                    "title": "Bad gateway",
                    "status": 502,
                    "detail": f"Unreadable answer from upstream: {type(exc).__name__}",
                    "instance": scope["path"],
                },
                "application/problem+json",
            )
            return
        response_headers = [
            (k.encode(), v.encode())
            for k, v in upstream.headers.items()
            if k.encode().lower() not in _HOP_BY_HOP | {b"content-encoding"}
        ]
        response_headers.append((b"content-length", str(len(upstream.content)).encode()))
        await send(
            {
                "type": "http.response.start",
                "status": upstream.status_code,
                "headers": response_headers,
            }
        )
        await send({"type": "http.response.body", "body": upstream.content})
