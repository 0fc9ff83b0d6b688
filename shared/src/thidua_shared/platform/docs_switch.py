"""THIDUA_API_DOCS=false hides a service's interactive docs and OpenAPI document, for a
production that publishes neither (the API itself is unchanged). Off only by choice: the
default keeps them, as integrators and the console need them in development."""

from starlette.types import ASGIApp, Receive, Scope, Send

from thidua_shared.platform.errors import PROBLEM_JSON

_NOT_FOUND = (
    b'{"type":"urn:thidua:problem:not-found","title":"Not found","status":404,'
    b'"code":"not-found","detail":"No API at this path."}'
)


class DocsSwitch:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self._hidden = (f"{prefix}/docs", f"{prefix}/openapi.json")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"].startswith(self._hidden)
            and not scope["app"].state.runtime.settings.api_docs
        ):
            await send(
                {
                    "type": "http.response.start",
                    "status": 404,
                    "headers": [
                        (b"content-type", PROBLEM_JSON.encode()),
                        (b"content-length", str(len(_NOT_FOUND)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": _NOT_FOUND})
            return
        await self.app(scope, receive, send)
