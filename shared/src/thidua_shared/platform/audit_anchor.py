"""Anchoring the audit trail outside its database, and checking it against the anchors.

A checkpoint is the id and chain hash of the trail's last record. It is taken at least every
`audit_checkpoint_records` records or `audit_checkpoint_seconds` seconds when the trail grew,
and when the service stops; it is published as `audit.checkpointed` (so the broker's archive
stream keeps it) and, where THIDUA_AUDIT_CHECKPOINT_DIR is set (the all-in-one mode), appended
to a file there. The keyed chain alone finds a record changed, removed from the middle or
re-chained without the key; only the anchors find a deleted tail (docs/adr/0012).
"""

import asyncio
import logging
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from thidua_shared.contracts.audit import AuditCheckpointed
from thidua_shared.platform.audit_chain import GENESIS, chain_hash, stored_record
from thidua_shared.platform.db import transaction
from thidua_shared.platform.outbox import record_event

log = logging.getLogger(__name__)

_HEAD = (
    "SELECT id, hash, (SELECT count(*) FROM audit_log) AS records "
    "FROM audit_log ORDER BY id DESC LIMIT 1"
)


def checkpoint_file(directory: Path, service: str) -> Path:
    return directory / f"{service}.audit-checkpoints.jsonl"


class Checkpointer:
    """Takes the service's checkpoints; one per process (several are harmless: each anchors
    the same chain)."""

    def __init__(
        self,
        service: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        on_outbox_commit: Callable[[], None],
        *,
        every_records: int,
        every_seconds: float,
        directory: Path | None,
    ) -> None:
        self._service = service
        self._sessionmaker = sessionmaker
        self._on_outbox_commit = on_outbox_commit
        self._every_records = every_records
        self._every_seconds = every_seconds
        self._directory = directory
        self._anchored = 0
        self._due = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def appended(self, sequence: int) -> None:
        if sequence - self._anchored >= self._every_records:
            self._due.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            # Asked to end rather than cancelled: on Python 3.11 a cancel that lands as the wait
            # for `_due` completes is swallowed by asyncio.wait_for, and the loop would sleep on
            # for a whole interval before shutdown could go on.
            self._stopping = True
            self._due.set()
            await self._task
        try:
            await self.take()
        except Exception:
            log.exception("could not take the audit trail's checkpoint at shutdown")

    async def _run(self) -> None:
        while True:
            with suppress(TimeoutError):
                async with asyncio.timeout(self._every_seconds):
                    await self._due.wait()
            if self._stopping:
                return
            self._due.clear()
            try:
                await self.take()
            except Exception:
                # A database briefly away: the next round anchors everything written since.
                log.warning("could not take an audit checkpoint; trying again", exc_info=True)

    async def take(self) -> AuditCheckpointed | None:
        """Anchors the trail's current head, unless it is anchored already."""
        async with transaction(self._sessionmaker, self._on_outbox_commit) as session:
            head = (await session.execute(text(_HEAD))).first()
            if head is None or head.id <= self._anchored:
                return None
            checkpoint = AuditCheckpointed(
                service=self._service,
                sequence=head.id,
                head_hash=head.hash,
                records=head.records,
                taken_at=datetime.now(UTC),
            )
            await record_event(
                session,
                checkpoint,
                source=f"/thidua/{self._service}",
                subject=f"{self._service}/audit",
            )
        if self._directory is not None:
            self._directory.mkdir(parents=True, exist_ok=True)
            with checkpoint_file(self._directory, self._service).open("a") as out:
                out.write(checkpoint.model_dump_json() + "\n")
        self._anchored = checkpoint.sequence
        return checkpoint


def read_checkpoints(paths: Iterable[Path], service: str) -> list[AuditCheckpointed]:
    found = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                checkpoint = AuditCheckpointed.model_validate_json(line)
                if checkpoint.service == service:
                    found.append(checkpoint)
    return sorted(found, key=lambda c: c.sequence)


@dataclass
class Verification:
    records: int = 0
    last: int | None = None
    findings: list[str] = field(default_factory=list)
    anchored_up_to: AuditCheckpointed | None = None
    unanchored: int = 0

    def summary(self) -> str:
        lines = [f"{self.records} records, the last {self.last}"]
        if self.anchored_up_to is None:
            lines.append(f"no checkpoint anchors them: {self.unanchored} records unanchored")
        else:
            anchor = self.anchored_up_to
            lines.append(
                f"anchored up to record {anchor.sequence} by the checkpoint of "
                f"{anchor.taken_at.isoformat()}; {self.unanchored} records after it unanchored"
            )
        return "\n".join(lines)


async def verify_trail(
    connection: asyncpg.Connection, key: bytes, checkpoints: list[AuditCheckpointed]
) -> Verification:
    """Every record's link and keyed hash, then every checkpoint against the records found."""
    result = Verification()
    wanted = {c.sequence for c in checkpoints}
    hashes: dict[int, str] = {}
    previous, previous_id = GENESIS, None
    async with connection.transaction():
        async for row in connection.cursor("SELECT * FROM audit_log ORDER BY id"):
            sequence = int(row["id"])
            if row["prev_hash"] != previous:
                after = f"record {previous_id}" if previous_id else "the start of the trail"
                result.findings.append(
                    f"record {sequence} does not follow {after}: records between them were "
                    "deleted, or it was rewritten"
                )
            elif row["hash"] != chain_hash(key, previous, stored_record(row)):
                result.findings.append(
                    f"record {sequence} does not match its keyed hash: it was changed, or the "
                    "trail was re-chained without the audit key"
                )
            if sequence in wanted:
                hashes[sequence] = row["hash"]
            previous, previous_id = row["hash"], sequence
            result.records += 1
        result.last = previous_id
        _compare_with_checkpoints(result, checkpoints, hashes)
        anchored = result.anchored_up_to.sequence if result.anchored_up_to else 0
        result.unanchored = await connection.fetchval(
            "SELECT count(*) FROM audit_log WHERE id > $1", anchored
        )
    return result


def _compare_with_checkpoints(
    result: Verification, checkpoints: list[AuditCheckpointed], hashes: dict[int, str]
) -> None:
    last = result.last or 0
    beyond = [c for c in checkpoints if c.sequence > last]
    if beyond:
        newest = beyond[-1]
        ends, lost = (
            (f"it ends at record {result.last}", f"records after {result.last}")
            if result.last is not None
            else ("no record is left", "all records")
        )
        result.findings.append(
            f"the trail's tail is missing: {ends} but the checkpoint of "
            f"{newest.taken_at.isoformat()} anchored record {newest.sequence} "
            f"({newest.records} records); {lost} up to {newest.sequence} were deleted"
        )
    for checkpoint in checkpoints:
        if checkpoint.sequence > last:
            continue
        found = hashes.get(checkpoint.sequence)
        if found is None:
            result.findings.append(
                f"record {checkpoint.sequence}, anchored by the checkpoint of "
                f"{checkpoint.taken_at.isoformat()}, is missing"
            )
        elif found != checkpoint.head_hash:
            result.findings.append(
                f"record {checkpoint.sequence} differs from the checkpoint of "
                f"{checkpoint.taken_at.isoformat()}: the trail up to it was rewritten"
            )
        else:
            result.anchored_up_to = checkpoint
