"""The audit trail's records and their keyed chain: every record stores the HMAC-SHA256, under
the audit key (THIDUA_AUDIT_KEY_FILE, never in the database), of the record before it and its own
fields, so nobody who can only write the database can rewrite the trail and re-chain it.

Records are appended one at a time under an advisory lock. A request whose change commits writes
its record in the change's own transaction (`record_in_transaction`): either both commit or
neither. Requests that change nothing (refusals, failures) are recorded after their answer by the
audit middleware (platform/audit.py).
"""

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.types import Scope

from thidua_shared.platform.auth import Principal
from thidua_shared.platform.context import correlation_id
from thidua_shared.platform.outbox import driver_connection
from thidua_shared.platform.telemetry import UNMATCHED, route_template

GENESIS = "0" * 64
CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LOCK_KEY = 727_274_001  # any constant: serialises appends to this database's chain
# Set in the request's scope once its record committed with its change.
RECORDED = "audit_recorded"

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


def chain_hash(key: bytes, previous: str, record: AuditRecord) -> str:
    """Without the key nobody can compute it, so a rewritten tail cannot be re-chained."""
    return hmac.new(key, (previous + record.canonical()).encode(), hashlib.sha256).hexdigest()


async def append(connection: asyncpg.Connection, key: bytes, record: AuditRecord) -> int:
    """Appends in a transaction of its own; the record's sequence number (its id)."""
    async with connection.transaction():
        return await _append_in_transaction(connection, key, record)


_LOCK = "SELECT pg_advisory_xact_lock($1)"


async def _append_in_transaction(
    connection: asyncpg.Connection, key: bytes, record: AuditRecord, *, locked: bool = False
) -> int:
    # Held until the transaction ends, so two writers never chain onto the same record.
    if not locked:
        await connection.execute(_LOCK, _LOCK_KEY)
    previous = (
        await connection.fetchval("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") or GENESIS
    )
    sequence: int = await connection.fetchval(
        "INSERT INTO audit_log (at, actor, role, unit, action, target, request_id, outcome, "
        "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        record.at,
        record.actor,
        record.role,
        record.unit,
        record.action,
        record.target,
        record.request_id,
        record.outcome,
        previous,
        chain_hash(key, previous, record),
    )
    return sequence


def stored_record(row: Any) -> AuditRecord:
    return AuditRecord(**{f: row[f] for f in _FIELDS})


def request_record(scope: Scope, status: int) -> AuditRecord:
    principal: Principal | None = scope.get("state", {}).get("principal")
    # The route's whole template, the service's prefix included, as the CLI records it too;
    # a request no route matched is recorded by its path.
    route = route_template(scope)
    return AuditRecord(
        at=datetime.now(UTC),
        actor=principal.subject if principal else "anonymous",
        role=str(principal.role) if principal else None,
        unit=principal.unit_code if principal else None,
        action=f"{scope['method']} {scope['path'] if route == UNMATCHED else route}",
        target=scope["path"],
        request_id=correlation_id.get() or "",
        outcome=status,
    )


async def record_in_transaction(request: Request, session: AsyncSession) -> None:
    """Writes the request's record in the transaction of its change, just before it commits:
    if the record cannot be written, the change does not commit either. The outcome is the
    route's success status, the one the client is about to get."""
    if request.method not in CHANGING_METHODS or not hasattr(request.app.state, "audit"):
        return
    trail: AuditTrail = request.app.state.audit
    status = getattr(request.scope.get("route"), "status_code", None) or 200
    # Through the session, which begins its transaction if the request has not yet; the rest
    # straight on the driver, inside that transaction.
    await (await session.connection()).exec_driver_sql(_LOCK, (_LOCK_KEY,))
    driver = await driver_connection(session)
    assert driver is not None, "the lock above began the transaction"
    sequence = await _append_in_transaction(
        driver, trail.key, request_record(request.scope, status), locked=True
    )
    request.state.audit_sequence = sequence


def committed_with_record(request: Request) -> None:
    """Called once the change and its record committed: the middleware records nothing more."""
    sequence: int | None = getattr(request.state, "audit_sequence", None)
    if sequence is not None:
        request.scope.setdefault("state", {})[RECORDED] = True
        trail: AuditTrail = request.app.state.audit
        trail.appended(sequence)


@dataclass
class AuditTrail:
    """The service's audit key, and whom to tell when the chain grew (the checkpoints)."""

    key: bytes
    on_append: Callable[[int], None] | None = None

    def appended(self, sequence: int) -> None:
        if self.on_append is not None:
            self.on_append(sequence)
