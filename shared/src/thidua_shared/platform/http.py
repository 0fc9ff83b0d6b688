"""FastAPI dependencies every service uses: the request's transaction, idempotency keys, ETags,
and uploaded files read within a size limit."""

import hashlib
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from thidua_shared.platform.auth import Principal, current_principal
from thidua_shared.platform.db import OUTBOX_DIRTY, transaction
from thidua_shared.platform.driver_writer import DriverWriter
from thidua_shared.platform.errors import (
    PayloadTooLarge,
    PreconditionFailed,
    PreconditionRequired,
    ProblemError,
    Unprocessable,
)
from thidua_shared.platform.outbox import DriverTransaction
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
        yield session


async def get_driver_transaction(request: Request) -> AsyncIterator[DriverTransaction]:
    runtime = runtime_of(request)
    async with runtime.driver_pool.acquire() as connection, connection.transaction():
        unit = DriverTransaction(connection)
        yield unit
    if unit.info.pop(OUTBOX_DIRTY, False):
        runtime.relay.wake()


async def get_driver_writer(request: Request) -> DriverWriter:
    runtime = runtime_of(request)
    return DriverWriter(runtime.driver_pool, runtime.relay.wake)


# "function" scope commits before the response is sent: a client never sees a 2xx for a
# change that then fails to commit.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
# For high-volume endpoints that write a row or two and need no ORM: about a third of the CPU.
DriverTransactionDep = Annotated[
    DriverTransaction, Depends(get_driver_transaction, scope="function")
]
# For endpoints whose change is one statement: the change and its events in that statement.
DriverWriterDep = Annotated[DriverWriter, Depends(get_driver_writer)]
RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


class IdempotentReplay(Exception):
    def __init__(self, status_code: int, body: str) -> None:
        self.status_code = status_code
        self.body = body


async def on_idempotent_replay(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IdempotentReplay)
    return JSONResponse(
        json.loads(exc.body), status_code=exc.status_code, headers={"Idempotent-Replayed": "true"}
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


class Idempotency:
    """Remembers a create's answer under the client's Idempotency-Key, in the same transaction."""

    def __init__(self, session: AsyncSession, scope: str, key: str | None) -> None:
        self._session = session
        self._scope = scope
        self._key = key

    async def remember(self, body: BaseModel, status_code: int = 201) -> Any:
        if self._key is not None:
            await self._session.execute(
                _STORE,
                {
                    "scope": self._scope,
                    "key": self._key,
                    "status": status_code,
                    "body": body.model_dump_json(),
                },
            )
        return body


async def get_idempotency(
    request: Request,
    session: SessionDep,
    caller: Annotated[Principal, Depends(current_principal)],
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Idempotency:
    # Keys are the caller's own: another caller replaying them gets nothing of theirs.
    who = hashlib.sha256(caller.subject.encode()).hexdigest()[:16]
    scope = f"{request.method} {request.url.path[:150]} {who}"
    if idempotency_key is None:
        return Idempotency(session, scope, None)
    request_hash = hashlib.sha256(await request.body()).hexdigest()
    params = {"scope": scope, "key": idempotency_key, "hash": request_hash}
    # A concurrent request with the same key blocks here until the first one commits, then
    # finds its row and replays it.
    if (await session.execute(_RESERVE, params)).first() is None:
        found = (await session.execute(_FIND, params)).one()
        if found.request_hash != request_hash:
            raise Unprocessable(
                "This Idempotency-Key was used with a different request body.",
                field="Idempotency-Key",
            )
        raise IdempotentReplay(found.status_code, found.response_body)
    return Idempotency(session, scope, idempotency_key)


IdempotencyDep = Annotated[Idempotency, Depends(get_idempotency)]


def etag(version: int) -> str:
    return f'"{version}"'


def _parse_if_match(if_match: str) -> int:
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ProblemError("If-Match must be an ETag this API returned.", field="If-Match")
    return int(value)


async def expected_version(
    if_match: Annotated[str | None, Header()] = None,
) -> int | None:
    return None if if_match is None else _parse_if_match(if_match)


async def required_version(
    if_match: Annotated[str | None, Header()] = None,
) -> int:
    if if_match is None:
        raise PreconditionRequired(
            "Send If-Match with the ETag you read, so a concurrent change is not overwritten.",
            field="If-Match",
        )
    return _parse_if_match(if_match)


ExpectedVersion = Annotated[int | None, Depends(expected_version)]
RequiredVersion = Annotated[int, Depends(required_version)]


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
