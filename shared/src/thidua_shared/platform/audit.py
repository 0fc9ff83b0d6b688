"""The audit trail: every state-changing request, refused ones included, append-only and
hash-chained so that a changed or removed record is found by `verify_chain`.

Each record stores the hash of the one before it; records are written one at a time under an
advisory lock, and a trigger refuses UPDATE and DELETE on the table.
"""

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import asyncpg
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_shared.platform.auth import Principal, Role, allow
from thidua_shared.platform.context import correlation_id
from thidua_shared.platform.http import RuntimeDep

GENESIS = "0" * 64
CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LOCK_KEY = 727_274_001  # any constant: serialises appends to this database's chain

AUDIT_DDL = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
)
AUDIT_DROP = (
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "DROP FUNCTION IF EXISTS audit_log_append_only()",
)

_FIELDS = ("at", "actor", "role", "unit", "action", "target", "request_id", "outcome")


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor: str
    role: str | None
    unit: str | None
    action: str
    target: str
    request_id: str
    outcome: int

    def canonical(self) -> str:
        values: dict[str, Any] = {f: getattr(self, f) for f in _FIELDS}
        values["at"] = self.at.astimezone(UTC).isoformat()
        return json.dumps(values, sort_keys=True, ensure_ascii=False)


def chain_hash(previous: str, record: AuditRecord) -> str:
    return hashlib.sha256((previous + record.canonical()).encode()).hexdigest()


async def append(connection: asyncpg.Connection, record: AuditRecord) -> None:
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
        previous = (
            await connection.fetchval("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            or GENESIS
        )
        await connection.execute(
            "INSERT INTO audit_log (at, actor, role, unit, action, target, request_id, outcome, "
            "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            record.at,
            record.actor,
            record.role,
            record.unit,
            record.action,
            record.target,
            record.request_id,
            record.outcome,
            previous,
            chain_hash(previous, record),
        )


def _record(row: Any) -> AuditRecord:
    return AuditRecord(**{f: row[f] for f in _FIELDS})


async def verify_chain(connection: asyncpg.Connection) -> int | None:
    """The id of the first record whose link is broken, or None when the chain holds."""
    previous = GENESIS
    async with connection.transaction():
        async for row in connection.cursor("SELECT * FROM audit_log ORDER BY id"):
            if row["prev_hash"] != previous or row["hash"] != chain_hash(previous, _record(row)):
                return int(row["id"])
            previous = row["hash"]
    return None


async def history(connection: asyncpg.Connection, target: str, limit: int) -> Sequence[Any]:
    rows: Sequence[Any] = await connection.fetch(
        "SELECT id, at, actor, role, unit, action, target, request_id, outcome, hash "
        "FROM audit_log WHERE target LIKE $1 ORDER BY id LIMIT $2",
        f"%{target}%",
        limit,
    )
    return rows


class AuditMiddleware:
    """Records every state-changing request once its outcome (the status code) is known."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in CHANGING_METHODS:
            await self.app(scope, receive, send)
            return
        status = 500

        async def remember_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            await self._record(scope, status)

    async def _record(self, scope: Scope, status: int) -> None:
        runtime = scope["app"].state.runtime
        principal: Principal | None = scope.get("state", {}).get("principal")
        route = scope.get("route")
        record = AuditRecord(
            at=datetime.now(UTC),
            actor=principal.subject if principal else "anonymous",
            role=str(principal.role) if principal else None,
            unit=principal.unit_code if principal else None,
            action=f"{scope['method']} {getattr(route, 'path', scope['path'])}",
            target=scope["path"],
            request_id=correlation_id.get() or "",
            outcome=status,
        )
        async with runtime.driver_pool.acquire() as connection:
            await append(connection, record)


def audit_router(prefix: str) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get(
        f"{prefix}/audit",
        summary="The audit trail of a target: everything done to it, by whom, when",
        dependencies=[allow(Role.OFFICE, Role.OBSERVER)],
    )
    async def audit_history(
        runtime: RuntimeDep,
        target: Annotated[str, Query(min_length=3, max_length=300)],
        export: Literal["json", "csv"] = "json",
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    ) -> Response:
        async with runtime.driver_pool.acquire() as connection:
            rows = await history(connection, target, limit)
        records = [{**dict(r), "at": r["at"].isoformat()} for r in rows]
        if export == "json":
            return JSONResponse({"target": target, "records": records})
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(records[0]) if records else ["id"])
        writer.writeheader()
        writer.writerows(records)
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )

    return router
