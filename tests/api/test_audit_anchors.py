"""The audit trail is keyed and anchored: a change and its record commit together or not at
all; checkpoints are taken every so many records and at shutdown, published and kept in a
file; `audit-verify` finds changed, deleted, truncated and re-chained records and says where,
and reports the records after the last checkpoint as unanchored."""

import asyncio
import hashlib
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import text

from campaigns.main import spec as campaigns_spec
from thidua_shared.contracts.audit import AuditCheckpointed
from thidua_shared.platform.audit_anchor import checkpoint_file, read_checkpoints, verify_trail
from thidua_shared.testing import (
    TEST_AUDIT_KEY,
    RecordingBus,
    RunningService,
    migrated_database,
)
from thidua_shared.testing import running_service as run

ROOT = Path(__file__).resolve().parents[2]
KEY = TEST_AUDIT_KEY.encode()
UNIT = {"code": "VP", "name": "Văn phòng Sở"}


@pytest.fixture(scope="module")
async def database() -> str:
    return await migrated_database(campaigns_spec, "thidua_test_audit_anchors")


@pytest.fixture
async def campaigns(database: str, tmp_path: Path) -> AsyncIterator[RunningService]:
    async with run(
        campaigns_spec,
        database,
        RecordingBus(),
        audit_checkpoint_dir=tmp_path,
        audit_checkpoint_records=5,
        audit_checkpoint_seconds=0.2,
    ) as service:
        # A fresh trail for each test.
        await tamper(service, "DELETE FROM audit_log")
        yield service


async def changes(service: RunningService, count: int) -> None:
    for _ in range(count):
        code = f"T{uuid4().hex[:8]}"
        response = await service.client.post("/campaigns/units", json={**UNIT, "code": code})
        assert response.status_code < 300, response.text


async def tamper(service: RunningService, *statements: str) -> None:
    async with service.runtime.engine.begin() as connection:
        await connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        for statement in statements:
            await connection.execute(text(statement))
        await connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))


async def head(service: RunningService) -> int:
    async with service.runtime.engine.connect() as connection:
        found = (await connection.execute(text("SELECT max(id) FROM audit_log"))).scalar_one()
        return int(found)


async def anchored(service: RunningService, folder: Path) -> Path:
    """The checkpoint file, once a checkpoint anchors the trail's current head."""
    path = checkpoint_file(folder, "campaigns")
    last = await head(service)
    async with asyncio.timeout(30):
        while not path.exists() or read_checkpoints([path], "campaigns")[-1].sequence < last:
            await asyncio.sleep(0.05)
    return path


async def findings(service: RunningService, checkpoints: Path) -> list[str]:
    async with service.runtime.driver_pool.acquire() as connection:
        result = await verify_trail(connection, KEY, read_checkpoints([checkpoints], "campaigns"))
    return result.findings


