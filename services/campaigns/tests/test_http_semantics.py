"""RFC 9110 semantics the kit gives every route, tried on campaigns: conditional requests,
415, canonical JSON for Idempotency-Key replays, If-Match required on every PATCH, paging with
Link headers, and a stable `code` on every problem."""

import json
from collections.abc import Callable
from uuid import uuid4

from thidua_shared.testing import RunningService

Body = Callable[..., dict[str, object]]


async def _created(campaigns: RunningService, body: dict[str, object]) -> tuple[str, str]:
    created = await campaigns.client.post("/campaigns/campaigns", json=body)
    assert created.status_code == 201, created.text
    return created.json()["id"], created.headers["ETag"]


async def test_if_none_match_of_the_current_etag_is_not_modified(
    campaigns: RunningService, new_campaign: Body
) -> None:
    campaign_id, etag = await _created(campaigns, new_campaign(document_number="71/KH-STTTT"))
    url = f"/campaigns/campaigns/{campaign_id}"
    unchanged = await campaigns.client.get(url, headers={"If-None-Match": etag})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["ETag"] == etag
    weak = await campaigns.client.get(url, headers={"If-None-Match": f'"9", W/{etag}'})
    assert weak.status_code == 304
    other = await campaigns.client.get(url, headers={"If-None-Match": '"999"'})
    assert other.status_code == 200


async def test_if_match_star_matches_and_a_malformed_or_weak_tag_fails(
    campaigns: RunningService, new_campaign: Body
) -> None:
    campaign_id, _ = await _created(campaigns, new_campaign(document_number="72/KH-STTTT"))
    url = f"/campaigns/campaigns/{campaign_id}"
    for value in ("not-an-etag", 'W/"1"', '"a1"'):
        refused = await campaigns.client.patch(
            url, json={"title": "X"}, headers={"If-Match": value}
        )
        assert refused.status_code == 412, value
        assert refused.json()["code"] == "stale-version"
    star = await campaigns.client.patch(url, json={"title": "Khác"}, headers={"If-Match": "*"})
    assert star.status_code == 200, star.text


async def test_every_patch_requires_if_match(campaigns: RunningService) -> None:
    code = f"U{uuid4().hex[:6]}"
    created = await campaigns.client.post("/campaigns/units", json={"code": code, "name": "Phòng"})
    assert created.status_code == 201, created.text
    url = f"/campaigns/units/{code}"
    missing = await campaigns.client.patch(url, json={"name": "Phòng Tổng hợp"})
    assert (missing.status_code, missing.json()["code"]) == (428, "if-match-required")
    sent = await campaigns.client.patch(
        url, json={"name": "Phòng Tổng hợp"}, headers={"If-Match": "*"}
    )
    assert sent.status_code == 200, sent.text


async def test_a_transition_post_takes_if_match_and_stays_valid_without(
    campaigns: RunningService, new_campaign: Body
) -> None:
    campaign_id, _ = await _created(campaigns, new_campaign(document_number="73/KH-STTTT"))
    url = f"/campaigns/campaigns/{campaign_id}/launch"
    stale = await campaigns.client.post(url, headers={"If-Match": '"99"'})
    assert stale.status_code == 412
    launched = await campaigns.client.post(url)
    assert launched.status_code == 200, launched.text


async def test_a_body_of_another_media_type_is_415(
    campaigns: RunningService, new_campaign: Body
) -> None:
    refused = await campaigns.client.post(
        "/campaigns/campaigns",
        content=json.dumps(new_campaign(document_number="74/KH-STTTT")),
        headers={"Content-Type": "text/plain"},
    )
    assert refused.status_code == 415
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "unsupported-media-type"


async def test_an_idempotency_key_replay_compares_canonical_json(
    campaigns: RunningService, new_campaign: Body
) -> None:
    body = new_campaign(document_number="75/KH-STTTT")
    key = {"Idempotency-Key": f"k-{uuid4()}", "Content-Type": "application/json"}
    first = await campaigns.client.post(
        "/campaigns/campaigns", content=json.dumps(body), headers=key
    )
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=4)
    again = await campaigns.client.post("/campaigns/campaigns", content=reordered, headers=key)
    assert first.status_code == again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


async def test_lists_page_with_a_link_to_the_next_page(campaigns: RunningService) -> None:
    for _ in range(2):
        code = f"U{uuid4().hex[:6]}"
        await campaigns.client.post("/campaigns/units", json={"code": code, "name": "Phòng"})
    first = await campaigns.client.get("/campaigns/units", params={"limit": 1})
    assert first.status_code == 200
    assert 'rel="next"' in first.headers["Link"]
    assert "offset=1" in first.headers["Link"]
    whole = await campaigns.client.get("/campaigns/units")
    assert whole.json()["limit"] >= 500
    refused = await campaigns.client.get("/campaigns/clusters", params={"limit": 0})
    assert (refused.status_code, refused.json()["field"]) == (422, "limit")
