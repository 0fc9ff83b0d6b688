"""The audit trail: every state-changing request, refused ones included, append-only and
chained with a keyed hash (platform/audit_chain.py) so that a changed, removed or re-chained
record is found by `audit-verify`, and anchored outside the database by checkpoints
(platform/audit_anchor.py). A trigger refuses UPDATE and DELETE on the table.
"""

import csv
import io
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import asyncpg
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_shared.documents.cell_safety import csv_record
from thidua_shared.platform.audit_chain import (
    CHANGING_METHODS,
    RECORDED,
    AuditTrail,
    append,
    request_record,
)
from thidua_shared.platform.auth import Role, allow
from thidua_shared.platform.http import RuntimeDep

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


async def history(connection: asyncpg.Connection, target: str, limit: int) -> Sequence[Any]:
    rows: Sequence[Any] = await connection.fetch(
        "SELECT id, at, actor, role, unit, action, target, request_id, outcome, hash "
        "FROM audit_log WHERE target LIKE $1 ORDER BY id LIMIT $2",
        f"%{target}%",
        limit,
    )
    return rows


class AuditMiddleware:
    """Records every state-changing request whose record its transaction did not write: the
    refused and failed ones, and those that changed nothing through the request's session."""

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
            if not scope.get("state", {}).get(RECORDED):
                await self._record(scope, status)

    async def _record(self, scope: Scope, status: int) -> None:
        app = scope["app"]
        trail: AuditTrail = app.state.audit
        async with app.state.runtime.driver_pool.acquire() as connection:
            trail.appended(await append(connection, trail.key, request_record(scope, status)))


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
        # Actors, targets and details come from users: no cell may open as a formula.
        writer.writerows(csv_record(record) for record in records)
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )

    return router
