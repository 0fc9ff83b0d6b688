"""FastAPI dependencies every service uses: the request's transaction, idempotency keys (and
the route class that gives them to every POST), ETags, and uploaded files read within a size
limit."""

import hashlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from thidua_shared.platform import faults
from thidua_shared.platform.audit_chain import committed_with_record, record_in_transaction
from thidua_shared.platform.auth import Principal, current_principal
from thidua_shared.platform.clock_store import follow_stored_offset
from thidua_shared.platform.conditional import canonical_json, version_to_match
from thidua_shared.platform.db import transaction
from thidua_shared.platform.errors import (
    PayloadTooLarge,
    PreconditionFailed,
    PreconditionRequired,
    Unprocessable,
)
from thidua_shared.platform.runtime import ServiceRuntime


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


# Dependencies are coroutines even when they await nothing: FastAPI runs a plain function
# dependency in a worker thread, a hop that cost more CPU than a hot request's SQL.
async def get_runtime(request: Request) -> ServiceRuntime:
    return runtime_of(request)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    runtime = runtime_of(request)
    async with transaction(runtime.sessionmaker, runtime.relay.wake) as session:
        if runtime.settings.demo_clock:
            await follow_stored_offset(session)
        yield session
        await record_in_transaction(request, session)
    committed_with_record(request)
    if request.method != "GET":
        # Committed, and the client has not been answered: the worst moment to die.
        faults.hit("http.after_commit")


# "function" scope commits before the response is sent: a client never sees a 2xx for a
# change that then fails to commit.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


class IdempotentReplay(Exception):
    def __init__(self, status_code: int, body: str) -> None:
        self.status_code = status_code
        self.body = body


async def on_idempotent_replay(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    return Response(
        exc.body,
        status_code=exc.status_code,
        media_type="application/json",
        headers={"Idempotent-Replayed": "true"},
    )


_RESERVE = text(
    "INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body) "
    "VALUES (:scope, :key, :hash, 0, '') ON CONFLICT DO NOTHING RETURNING key"
)
_FIND = text(
    "SELECT request_hash, status_code, response_body FROM idempotency_keys "
    "WHERE scope = :scope AND key = :key"
)
_STORE = text(
    "UPDATE idempotency_keys SET status_code = :status, response_body = :body "
    "WHERE scope = :scope AND key = :key"
)


class ReservedKey:
    """An Idempotency-Key seen for the first time, whose answer is kept with the change."""

    def __init__(self, session: AsyncSession, scope: str, key: str) -> None:
        self._session = session
        self._scope = scope
        self._key = key

    async def remember(self, response: Response) -> None:
        await self._session.execute(
            _STORE,
            {
                "scope": self._scope,
                "key": self._key,
                "status": response.status_code,
                "body": bytes(response.body).decode(),
            },
        )


async def reserve_idempotency_key(
    request: Request,
    session: SessionDep,
    caller: Annotated[Principal, Depends(current_principal)],
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=200,
            description="Any string unique to this change, e.g. a UUID. A retry with the same "
            "key and body gets the first answer again, with `Idempotent-Replayed: true`, and "
            "changes nothing; the same key with another body is refused (422).",
        ),
    ] = None,
) -> None:
    if idempotency_key is None:
        return
    # Keys are the caller's own: another caller replaying them gets nothing of theirs.
    who = hashlib.sha256(caller.subject.encode()).hexdigest()[:16]
    scope = f"{request.method} {request.url.path[:150]} {who}"
    # Canonical JSON: a retry that re-serialised the same body differently is the same request.
    request_hash = hashlib.sha256(canonical_json(await request.body())).hexdigest()
    params = {"scope": scope, "key": idempotency_key, "hash": request_hash}
    # A concurrent request with the same key blocks here until the first one commits, then
    # finds its row and replays it; if the first one rolls back, this one goes ahead.
    if (await session.execute(_RESERVE, params)).first() is None:
        found = (await session.execute(_FIND, params)).one()
        if found.request_hash != request_hash:
            raise Unprocessable(
                "This Idempotency-Key was used with a different request body.",
                field="Idempotency-Key",
            )
        raise IdempotentReplay(found.status_code, found.response_body)
    request.state.reserved_idempotency_key = ReservedKey(session, scope, idempotency_key)


class IdempotentPosts(APIRoute):
    """The route class of every router with state-changing POSTs: each POST honours
    Idempotency-Key, so a client may retry one whose answer it never received.

    The key is reserved before the endpoint runs and the answer stored once it is built, both
    in the request's transaction: the change, its events and the stored answer commit together
    or not at all, and a refused request (an exception) leaves no key behind. Routes stay
    unaware of it. Answers are kept as text, so a POST answering with a file cannot use it.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if "POST" in {m.upper() for m in options.get("methods") or ()}:
            # Appended: the rules declared on the route, access among them, are checked first.
            declared = options.get("dependencies") or ()
            options["dependencies"] = [*declared, Depends(reserve_idempotency_key)]
        super().__init__(path, endpoint, **options)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        # Runs inside the request's transaction: it commits only after this returns.
        async def handle_and_remember(request: Request) -> Response:
            response = await handle(request)
            reserved: ReservedKey | None = getattr(request.state, "reserved_idempotency_key", None)
            if reserved is not None:
                await reserved.remember(response)
            return response

        return handle_and_remember


def etag(version: int) -> str:
    return f'"{version}"'


_IF_MATCH = Header(
    description="The ETag you read (the change is refused with 412 if the resource changed "
    "since), or `*` for whatever its current state."
)


async def expected_version(
    if_match: Annotated[str | None, _IF_MATCH] = None,
) -> int | None:
    return None if if_match is None else version_to_match(if_match)


async def required_version(
    if_match: Annotated[str | None, _IF_MATCH] = None,
) -> int | None:
    if if_match is None:
        raise PreconditionRequired(
            "Send If-Match with the ETag you read, so a concurrent change is not overwritten.",
            field="If-Match",
        )
    return version_to_match(if_match)


ExpectedVersion = Annotated[int | None, Depends(expected_version)]
# Every PUT and PATCH: If-Match must be sent, though `*` (None) skips the version check.
RequiredVersion = Annotated[int | None, Depends(required_version)]


def check_version(expected: int | None, actual: int) -> None:
    if expected is not None and expected != actual:
        raise PreconditionFailed(
            f"The resource is at version {actual}, not {expected}; read it again.",
            field="If-Match",
            current_etag=etag(actual),
        )


async def read_upload(request: Request, max_bytes: int) -> bytes:
    """The request body, refused as soon as it is known to exceed max_bytes."""
    too_large = PayloadTooLarge(
        f"The file is larger than {max_bytes // (1024 * 1024)} MB.", field="body"
    )
    # A declared length spares reading a body that is too large anyway; a missing or false one
    # is caught while streaming.
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


# RFC 9745: the date (2026-12-05) from which the old second paths of a resource are deprecated.
ALIASES_DEPRECATED_SINCE = "@1796428800"


def deprecated_alias(response: Response, successor: str) -> None:
    """An old second path of a resource: answered as before, with the Deprecation header
    (RFC 9745) and a Link to the one path that stays."""
    response.headers["Deprecation"] = ALIASES_DEPRECATED_SINCE
    response.headers["Link"] = f'<{successor}>; rel="successor-version"'
