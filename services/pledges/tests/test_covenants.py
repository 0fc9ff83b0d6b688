"""Emulation covenants (giao ước thi đua): created by the office, signed by every member unit."""

import asyncio
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from thidua_shared.contracts.campaigns import (
    CampaignClosed,
    CampaignLaunched,
    ClusterSnapshot,
    UnitSnapshot,
)
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer

Launch = Callable[..., CampaignLaunched]
URL = "/pledges/covenants"
CLUSTER = "Cụm 1"
OTHER_CLUSTER = "Cụm 2"
CLUSTERS = {CLUSTER: ("VP", "TTCNTT", "TTDL"), OTHER_CLUSTER: ("SOYT",)}
HEAD_A = bearer(Role.UNIT_HEAD, "VP")
OBSERVER = bearer(Role.OBSERVER)


@pytest.fixture
async def campaign(pledges: RunningService, new_launch: Launch) -> CampaignLaunched:
    """A campaign with a three-unit cluster and a one-unit cluster."""
    event = new_launch().model_copy(
        update={
            "units": [
                UnitSnapshot(code=code, name=f"Đơn vị {code}", cluster=cluster)
                for cluster, codes in CLUSTERS.items()
                for code in codes
            ],
            "clusters": [
                ClusterSnapshot(name=cluster, unit_codes=list(codes))
                for cluster, codes in CLUSTERS.items()
            ],
        }
    )
    await pledges.deliver(event, source="/thidua/campaigns")
    return event


def covenant_body(campaign_id: UUID, **overrides: object) -> dict[str, Any]:
    body: dict[str, Any] = {
        "campaign_id": str(campaign_id),
        "cluster": CLUSTER,
        "items": ["Hoàn thành xuất sắc nhiệm vụ chuyên môn", "Thực hành tiết kiệm"],
    }
    body.update(overrides)
    return body


def signature(unit_code: str) -> dict[str, str]:
    return {"unit_code": unit_code, "signer_name": f"Trần Văn {unit_code}", "signer_title": "GĐ"}


