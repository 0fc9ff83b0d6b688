"""Reading campaigns: filters with pagination, and a campaign's phase calendar."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from thidua_shared.testing import RunningService

Body = Callable[..., dict[str, Any]]
MoveClock = Callable[[datetime], None]


async def test_campaigns_filter_by_year_kind_status_and_unit_with_a_total(
    campaigns: RunningService, new_campaign: Body
) -> None:
    unit = f"F{uuid4().hex[:6]}"
    units = [{"code": unit, "name": "Phòng Bưu chính – Viễn thông"}]
    phases = [{"name": "Đợt 1", "starts_on": "2031-01-01", "ends_on": "2031-12-31"}]
    ids = []
    for kind in ("regular", "thematic", "thematic"):
        created = await campaigns.client.post(
            "/campaigns/campaigns",
            json=new_campaign(
                year=2031,
                period_start="2031-01-01",
                period_end="2031-12-31",
                registration_deadline=None,
                phases=phases,
                units=units,
                kind=kind,
            ),
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    await campaigns.client.post(f"/campaigns/campaigns/{ids[2]}/launch")

    async def listed(**params: str | int) -> Any:
        response = await campaigns.client.get("/campaigns/campaigns", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    everything = await listed(unit=unit)
    assert (everything["total"], len(everything["items"])) == (3, 3)
    assert (await listed(unit=unit, kind="thematic"))["total"] == 2
    launched = await listed(unit=unit, kind="thematic", status="launched", year=2031)
    assert [c["id"] for c in launched["items"]] == [ids[2]]
    assert (await listed(unit=unit, year=2030))["total"] == 0

    pages = [await listed(unit=unit, limit=2, offset=offset) for offset in (0, 2)]
    assert [p["total"] for p in pages] == [3, 3]
    assert sorted(c["id"] for p in pages for c in p["items"]) == sorted(ids)

    bad = await campaigns.client.get("/campaigns/campaigns", params={"kind": "weekly"})
    assert (bad.status_code, bad.json()["field"]) == (422, "kind")


async def test_the_calendar_says_what_is_open_and_what_comes_next(
    campaigns: RunningService, new_campaign: Body, clock: MoveClock
) -> None:
    clock(datetime(2018, 1, 5, 3, tzinfo=UTC))
    created = await campaigns.client.post("/campaigns/campaigns", json=new_campaign())
    url = f"/campaigns/campaigns/{created.json()['id']}"
    draft = (await campaigns.client.get(f"{url}/calendar")).json()
    assert (draft["open_now"], draft["next_to_open"], draft["next_to_close"]) == ([], None, None)

    await campaigns.client.post(f"{url}/launch")
    launched = (await campaigns.client.get(f"{url}/calendar")).json()
    assert launched["today"] == "2018-01-05"
    assert launched["next_to_open"]["number"] == 1

    await campaigns.client.post(f"{url}/phases/1/open")
    running = (await campaigns.client.get(f"{url}/calendar")).json()
    assert [p["name"] for p in running["open_now"]] == ["Đợt 1"]
    assert running["next_to_close"]["ends_on"] == "2018-06-30"
    assert running["next_to_open"]["number"] == 2
    assert [p["status"] for p in running["phases"]] == ["open", "pending"]
