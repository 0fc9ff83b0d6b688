"""The README's run command: the whole system in one process, with no server of our own."""

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.processes import ROOT, free_port
from tests.system.chain import UNITS, run_chain

pytestmark = pytest.mark.system


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("thidua-data")


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("THIDUA_") and not k.endswith("_DATABASE_URL")
    }


def token(data_dir: Path, role: str, unit: str | None = None) -> dict[str, str]:
    """What the README tells a newcomer to run: `thidua token --role ...`."""
    args = [
        sys.executable,
        "-m",
        "thidua_local",
        "token",
        "--role",
        role,
        "--data-dir",
        str(data_dir),
    ] + (["--unit", unit] if unit else [])
    printed = subprocess.run(
        args, cwd=ROOT, env=_clean_env(), check=True, capture_output=True, text=True
    ).stdout.strip()
    return {"Authorization": f"Bearer {printed}"}


@pytest.fixture(scope="module")
async def all_in_one(data_dir: Path) -> AsyncIterator[str]:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("THIDUA_") and not k.endswith("_DATABASE_URL")
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "thidua_local",
            "up",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                assert process.poll() is None, "thidua up exited"
                try:
                    if (await client.get(f"{url}/healthz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(30)


async def test_the_run_command_serves_the_chain_on_embedded_postgres(
    all_in_one: str, data_dir: Path
) -> None:
    office = token(data_dir, "office")
    heads = {u["code"]: token(data_dir, "unit_head", u["code"]) for u in UNITS}
    async with httpx.AsyncClient(base_url=all_in_one, timeout=30, headers=office) as client:
        assert (
            await client.get("/campaigns/campaigns", headers={"Authorization": ""})
        ).status_code == 401
        index = (await client.get("/")).json()
        assert set(index["apis"]) == {"campaigns", "pledges", "reports", "awards"}
        ready = await client.get("/campaigns/readyz")
        assert ready.status_code == 200
        result = await run_chain(client, heads.__getitem__)
    assert {n["subject_code"] for n in result.nominations["items"]} == {u["code"] for u in UNITS}
