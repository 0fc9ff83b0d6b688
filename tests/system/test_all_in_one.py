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
from thidua_shared.testing import pdf_text

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


async def test_the_demo_plays_the_year_against_the_run_command(
    all_in_one: str, data_dir: Path, tmp_path: Path
) -> None:
    async with httpx.AsyncClient(base_url=all_in_one, timeout=30) as client:
        assert (await client.get("/campaigns/campaigns")).status_code == 401
        office = token(data_dir, "office")
        assert (await client.get("/campaigns/campaigns", headers=office)).status_code == 200
        index = (await client.get("/api/")).json()
        assert set(index["apis"]) == {"campaigns", "pledges", "reports", "awards"}
        merged = (await client.get(index["openapi"])).json()
        assert "/awards/campaigns/{campaign_id}/nominations" in merged["paths"]
        assert (await client.get("/campaigns/readyz")).status_code == 200

    demo = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "thidua_local", "demo", "--url", all_in_one),
        *("--data-dir", str(data_dir), "--out", str(tmp_path / "out")),
        cwd=ROOT,
        env=_clean_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(demo.communicate(), 240)
    printed = output.decode("utf-8")

    assert demo.returncode == 0, printed
    assert "Tổng kết năm 2018 — Quyết định 15/QĐ-STTTT" in printed
    assert "Chiến sĩ thi đua cơ sở" in printed
    plan = pdf_text((tmp_path / "out" / "ke-hoach-60-KH-STTTT.pdf").read_bytes())
    decision = pdf_text((tmp_path / "out" / "quyet-dinh-khen-thuong.pdf").read_bytes())
    assert "Phát động phong trào thi đua năm 2018" in plan
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in decision
    assert "Lao động tiên tiến" in decision
