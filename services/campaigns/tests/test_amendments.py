"""Acceptance 2: the lifecycle is enforced, and changes after launch are recorded amendments."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from thidua_shared.contracts.campaigns import CampaignAmended, CampaignCancelled
from thidua_shared.testing import RecordingBus, RunningService

Body = Callable[..., dict[str, Any]]
MoveClock = Callable[[datetime], None]
TARGET = {
    "indicator": "Cán bộ hoàn thành tốt nhiệm vụ",
    "unit_of_measure": "%",
    "target_value": 100,
}


async def _launched(campaigns: RunningService, body: dict[str, Any]) -> str:
    created = await campaigns.client.post("/campaigns/campaigns", json=body)
    assert created.status_code == 201, created.text
    campaign_id: str = created.json()["id"]
    launched = await campaigns.client.post(f"/campaigns/campaigns/{campaign_id}/launch")
    assert launched.status_code == 200, launched.text
    return campaign_id


def _of(bus: RecordingBus, event_type: str, campaign_id: str) -> list[Any]:
    return [e for e in bus.of_type(event_type) if e.subject == f"campaigns/{campaign_id}"]


async def test_an_amendment_is_kept_with_its_reason_and_announced_in_full(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body
) -> None:
    original_tasks = [{"content": "Nhiệm vụ ban đầu", "targets": [TARGET]}]
    campaign_id = await _launched(
        campaigns, new_campaign(objectives=["Mục tiêu ban đầu"], tasks=original_tasks)
    )
    url = f"/campaigns/campaigns/{campaign_id}"
    first = await campaigns.client.post(
        f"{url}/amendments",
        json={
            "reason": "Bổ sung mục tiêu theo Chỉ thị mới của Bộ",
            "changes": {"objectives": ["Mục tiêu ban đầu", "Mục tiêu bổ sung"], "title": None},
        },
    )
    assert first.status_code == 422
    assert first.json()["field"] == "title"

    amended = await campaigns.client.post(
        f"{url}/amendments",
        json={
            "reason": "Bổ sung mục tiêu theo Chỉ thị mới của Bộ",
            "changes": {
                "objectives": ["Mục tiêu ban đầu", "Mục tiêu bổ sung"],
                "registration_deadline": "2018-04-15",
                "signer_name": new_campaign().get("signer_name", ""),
            },
        },
        headers={"If-Match": '"2"'},
    )
    assert amended.status_code == 201, amended.text
    assert amended.json()["number"] == 1
    assert amended.json()["changed_fields"] == ["objectives", "registration_deadline"]
    assert amended.json()["changes"]["registration_deadline"] == {
        "before": "2018-03-31",
        "after": "2018-04-15",
    }
    second = await campaigns.client.post(
        f"{url}/amendments",
        json={"reason": "Đổi người ký", "changes": {"signer_name": "Nguyễn Văn A"}},
    )
    assert second.json()["number"] == 2
    tasks = [{"content": "Nhiệm vụ bổ sung", "targets": [{**TARGET, "target_value": 95}]}]
    third = await campaigns.client.post(
        f"{url}/amendments", json={"reason": "Điều chỉnh chỉ tiêu", "changes": {"tasks": tasks}}
    )
    assert third.status_code == 201, third.text
    assert third.json()["changes"]["tasks"]["before"][0]["targets"][0]["target_value"] == 100
    assert third.json()["changes"]["tasks"]["after"][0]["number"] == 1

    read = (await campaigns.client.get(url)).json()
    assert read["objectives"] == ["Mục tiêu ban đầu", "Mục tiêu bổ sung"]
    assert read["amendment_count"] == 3
    assert read["tasks"][0]["content"] == "Nhiệm vụ bổ sung"
    listed = (await campaigns.client.get(f"{url}/amendments")).json()
    assert [(a["number"], a["reason"]) for a in listed] == [
        (1, "Bổ sung mục tiêu theo Chỉ thị mới của Bộ"),
        (2, "Đổi người ký"),
        (3, "Điều chỉnh chỉ tiêu"),
    ]

    await campaigns.drain_outbox()
    events = [e.payload(CampaignAmended) for e in _of(bus, "campaign.amended", campaign_id)]
    assert [e.amendment_number for e in events] == [1, 2, 3]
    assert events[2].tasks[0].targets[0].target_value == 95
    assert events[0].reason == "Bổ sung mục tiêu theo Chỉ thị mới của Bộ"
    assert events[0].objectives == ["Mục tiêu ban đầu", "Mục tiêu bổ sung"]
    assert [p.name for p in events[0].phases] == ["Đợt 1", "Đợt 2"]
    assert {u.code for u in events[1].units} == {"VP", "TTCNTT"}
    assert events[1].signer_name == "Nguyễn Văn A"
    assert events[1].changed_fields == ["signer_name"]


async def test_amendments_are_refused_naming_the_rule(
    campaigns: RunningService, new_campaign: Body
) -> None:
    draft = await campaigns.client.post("/campaigns/campaigns", json=new_campaign())
    draft_url = f"/campaigns/campaigns/{draft.json()['id']}"
    on_draft = await campaigns.client.post(
        f"{draft_url}/amendments", json={"reason": "x", "changes": {"theme": "Mới"}}
    )
    assert on_draft.status_code == 409
    assert on_draft.json()["rule"] == "amend-after-launch"

    url = f"/campaigns/campaigns/{await _launched(campaigns, new_campaign())}"
    nothing = await campaigns.client.post(
        f"{url}/amendments", json={"reason": "Không đổi gì", "changes": {}}
    )
    assert nothing.status_code == 422
    assert nothing.json()["rule"] == "amendment-changes-something"
    no_reason = await campaigns.client.post(
        f"{url}/amendments", json={"reason": " ", "changes": {"theme": "Mới"}}
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["field"] == "reason"
    late = await campaigns.client.post(
        f"{url}/amendments",
        json={"reason": "Gia hạn", "changes": {"registration_deadline": "2019-02-01"}},
    )
    assert late.status_code == 422
    assert late.json()["rule"] == "registration-deadline-in-period"
    assert (await campaigns.client.get(f"{url}/amendments")).json() == []


async def test_cancellation_needs_a_reason_and_is_announced(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body
) -> None:
    campaign_id = await _launched(campaigns, new_campaign())
    url = f"/campaigns/campaigns/{campaign_id}"
    assert (await campaigns.client.post(f"{url}/cancel", json={})).json()["field"] == "reason"
    cancelled = await campaigns.client.post(
        f"{url}/cancel", json={"reason": "Kế hoạch được thay thế bằng kế hoạch số 75/KH-STTTT"}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"].startswith("Kế hoạch được thay thế")

    again = await campaigns.client.post(f"{url}/cancel", json={"reason": "Lần nữa"})
    assert again.status_code == 409
    assert again.json()["rule"] == "cancel-before-close"
    opening = await campaigns.client.post(f"{url}/phases/1/open")
    assert opening.status_code == 409
    assert opening.json()["rule"] == "campaign-launched"
    amending = await campaigns.client.post(
        f"{url}/amendments", json={"reason": "x", "changes": {"theme": "Mới"}}
    )
    assert amending.status_code == 409

    await campaigns.drain_outbox()
    [event] = _of(bus, "campaign.cancelled", campaign_id)
    assert event.payload(CampaignCancelled).reason.endswith("75/KH-STTTT")


async def test_invalid_transitions_name_their_rule(
    campaigns: RunningService, new_campaign: Body
) -> None:
    no_units = await campaigns.client.post("/campaigns/campaigns", json=new_campaign(units=[]))
    launch = await campaigns.client.post(f"/campaigns/campaigns/{no_units.json()['id']}/launch")
    assert (launch.status_code, launch.json()["rule"]) == (422, "launch-needs-participants")

    phases = new_campaign()["phases"]
    outside = [{**phases[0], "starts_on": "2017-12-01"}, phases[1]]
    overlapping = [phases[0], {**phases[1], "starts_on": "2018-06-15"}]
    reversed_phase = [{**phases[0], "ends_on": "2017-12-31", "starts_on": "2018-01-01"}]
    for bad, rule in (
        (outside, "phase-inside-period"),
        (overlapping, "phases-not-overlapping"),
        (reversed_phase, "phase-order"),
        ([], None),
    ):
        refused = await campaigns.client.post("/campaigns/campaigns", json=new_campaign(phases=bad))
        assert refused.status_code == 422
        assert refused.json()["field"].startswith("phases")
        if rule:
            assert refused.json()["rule"] == rule

    url = f"/campaigns/campaigns/{await _launched(campaigns, new_campaign())}"
    relaunch = await campaigns.client.post(f"{url}/launch")
    assert (relaunch.status_code, relaunch.json()["rule"]) == (409, "launch-from-draft")
    close_unopened = await campaigns.client.post(f"{url}/phases/1/close")
    assert (close_unopened.status_code, close_unopened.json()["rule"]) == (409, "close-after-open")
    skip = await campaigns.client.post(f"{url}/phases/2/open")
    assert (skip.status_code, skip.json()["rule"]) == (409, "phases-in-order")


async def test_an_early_close_by_the_office_needs_a_reason(
    campaigns: RunningService, new_campaign: Body, clock: MoveClock
) -> None:
    clock(datetime(2018, 3, 1, 3, tzinfo=UTC))
    url = f"/campaigns/campaigns/{await _launched(campaigns, new_campaign())}"
    assert (await campaigns.client.post(f"{url}/phases/1/open")).status_code == 200
    early = await campaigns.client.post(f"{url}/phases/1/close")
    assert (early.status_code, early.json()["rule"]) == (422, "early-close-needs-reason")
    assert early.json()["field"] == "reason"
    closed = await campaigns.client.post(
        f"{url}/phases/1/close", json={"reason": "Hoàn thành sớm sơ kết theo chỉ đạo của Bộ"}
    )
    assert closed.status_code == 200
    assert closed.json()["phases"][0]["close_reason"].startswith("Hoàn thành sớm")