async def _create(pledges: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    response = await pledges.client.post(URL, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _sign(
    pledges: RunningService, covenant_id: str, unit_code: str, **headers: str
) -> httpx.Response:
    return await pledges.client.post(
        f"{URL}/{covenant_id}/signatures", json=signature(unit_code), headers=headers or None
    )


async def _signed_events(
    pledges: RunningService, bus: RecordingBus, covenant_id: str
) -> list[dict[str, Any]]:
    await pledges.drain_outbox()
    return [e.data for e in bus.of_type("covenant.signed") if e.data["covenant_id"] == covenant_id]


async def test_the_covenant_comes_into_force_with_the_last_signature(
    pledges: RunningService, bus: RecordingBus, campaign: CampaignLaunched
) -> None:
    created = await _create(pledges, covenant_body(campaign.campaign_id))
    assert (created["status"], created["in_force_at"], created["signatures"]) == ("open", None, [])
    assert created["member_units"] == sorted(CLUSTERS[CLUSTER])

    for i, unit in enumerate(["VP", "TTCNTT", "TTDL"]):
        signed = await _sign(pledges, created["id"], unit, **bearer(Role.UNIT_HEAD, unit))
        assert signed.status_code == 201, signed.text
        last = i == 2
        assert signed.json()["status"] == ("in_force" if last else "open")
        assert (signed.json()["in_force_at"] is not None) == last
        assert signed.headers["ETag"] == f'"{signed.json()["version"]}"'

    read = await pledges.client.get(f"{URL}/{created['id']}")
    assert read.status_code == 200, read.text
    covenant = read.json()
    assert covenant["status"] == "in_force"
    assert covenant["version"] > created["version"]
    assert [s["unit_code"] for s in covenant["signatures"]] == ["VP", "TTCNTT", "TTDL"]
    assert covenant["signatures"][0]["signer_name"] == "Trần Văn VP"
    events = await _signed_events(pledges, bus, created["id"])
    assert [(e["unit_code"], e["in_force"]) for e in events] == [
        ("VP", False),
        ("TTCNTT", False),
        ("TTDL", True),
    ]
    assert {e["cluster"] for e in events} == {CLUSTER}


async def test_two_concurrent_last_signatures_bring_it_into_force_once(
    pledges: RunningService, bus: RecordingBus, campaign: CampaignLaunched
) -> None:
    created = await _create(pledges, covenant_body(campaign.campaign_id))
    assert (await _sign(pledges, created["id"], "VP")).status_code == 201

    answers = await asyncio.gather(
        _sign(pledges, created["id"], "TTCNTT"), _sign(pledges, created["id"], "TTDL")
    )

    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert sorted(a.json()["status"] for a in answers) == ["in_force", "open"]
    covenant = (await pledges.client.get(f"{URL}/{created['id']}")).json()
    assert (covenant["status"], len(covenant["signatures"])) == ("in_force", 3)
    events = await _signed_events(pledges, bus, created["id"])
    assert len(events) == 3
    assert sum(e["in_force"] for e in events) == 1


@pytest.mark.parametrize("attempt", range(5))
async def test_every_member_signing_at_once_brings_it_into_force_once(
    pledges: RunningService, bus: RecordingBus, campaign: CampaignLaunched, attempt: int
) -> None:
    created = await _create(pledges, covenant_body(campaign.campaign_id))

    answers = await asyncio.gather(*(_sign(pledges, created["id"], u) for u in CLUSTERS[CLUSTER]))

    assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]
    assert sorted(a.json()["status"] for a in answers) == ["in_force", "open", "open"]
    covenant = (await pledges.client.get(f"{URL}/{created['id']}")).json()
    assert (covenant["status"], len(covenant["signatures"])) == ("in_force", 3)
    assert covenant["in_force_at"] == covenant["signatures"][-1]["signed_at"]
    events = await _signed_events(pledges, bus, created["id"])
    assert sorted(e["unit_code"] for e in events) == sorted(CLUSTERS[CLUSTER])
    assert sum(e["in_force"] for e in events) == 1


async def test_refusals_name_the_field(
    pledges: RunningService, bus: RecordingBus, campaign: CampaignLaunched
) -> None:
    unknown = await pledges.client.post(URL, json=covenant_body(uuid4()))
    assert (unknown.status_code, unknown.json()["field"]) == (409, "campaign_id")
    for cluster in ("", "   ", "Cụm không có"):
        empty = await pledges.client.post(
            URL, json=covenant_body(campaign.campaign_id, cluster=cluster)
        )
        assert (empty.status_code, empty.json()["field"]) == (422, "cluster"), empty.text
    no_items = await pledges.client.post(URL, json=covenant_body(campaign.campaign_id, items=[]))
    assert no_items.status_code == 422
    created = await _create(pledges, covenant_body(campaign.campaign_id))
    twice = await pledges.client.post(URL, json=covenant_body(campaign.campaign_id))
    assert (twice.status_code, twice.json()["field"]) == (409, "cluster")

    assert (await _sign(pledges, created["id"], "VP")).status_code == 201
    again = await _sign(pledges, created["id"], "VP")
    assert (again.status_code, again.json()["field"]) == (409, "unit_code")
    outsider = await _sign(pledges, created["id"], "SOYT")
    assert (outsider.status_code, outsider.json()["field"]) == (422, "unit_code")
    missing = await _sign(pledges, str(uuid4()), "VP")
    assert (missing.status_code, missing.json()["field"]) == (404, "covenant_id")

    await pledges.deliver(
        CampaignClosed(campaign_id=campaign.campaign_id, closed_at=campaign.launched_at)
    )
    closed = await _sign(pledges, created["id"], "TTCNTT")
    assert (closed.status_code, closed.json()["field"]) == (409, "campaign_id")
    late = await pledges.client.post(
        URL, json=covenant_body(campaign.campaign_id, cluster=OTHER_CLUSTER)
    )
    assert (late.status_code, late.json()["field"]) == (409, "campaign_id")
    covenant = (await pledges.client.get(f"{URL}/{created['id']}")).json()
    assert [s["unit_code"] for s in covenant["signatures"]] == ["VP"]
    assert len(await _signed_events(pledges, bus, created["id"])) == 1


async def test_creating_is_idempotent_under_a_key(
    pledges: RunningService, campaign: CampaignLaunched
) -> None:
    body = covenant_body(campaign.campaign_id)
    headers = {"Idempotency-Key": str(uuid4())}
    first = await pledges.client.post(URL, json=body, headers=headers)
    second = await pledges.client.post(URL, json=body, headers=headers)

    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]


async def test_a_retried_signature_replays_the_first_answer_and_signs_once(
    pledges: RunningService, bus: RecordingBus, campaign: CampaignLaunched
) -> None:
    created = await _create(pledges, covenant_body(campaign.campaign_id))
    key = {"Idempotency-Key": str(uuid4()), **HEAD_A}

    first = await _sign(pledges, created["id"], "VP", **key)
    again = await _sign(pledges, created["id"], "VP", **key)

    assert first.status_code == again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    covenant = (await pledges.client.get(f"{URL}/{created['id']}")).json()
    assert [s["unit_code"] for s in covenant["signatures"]] == ["VP"]
    assert covenant["version"] == first.json()["version"]
    assert len(await _signed_events(pledges, bus, created["id"])) == 1


async def test_a_unit_head_cannot_sign_for_another_unit_of_their_cluster(
    pledges: RunningService, bus: RecordingBus, campaign: CampaignLaunched
) -> None:
    created = await _create(pledges, covenant_body(campaign.campaign_id))

    refused = await _sign(pledges, created["id"], "TTCNTT", **HEAD_A)

    assert refused.status_code == 403, refused.text
    assert refused.json()["field"] == "unit_code"
    after = (await pledges.client.get(f"{URL}/{created['id']}", headers=HEAD_A)).json()
    assert (after["signatures"], after["version"]) == ([], created["version"])
    assert await _signed_events(pledges, bus, created["id"]) == []
    assert (await _sign(pledges, created["id"], "VP", **HEAD_A)).status_code == 201


