"""A service's database backed up with pg_dump and restored with pg_restore into an empty
database, as the runbook in deploy/README.md says: every table keeps its rows, the audit trail's
hash chain verifies, stays append-only and goes on growing from where it was."""

import asyncio
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from pledges.main import spec as pledges_spec
from tests.ops.support import launched, service_cli
from thidua_shared.testing import RecordingBus, fresh_database, migrated_database, running_service


def _libpq(database: str) -> str:
    """The URL as pg_dump, pg_restore and asyncpg take it (no SQLAlchemy driver name)."""
    url = make_url(database).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def _run(*command: str) -> None:
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    assert process.returncode == 0, f"{command[0]}: {err.decode()}{out.decode()}"


async def _row_counts(database: str) -> dict[str, int]:
    connection = await asyncpg.connect(_libpq(database))
    try:
        tables = await connection.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        return {
            t["table_name"]: await connection.fetchval(f'SELECT count(*) FROM "{t["table_name"]}"')
            for t in tables
        }
    finally:
        await connection.close()


async def test_a_dumped_and_restored_database_keeps_its_rows_and_its_audit_chain(
    tmp_path: Path,
) -> None:
    source = await migrated_database(pledges_spec, "thidua_test_ops_backup")
    async with running_service(pledges_spec, source, RecordingBus()) as pledges:
        for event in (launched(), launched()):
            await pledges.deliver(event, source="/thidua/campaigns")
            for unit in ("VP", "TTCNTT", "NOWHERE"):
                await pledges.client.put(
                    f"/pledges/campaigns/{event.campaign_id}/extensions/{unit}",
                    json={"until": "2018-04-30", "reason": "Đơn vị mới kiện toàn"},
                    headers={"If-Match": "*"},
                )
    before = await _row_counts(source)
    assert before["audit_log"] == 6
    assert before["registration_extensions"] == 4
    assert before["inbox"] == 2

    dump = tmp_path / "thidua_pledges.dump"
    await _run("pg_dump", "--format=custom", f"--file={dump}", f"--dbname={_libpq(source)}")
    restored = await fresh_database("thidua_test_ops_restored")
    await _run(
        "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(restored)}", str(dump)
    )

    assert await _row_counts(restored) == before
    verified = await service_cli("pledges", "audit-verify", database=restored)
    assert verified.code == 0, verified.err
    assert "audit trail intact" in verified.out
    connection = await asyncpg.connect(_libpq(restored))
    try:
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await connection.execute("UPDATE audit_log SET actor = 'someone else'")
    finally:
        await connection.close()
    # The chain goes on from the restored records: an operator's action after the restore.
    purged = await service_cli(
        "pledges", "dead-letters", "purge", "--all", "--yes", database=restored
    )
    assert purged.code == 0, purged.err
    assert (await _row_counts(restored))["audit_log"] == 7
    verified = await service_cli("pledges", "audit-verify", database=restored)
    assert "audit trail intact" in verified.out
