from collections.abc import Callable
from typing import Any

from thidua_shared.contracts.campaigns import CampaignLaunched, PhaseClosed
from thidua_shared.testing import RecordingBus, RunningService

Body = Callable[..., dict[str, Any]]


async def _create(campaigns: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    response = await campaigns.client.post("/campaigns/campaigns", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_launch_publishes_a_full_snapshot(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body
) -> None:
    created = await _create(campaigns, new_campaign())
    response = await campaigns.client.post(f"/campaigns/campaigns/{created['id']}/launch")
    assert response.status_code == 200
    assert response.json()["status"] == "launched"
    await campaigns.drain_outbox()

    [launched] = [
        e for e in bus.of_type("campaign.launched") if (e.subject or "").endswith(created["id"])
    ]
    snapshot = launched.payload(CampaignLaunched)
    assert [p.name for p in snapshot.phases] == ["Đợt 1", "Đợt 2"]
    assert {u.code for u in snapshot.units} == {"VP", "TTCNTT"}
    assert snapshot.clusters[0].unit_codes == ["VP", "TTCNTT"] or set(
        snapshot.clusters[0].unit_codes
    ) == {"VP", "TTCNTT"}
    assert snapshot.rule_set == "law-2013-decree-91-2017"


async def test_phases_open_and_close_in_order_then_the_campaign_closes(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body
) -> None:
    created = await _create(campaigns, new_campaign())
    base = f"/campaigns/campaigns/{created['id']}"
    assert (await campaigns.client.post(f"{base}/phases/1/open")).status_code == 409
    await campaigns.client.post(f"{base}/launch")

    early = await campaigns.client.post(f"{base}/phases/2/open")
    assert early.status_code == 409
    closed_unopened = await campaigns.client.post(f"{base}/phases/1/close")
    assert closed_unopened.status_code == 409
    assert closed_unopened.json()["field"] == "phase_number"

    for number in (1, 2):
        assert (await campaigns.client.post(f"{base}/phases/{number}/open")).status_code == 200
        assert (await campaigns.client.post(f"{base}/phases/{number}/close")).status_code == 200
    final = (await campaigns.client.get(base)).json()
    assert final["status"] == "closed"
    await campaigns.drain_outbox()
    closes = [
        e.payload(PhaseClosed)
        for e in bus.of_type("phase.closed")
        if e.subject and e.subject.endswith(created["id"])
    ]
    assert [(c.phase_number, c.is_last) for c in closes] == [(1, False), (2, True)]
    assert [
        e for e in bus.of_type("campaign.closed") if e.subject and e.subject.endswith(created["id"])
    ]


async def test_launch_without_units_names_the_rule(
    campaigns: RunningService, new_campaign: Body
) -> None:
    created = await _create(campaigns, new_campaign(units=[]))
    response = await campaigns.client.post(f"/campaigns/campaigns/{created['id']}/launch")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "units"


async def test_idempotency_key_replays_the_first_answer(
    campaigns: RunningService, new_campaign: Body
) -> None:
    headers = {"Idempotency-Key": "create-60-KH"}
    body = new_campaign(document_number="61/KH-STTTT")
    first = await campaigns.client.post("/campaigns/campaigns", json=body, headers=headers)
    again = await campaigns.client.post("/campaigns/campaigns", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    listed = (await campaigns.client.get("/campaigns/campaigns", params={"limit": 200})).json()
    assert sum(1 for c in listed["items"] if c["document_number"] == "61/KH-STTTT") == 1

    other = await campaigns.client.post(
        "/campaigns/campaigns", json={**body, "title": "khác"}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"


async def test_stale_if_match_is_refused(campaigns: RunningService, new_campaign: Body) -> None:
    created = await _create(campaigns, new_campaign())
    url = f"/campaigns/campaigns/{created['id']}"
    first = await campaigns.client.patch(
        url, json={"title": "Tên mới"}, headers={"If-Match": '"1"'}
    )
    assert first.status_code == 200
    assert first.headers["ETag"] == '"2"'
    stale = await campaigns.client.patch(url, json={"title": "Khác"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    missing = await campaigns.client.patch(url, json={"title": "Khác"})
    assert missing.status_code == 428
    assert (await campaigns.client.get(url)).json()["title"] == "Tên mới"