def verify_command(database: str, checkpoints: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAMPAIGNS_DATABASE_URL": database}
    return subprocess.run(
        [sys.executable, "-m", "campaigns", "audit-verify", "--checkpoints", str(checkpoints)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


async def test_a_change_whose_record_cannot_be_written_does_not_commit(
    campaigns: RunningService,
) -> None:
    async with campaigns.runtime.engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE OR REPLACE FUNCTION refuse_success() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN IF NEW.outcome < 300 THEN RAISE EXCEPTION 'no'; END IF; "
                "RETURN NEW; END $$"
            )
        )
        await connection.execute(
            text(
                "CREATE TRIGGER refuse_success BEFORE INSERT ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION refuse_success()"
            )
        )
    try:
        # The test client raises what the server answered with a 500.
        with pytest.raises(Exception, match="no"):
            await campaigns.client.post("/campaigns/units", json={**UNIT, "code": "LOST"})
    finally:
        async with campaigns.runtime.engine.begin() as connection:
            await connection.execute(text("DROP TRIGGER refuse_success ON audit_log"))
    assert (await campaigns.client.get("/campaigns/units/LOST")).status_code == 404
    async with campaigns.runtime.engine.connect() as connection:
        outcomes = (await connection.execute(text("SELECT outcome FROM audit_log"))).scalars()
        assert list(outcomes) == [500]


def _kept(directory: Path) -> list[AuditCheckpointed]:
    """The checkpoints kept so far: none until the first is taken and its file written."""
    path = checkpoint_file(directory, "campaigns")
    return read_checkpoints([path], "campaigns") if path.exists() else []


async def test_checkpoints_are_published_and_kept_and_taken_at_shutdown(tmp_path: Path) -> None:
    # A trail of its own: with the module's, left longer by the tests before, the first record
    # is due for a checkpoint at once, taken while the first batch is still being written, and
    # the batches no longer line up with the checkpoints.
    database = await migrated_database(campaigns_spec, "thidua_test_audit_checkpoints")
    bus = RecordingBus()
    async with run(
        campaigns_spec,
        database,
        bus,
        audit_checkpoint_dir=tmp_path,
        audit_checkpoint_records=5,
        audit_checkpoint_seconds=3600,
    ) as service:
        # A batch of 5 at a time: records written while a checkpoint is being taken are
        # anchored by the next one, so a burst of 12 may be anchored in two.
        for batch in range(1, 4):
            await changes(service, 5)
            async with asyncio.timeout(10):
                while len(_kept(tmp_path)) < batch:
                    await asyncio.sleep(0.05)
        await changes(service, 1)
        last = await head(service)
        await service.drain_outbox()
        published = bus.of_type("audit.checkpointed")
        assert len(published) >= 3
        assert all(e.source == "/thidua/campaigns" for e in published)
    kept = _kept(tmp_path)
    assert kept[-1].sequence == last, "the shutdown anchors the last record"
    sequences = [c.sequence for c in kept]
    assert all(b - a <= 5 for a, b in itertools.pairwise(sequences[1:]))


async def test_an_intact_trail_is_anchored_and_later_records_are_unanchored(
    campaigns: RunningService, database: str, tmp_path: Path
) -> None:
    await changes(campaigns, 3)
    before = tmp_path / "before.jsonl"
    shutil.copy(await anchored(campaigns, tmp_path), before)
    await changes(campaigns, 2)
    verified = verify_command(database, before)
    assert verified.returncode == 0, verified.stderr
    assert "audit trail intact" in verified.stdout
    assert "2 records after it unanchored" in verified.stdout


@pytest.mark.parametrize("deleted", [1, 3])
async def test_a_deleted_tail_is_reported_naming_what_is_missing(
    campaigns: RunningService, database: str, tmp_path: Path, deleted: int
) -> None:
    await changes(campaigns, 6)
    path = await anchored(campaigns, tmp_path)
    last = await head(campaigns)
    await tamper(campaigns, f"DELETE FROM audit_log WHERE id > {last - deleted}")
    verified = verify_command(database, path)
    assert verified.returncode != 0
    assert f"it ends at record {last - deleted} but the checkpoint" in verified.stderr
    assert f"records after {last - deleted} up to {last} were deleted" in verified.stderr


async def test_a_truncated_trail_is_reported(campaigns: RunningService, tmp_path: Path) -> None:
    await changes(campaigns, 3)
    path = await anchored(campaigns, tmp_path)
    last = await head(campaigns)
    await tamper(campaigns, "DELETE FROM audit_log")
    [found] = [f for f in await findings(campaigns, path) if "tail is missing" in f]
    assert found.startswith("the trail's tail is missing: no record is left but the checkpoint")
    assert found.endswith(f"all records up to {last} were deleted")


async def test_a_record_deleted_from_the_middle_is_located(
    campaigns: RunningService, tmp_path: Path
) -> None:
    await changes(campaigns, 5)
    path = await anchored(campaigns, tmp_path)
    last = await head(campaigns)
    await tamper(campaigns, f"DELETE FROM audit_log WHERE id = {last - 2}")
    found = await findings(campaigns, path)
    # Followed by "record N, anchored by the checkpoint of …, is missing" when it was anchored.
    assert found[0] == (
        f"record {last - 1} does not follow record {last - 3}: records between them were "
        "deleted, or it was rewritten"
    )


async def test_a_rewritten_and_rechained_tail_is_found(
    campaigns: RunningService, tmp_path: Path
) -> None:
    """Someone with the database but not the key changes a record and recomputes every hash
    after it, as the unkeyed chain used to allow."""
    await changes(campaigns, 4)
    path = await anchored(campaigns, tmp_path)
    last = await head(campaigns)
    victim = last - 2
    async with campaigns.runtime.driver_pool.acquire() as connection:
        rows = await connection.fetch("SELECT * FROM audit_log WHERE id >= $1 ORDER BY id", victim)
        previous = await connection.fetchval(
            "SELECT hash FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT 1", victim
        )
    from thidua_shared.platform.audit_chain import stored_record

    statements = []
    for row in rows:
        record = stored_record(row)
        if row["id"] == victim:
            record = type(record)(**{**record.__dict__, "outcome": 403})
        forged = hashlib.sha256((previous + record.canonical()).encode()).hexdigest()
        statements.append(
            f"UPDATE audit_log SET outcome = {record.outcome}, prev_hash = '{previous}', "
            f"hash = '{forged}' WHERE id = {row['id']}"
        )
        previous = forged
    await tamper(campaigns, *statements)
    found = await findings(campaigns, path)
    assert found[0].startswith(f"record {victim} does not match its keyed hash")
    assert f"record {last} differs from the checkpoint" in found[-1]
