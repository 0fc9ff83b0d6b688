"""RFC 9457 problem details for every error a service answers.

Every problem carries `code`, stable across releases, for a client to show the problem in its
own language; `detail` is a sentence for a person and may change.
"""

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope, Send

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
# A transaction PostgreSQL rolled back for another's sake (a deadlock, a serialization
# failure): nothing was applied, and sending the request again succeeds.
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})


class ProblemError(Exception):
    status = 400
    title = "Bad request"
    code = "bad-request"
    headers: dict[str, str] = {}  # noqa: RUF012

    def __init__(self, detail: str, *, field: str | None = None, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extensions = extensions


class NotFound(ProblemError):
    status = 404
    title = "Not found"
    code = "not-found"


class Conflict(ProblemError):
    """The request is well-formed but the resource's state does not allow it."""

    status = 409
    title = "Conflict"
    code = "conflict"


class Unprocessable(ProblemError):
    status = 422
    title = "Unprocessable content"
    code = "unprocessable"


class InvalidRequest(Unprocessable):
    """A parameter or body that does not match the operation's schema."""

    title = "Invalid request"
    code = "validation"


class PayloadTooLarge(ProblemError):
    status = 413
    title = "Content too large"
    code = "too-large"


class UnsupportedMediaType(ProblemError):
    status = 415
    title = "Unsupported media type"
    code = "unsupported-media-type"


class PreconditionFailed(ProblemError):
    status = 412
    title = "Precondition failed"
    code = "stale-version"


class PreconditionRequired(ProblemError):
    status = 428
    title = "Precondition required"
    code = "if-match-required"


def problem_body(
    status: int, title: str, detail: str, *, code: str, instance: str, **extensions: Any
) -> dict[str, Any]:
    return {
        "type": f"urn:thidua:problem:{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail,
        "instance": instance,
        **{k: v for k, v in extensions.items() if v is not None},
    }


def problem(
    status: int, title: str, detail: str, *, code: str, request: Request, **extensions: Any
) -> JSONResponse:
    body = problem_body(status, title, detail, code=code, instance=request.url.path, **extensions)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


async def send_problem(scope: Scope, send: Send, error: ProblemError) -> None:
    """A problem answered by an ASGI middleware, before any route's exception handlers."""
    body = problem_body(
        error.status,
        error.title,
        error.detail,
        code=error.code,
        instance=scope["path"],
        field=error.field,
        **error.extensions,
    )
    encoded = json.dumps(body, ensure_ascii=False).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(encoded)).encode()),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": encoded})


def _field_path(loc: tuple[Any, ...]) -> str:
    located = bool(loc) and loc[0] in ("body", "query", "path", "header")
    parts = [str(p) for p in (loc[1:] if located else loc)]
    path = ""
    for part in parts:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path or str(loc[0] if loc else "body")


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    response = problem(
        exc.status,
        exc.title,
        exc.detail,
        code=exc.code,
        request=request,
        field=exc.field,
        **exc.extensions,
    )
    response.headers.update(exc.headers)
    return response


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "field": _field_path(tuple(e["loc"])),
            "in": str(e["loc"][0]) if e["loc"] else "body",
            "message": e["msg"],
        }
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"field": "body", "message": "invalid"}
    return problem(
        InvalidRequest.status,
        InvalidRequest.title,
        f"{first['field']}: {first['message']}",
        code=InvalidRequest.code,
        request=request,
        field=first["field"],
        errors=errors,
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    response = problem(
        exc.status_code,
        str(exc.detail),
        str(exc.detail),
        code=f"http-{exc.status_code}",
        request=request,
    )
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _on_stale(request: Request, exc: Exception) -> JSONResponse:
    return problem(
        412,
        PreconditionFailed.title,
        "The resource was changed by another request meanwhile; read it again.",
        code=PreconditionFailed.code,
        request=request,
        field="If-Match",
    )


async def _on_database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if getattr(exc.orig, "sqlstate", None) not in _TRANSIENT_SQLSTATES:
        return await _on_unexpected(request, exc)
    log.warning("transient database conflict on %s %s: %s", request.method, request.url.path, exc)
    return _retry_later(
        request, "The request crossed a concurrent one and was not applied; send it again."
    )


async def _on_pool_timeout(request: Request, exc: Exception) -> JSONResponse:
    # The session takes its connection before its first statement: nothing was applied.
    log.warning("no database connection free for %s %s", request.method, request.url.path)
    return _retry_later(
        request, "The service is busy and did not apply the request; send it again."
    )


def _retry_later(request: Request, detail: str) -> JSONResponse:
    response = problem(
        503, "Service unavailable", detail, code="service-unavailable", request=request
    )
    response.headers["Retry-After"] = "1"
    return response


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        500,
        "Internal error",
        "The service failed; the request was not applied.",
        code="internal",
        request=request,
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(StaleDataError, _on_stale)
    app.add_exception_handler(DBAPIError, _on_database_error)
    app.add_exception_handler(PoolTimeout, _on_pool_timeout)
    app.add_exception_handler(Exception, _on_unexpected)
