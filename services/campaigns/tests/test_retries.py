"""Retried transitions: a POST repeated under the same Idempotency-Key gets the first answer and
changes nothing more; a refused one leaves the key free for the retry that succeeds."""

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from thidua_shared.testing import RecordingBus, RunningService

Body = Callable[..., dict[str, Any]]


async def _draft(campaigns: RunningService, new_campaign: Body) -> str:
    response = await campaigns.client.post("/campaigns/campaigns", json=new_campaign())
    assert response.status_code == 201, response.text
    campaign_id: str = response.json()["id"]
    return campaign_id


async def _launches(campaigns: RunningService, bus: RecordingBus, campaign_id: str) -> int:
    await campaigns.drain_outbox()
    return sum(
        1 for e in bus.of_type("campaign.launched") if e.subject == f"campaigns/{campaign_id}"
    )


async def test_a_retried_launch_replays_the_first_answer_and_announces_once(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body
) -> None:
    campaign_id = await _draft(campaigns, new_campaign)
    url = f"/campaigns/campaigns/{campaign_id}/launch"
    headers = {"Idempotency-Key": str(uuid4())}

    first = await campaigns.client.post(url, headers=headers)
    again = await campaigns.client.post(url, headers=headers)

    assert first.status_code == again.status_code == 200, again.text
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    current = (await campaigns.client.get(f"/campaigns/campaigns/{campaign_id}")).json()
    assert current["version"] == first.json()["version"]
    assert await _launches(campaigns, bus, campaign_id) == 1
    # Without the key a second launch is what it always was: refused.
    assert (await campaigns.client.post(url)).status_code == 409


async def test_two_launches_at_once_under_one_key_launch_once(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body
) -> None:
    campaign_id = await _draft(campaigns, new_campaign)
    url = f"/campaigns/campaigns/{campaign_id}/launch"
    headers = {"Idempotency-Key": str(uuid4())}

    answers = await asyncio.gather(*(campaigns.client.post(url, headers=headers) for _ in "ab"))

    assert [a.status_code for a in answers] == [200, 200]
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert answers[0].json() == answers[1].json()
    assert await _launches(campaigns, bus, campaign_id) == 1


async def test_a_refused_request_leaves_its_key_for_the_retry(
    campaigns: RunningService, new_campaign: Body
) -> None:
    campaign_id = await _draft(campaigns, new_campaign)
    base = f"/campaigns/campaigns/{campaign_id}"
    assert (await campaigns.client.post(f"{base}/launch")).status_code == 200
    close = {"Idempotency-Key": str(uuid4())}

    not_open = await campaigns.client.post(f"{base}/phases/1/close", headers=close)
    assert not_open.status_code == 409
    assert (await campaigns.client.post(f"{base}/phases/1/open")).status_code == 200
    closed = await campaigns.client.post(f"{base}/phases/1/close", headers=close)

    assert closed.status_code == 200, closed.text
    assert "Idempotent-Replayed" not in closed.headers


async def test_a_key_is_bound_to_its_body(campaigns: RunningService, new_campaign: Body) -> None:
    campaign_id = await _draft(campaigns, new_campaign)
    url = f"/campaigns/campaigns/{campaign_id}/cancel"
    headers = {"Idempotency-Key": str(uuid4())}

    cancelled = await campaigns.client.post(url, json={"reason": "Trùng kế hoạch"}, headers=headers)
    other = await campaigns.client.post(url, json={"reason": "Lý do khác"}, headers=headers)

    assert cancelled.status_code == 200, cancelled.text
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
