"""One address for the four APIs, routed by the first path segment, prefix kept.

`PrefixDispatcher` serves the services' ASGI apps in this process (the all-in-one mode);
`HttpProxy` forwards to services running as separate processes, as deploy/nginx does in
containers.
"""

import json
from collections.abc import Mapping
from contextlib import AsyncExitStack

import httpx
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

SERVICES = ("campaigns", "pledges", "reports", "awards")


def _service_of(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


async def _json(
    send: Send, status: int, body: object, content_type: str = "application/json"
) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode()),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


async def _answer_locally(scope: Scope, send: Send, known: Mapping[str, object]) -> bool:
    path = scope["path"]
    if path in ("/", ""):
        await _json(
            send,
            200,
            {
                "name": "thidua",
                "apis": {
                    name: {"docs": f"/{name}/docs", "openapi": f"/{name}/openapi.json"}
                    for name in known
                },
            },
        )
        return True
    if path == "/healthz":
        await _json(send, 200, {"status": "ok"})
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


class PrefixDispatcher:
    def __init__(self, apps: Mapping[str, FastAPI]) -> None:
        self.apps = dict(apps)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http" or await _answer_locally(scope, send, self.apps):
            return
        app: ASGIApp = self.apps[_service_of(scope["path"])]
        await app(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        async with AsyncExitStack() as stack:
            await receive()
            try:
                for app in self.apps.values():
                    await stack.enter_async_context(app.router.lifespan_context(app))
            except Exception as exc:
                await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                raise
            await send({"type": "lifespan.startup.complete"})
            await receive()
        await send({"type": "lifespan.shutdown.complete"})


_HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"transfer-encoding",
    b"upgrade",
    b"host",
    b"content-length",
}


class HttpProxy:
    def __init__(self, upstreams: Mapping[str, str]) -> None:
        self.upstreams = dict(upstreams)
        self._client = httpx.AsyncClient(timeout=60.0, limits=httpx.Limits(max_connections=200))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await self._client.aclose()
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http" or await _answer_locally(scope, send, self.upstreams):
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
        except httpx.HTTPError as exc:
            await _json(
                send,
                502,
                {
                    "type": "urn:thidua:problem:bad-gateway",
                    "title": "Bad gateway",
                    "status": 502,
                    "detail": f"Upstream unreachable: {type(exc).__name__}",
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