async def test_another_clusters_covenant_reads_as_missing(
    pledges: RunningService, bus: RecordingBus, campaign: CampaignLaunched
) -> None:
    theirs = await _create(pledges, covenant_body(campaign.campaign_id, cluster=OTHER_CLUSTER))
    missing = str(uuid4())

    for refused, unknown in (
        (
            await pledges.client.get(f"{URL}/{theirs['id']}", headers=HEAD_A),
            await pledges.client.get(f"{URL}/{missing}", headers=HEAD_A),
        ),
        (
            await _sign(pledges, theirs["id"], "VP", **HEAD_A),
            await _sign(pledges, missing, "VP", **HEAD_A),
        ),
        (
            await _sign(pledges, theirs["id"], "SOYT", **HEAD_A),
            await _sign(pledges, missing, "SOYT", **HEAD_A),
        ),
    ):
        assert refused.status_code == unknown.status_code == 404, refused.text
        mine, other = refused.json(), unknown.json()
        assert {k: v for k, v in mine.items() if k not in ("detail", "instance")} == {
            k: v for k, v in other.items() if k not in ("detail", "instance")
        }
        assert mine["detail"] == f"No covenant {theirs['id']}."
    own_head = bearer(Role.UNIT_HEAD, "SOYT")
    assert (await pledges.client.get(f"{URL}/{theirs['id']}", headers=own_head)).is_success
    assert (await pledges.client.get(f"{URL}/{theirs['id']}")).json()["signatures"] == []
    assert await _signed_events(pledges, bus, theirs["id"]) == []


async def test_only_the_office_creates_and_an_observer_only_reads(
    pledges: RunningService, bus: RecordingBus, campaign: CampaignLaunched
) -> None:
    created = await _create(pledges, covenant_body(campaign.campaign_id))
    url = f"{URL}/{created['id']}"

    assert (await pledges.client.get(url, headers=OBSERVER)).status_code == 200
    for refused in (
        await pledges.client.post(
            URL, json=covenant_body(campaign.campaign_id, cluster=OTHER_CLUSTER), headers=HEAD_A
        ),
        await pledges.client.post(
            URL, json=covenant_body(campaign.campaign_id, cluster=OTHER_CLUSTER), headers=OBSERVER
        ),
        await _sign(pledges, created["id"], "VP", **OBSERVER),
    ):
        assert refused.status_code == 403, refused.text
        assert refused.json()["field"] == "Authorization"
    other = await pledges.client.post(
        URL, json=covenant_body(campaign.campaign_id, cluster=OTHER_CLUSTER)
    )
    assert other.status_code == 201, other.text
    assert (await pledges.client.get(url)).json()["signatures"] == []
    assert await _signed_events(pledges, bus, created["id"]) == []


async def test_callers_without_a_token_are_unauthenticated(
    pledges: RunningService, campaign: CampaignLaunched
) -> None:
    created = await _create(pledges, covenant_body(campaign.campaign_id))
    client = pledges.client
    answers = []
    for method, url, body in (
        ("POST", URL, covenant_body(campaign.campaign_id, cluster=OTHER_CLUSTER)),
        ("GET", f"{URL}/{created['id']}", None),
        ("POST", f"{URL}/{created['id']}/signatures", signature("VP")),
    ):
        request = client.build_request(method, url, json=body)
        del request.headers["Authorization"]
        answers.append(await client.send(request))

    for response in answers:
        assert response.status_code == 401, response.text
        assert response.json()["field"] == "Authorization"
    assert (await client.get(f"{URL}/{created['id']}")).json()["signatures"] == []


async def test_a_unit_head_lists_its_own_clusters_covenant_and_the_office_every_one(
    pledges: RunningService, campaign: CampaignLaunched
) -> None:
    own = await _create(pledges, covenant_body(campaign.campaign_id))
    other = await _create(pledges, covenant_body(campaign.campaign_id, cluster=OTHER_CLUSTER))
    query = {"campaign_id": str(campaign.campaign_id)}

    as_head = await pledges.client.get(URL, params=query, headers=HEAD_A)
    assert as_head.status_code == 200, as_head.text
    assert [c["id"] for c in as_head.json()] == [own["id"]]
    assert as_head.json()[0]["member_units"] == sorted(CLUSTERS[CLUSTER])

    as_observer = await pledges.client.get(URL, params=query, headers=OBSERVER)
    assert {c["id"] for c in as_observer.json()} == {own["id"], other["id"]}
    elsewhere = await pledges.client.get(URL, params={"campaign_id": str(uuid4())}, headers=HEAD_A)
    assert elsewhere.json() == []
    missing = await pledges.client.get(URL, headers=HEAD_A)
    assert missing.status_code == 422
    assert missing.json()["field"] == "campaign_id"
