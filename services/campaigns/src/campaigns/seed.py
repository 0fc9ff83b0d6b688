"""The 2018 plan of Sở Thông tin và Truyền thông Đồng Nai (60/KH-STTTT) and an illustrative
directory, loaded through the HTTP API only, so it works the same against any deployment."""

import json
from importlib.resources import files
from typing import Any
from uuid import UUID

import httpx

from campaigns.codes import CampaignStatus

_FIXTURES = files("campaigns") / "fixtures"
PLAN_FILE = "plan-2018.json"
UNITS_FILE = "units-2018.csv"
_CREATE_KEY = "seed-plan-60-KH-STTTT-2018"


class SeedError(RuntimeError):
    pass


def seed_plan() -> dict[str, Any]:
    plan: dict[str, Any] = json.loads((_FIXTURES / PLAN_FILE).read_text(encoding="utf-8"))
    return plan


def seed_units_file() -> bytes:
    return (_FIXTURES / UNITS_FILE).read_bytes()


def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 300:
        raise SeedError(
            f"{response.request.method} {response.request.url}: "
            f"{response.status_code} {response.text}"
        )
    return response.json()


async def _find(client: httpx.AsyncClient, plan: dict[str, Any]) -> dict[str, Any] | None:
    params = {"document_number": plan["document_number"], "year": plan["year"], "limit": 200}
    found = _ok(await client.get("/campaigns/campaigns", params=params))
    # Another plan may carry the same number (a test, the system test's plan): the seed is the
    # one from the same agency, issued the same day.
    ours = [
        c
        for c in found["items"]
        if c["status"] != CampaignStatus.CANCELLED
        and c["issuing_agency"] == plan["issuing_agency"]
        and c["issued_on"] == plan["issued_on"]
    ]
    return ours[0] if ours else None


async def load_seed(client: httpx.AsyncClient, *, launch: bool = True) -> UUID:
    """Loads the directory and the plan (launched unless told otherwise); a second run reuses."""
    plan = seed_plan()
    _ok(
        await client.post(
            "/campaigns/units/import",
            content=seed_units_file(),
            headers={"Content-Type": "text/csv; charset=utf-8"},
        )
    )
    for code in plan["cluster_codes"]:
        _ok(await client.post(f"/campaigns/clusters/{code}/rotation/{plan['year']}"))
    campaign = await _find(client, plan)
    if campaign is None:
        campaign = _ok(
            await client.post(
                "/campaigns/campaigns", json=plan, headers={"Idempotency-Key": _CREATE_KEY}
            )
        )
    if launch and campaign["status"] == CampaignStatus.DRAFT:
        campaign = _ok(await client.post(f"/campaigns/campaigns/{campaign['id']}/launch"))
    return UUID(campaign["id"])
