"""Every state-changing request is recorded, refusals included; tampering is detected."""

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from campaigns.main import spec as campaigns_spec
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer, migrated_database
from thidua_shared.testing import running_service as run

ROOT = Path(__file__).resolve().parents[2]
PLAN = {
    "document_number": "61/KH-STTTT",
    "title": "Kế hoạch thi đua chuyên đề",
    "year": 2018,
    "period_start": "2018-01-01",
    "period_end": "2018-12-31",
    "phases": [{"name": "Đợt 1", "starts_on": "2018-01-01", "ends_on": "2018-12-31"}],
    "units": [{"code": "VP", "name": "Văn phòng Sở"}],
}


@pytest.fixture(scope="module")
async def database() -> str:
    return await migrated_database(campaigns_spec, "thidua_test_audit")


@pytest.fixture
async def campaigns(database: str) -> AsyncIterator[RunningService]:
    async with run(campaigns_spec, database, RecordingBus()) as service:
        yield service


async def test_changes_and_refusals_are_recorded_and_queryable(campaigns: RunningService) -> None:
    created = await campaigns.client.post("/campaigns/campaigns", json=PLAN)
    campaign_id = created.json()["id"]
    launch = f"/campaigns/campaigns/{campaign_id}/launch"
    assert (await campaigns.client.post(launch, headers={"Authorization": ""})).status_code == 401
    assert (
        await campaigns.client.post(launch, headers=bearer(Role.UNIT_HEAD, "VP"))
    ).status_code == 403
    assert (await campaigns.client.post(launch)).status_code == 200

    trail = await campaigns.client.get("/campaigns/audit", params={"target": campaign_id})
    records = trail.json()["records"]
    assert [(r["actor"], r["role"], r["outcome"]) for r in records] == [
        ("anonymous", None, 401),
        ("unit_head:VP", "unit_head", 403),
        ("office:agency", "office", 200),
    ]
    assert {r["action"] for r in records} == {"POST /campaigns/campaigns/{campaign_id}/launch"}
    exported = await campaigns.client.get(
        "/campaigns/audit", params={"target": campaign_id, "export": "csv"}
    )
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.count("\n") == 4
    refused = await campaigns.client.get(
        "/campaigns/audit", params={"target": campaign_id}, headers=bearer(Role.UNIT_HEAD, "VP")
    )
    assert refused.status_code == 403


def _verify(database: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAMPAIGNS_DATABASE_URL": database}
    return subprocess.run(
        [sys.executable, "-m", "campaigns", "audit-verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


async def test_a_tampered_record_is_named_by_the_verify_command(
    campaigns: RunningService, database: str
) -> None:
    for _ in range(3):
        await campaigns.client.post("/campaigns/campaigns", json=PLAN)
    intact = _verify(database)
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout

    async with campaigns.runtime.engine.begin() as conn:
        with pytest.raises(Exception, match="append-only"):
            async with conn.begin_nested():
                await conn.execute(text("UPDATE audit_log SET actor = 'x'"))
        victim = (await conn.execute(text("SELECT max(id) - 1 FROM audit_log"))).scalar_one()
        # What someone with the database's superuser could still do: the chain catches it.
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        await conn.execute(
            text("UPDATE audit_log SET outcome = 200 WHERE id = :id"), {"id": victim}
        )
        await conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))

    broken = _verify(database)
    assert broken.returncode != 0
    assert f"broken: record {victim} does not match its keyed hash" in broken.stderr
