"""Drafts (bản nháp): saved and changed without announcing anything, then submitted once."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

from thidua_shared.contracts.campaigns import CampaignCancelled, CampaignLaunched
from thidua_shared.contracts.pledges import PledgeSubmitted
from thidua_shared.platform.auth import Role
from thidua_shared.platform.clock import set_clock
from thidua_shared.testing import RecordingBus, RunningService, bearer

Body = Callable[..., dict[str, Any]]
Members = Callable[..., list[dict[str, Any]]]
URL = "/pledges/registrations"
HEAD_VP = bearer(Role.UNIT_HEAD, "VP")
VIETNAM = timezone(timedelta(hours=7))


def at(year: int, month: int, day: int, hour: int = 9) -> None:
    """Moves the clock to that hour of that day in Vietnam."""
    moment = datetime(year, month, day, hour, tzinfo=VIETNAM).astimezone(UTC)
    set_clock(lambda: moment)


async def _save_draft(pledges: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    response = await pledges.client.post(
        URL, json={**body, "draft": True}, headers=bearer(Role.UNIT_HEAD, body["unit_code"])
    )
    assert response.status_code == 201, response.text
    assert response.headers["ETag"] == f'"{response.json()["version"]}"'
    saved: dict[str, Any] = response.json()
    return saved


async def _submitted(
    pledges: RunningService, bus: RecordingBus, campaign_id: UUID
) -> list[PledgeSubmitted]:
    await pledges.drain_outbox()
    events = [e.payload(PledgeSubmitted) for e in bus.of_type("pledge.submitted")]
    return [e for e in events if e.campaign_id == campaign_id]


async def test_a_draft_is_saved_without_announcing_or_keeping_a_version(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    draft = await _save_draft(pledges, new_registration(launched.campaign_id))

    assert (draft["status"], draft["submission_number"], draft["submitted_at"]) == (
        "draft",
        0,
        None,
    )
    assert [m["staff_code"] for m in draft["members"]] == ["NV001", "NV002"]
    assert (await pledges.client.get(f"{URL}/{draft['id']}/versions")).json() == []
    assert await _submitted(pledges, bus, launched.campaign_id) == []
    listed = await pledges.client.get(
        URL, params={"campaign_id": str(launched.campaign_id), "status": "draft"}, headers=HEAD_VP
    )
    assert [r["id"] for r in listed.json()["items"]] == [draft["id"]]


async def test_a_draft_is_changed_with_if_match_only(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    draft = await _save_draft(pledges, new_registration(launched.campaign_id))
    url = f"{URL}/{draft['id']}"
    content = {"collective_title": None, "members": new_members("NV003")}

    unconditional = await pledges.client.put(url, json=content, headers=HEAD_VP)
    assert unconditional.status_code == 428, unconditional.text
    assert unconditional.json()["field"] == "If-Match"
    changed = await pledges.client.put(
        url, json=content, headers={**HEAD_VP, "If-Match": f'"{draft["version"]}"'}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] > draft["version"]
    assert changed.headers["ETag"] == f'"{changed.json()["version"]}"'
    assert [m["staff_code"] for m in changed.json()["members"]] == ["NV003"]
    assert (changed.json()["status"], changed.json()["collective_title"]) == ("draft", None)
    stale = await pledges.client.put(
        url,
        json={"members": new_members("NV004")},
        headers={**HEAD_VP, "If-Match": f'"{draft["version"]}"'},
    )
    assert stale.status_code == 412, stale.text
    assert stale.json()["field"] == "If-Match"
    duplicate = await pledges.client.put(
        url,
        json={"members": new_members("NV005", "NV005")},
        headers={"If-Match": changed.headers["ETag"]},
    )
    assert duplicate.status_code == 422
    assert duplicate.json()["field"] == "members[1].staff_code"
    unknown_task = await pledges.client.put(
        url,
        json={"members": [], "commitments": [{"task_number": 9}]},
        headers={"If-Match": changed.headers["ETag"]},
    )
    assert unknown_task.status_code == 422
    assert unknown_task.json()["field"] == "commitments[0].task_number"
    after = (await pledges.client.get(url)).json()
    assert (after["version"], [m["staff_code"] for m in after["members"]]) == (
        changed.json()["version"],
        ["NV003"],
    )
    assert await _submitted(pledges, bus, launched.campaign_id) == []


async def test_submitting_a_draft_announces_it_and_keeps_version_1(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    draft = await _save_draft(pledges, new_registration(launched.campaign_id))
    url = f"{URL}/{draft['id']}"

    submitted = await pledges.client.post(
        f"{url}/submit", headers={**HEAD_VP, "If-Match": f'"{draft["version"]}"'}
    )

    assert submitted.status_code == 200, submitted.text
    read = submitted.json()
    assert (read["status"], read["submission_number"]) == ("submitted", 1)
    assert read["submitted_at"] is not None
    [version] = (await pledges.client.get(f"{url}/versions")).json()
    assert version["submission_number"] == 1
    assert [m["staff_code"] for m in version["members"]] == ["NV001", "NV002"]
    assert version["collective_title"] == "tap_the_lao_dong_xuat_sac"
    [event] = await _submitted(pledges, bus, launched.campaign_id)
    assert (str(event.registration_id), event.version) == (draft["id"], 1)
    # Once submitted, it is reviewed like any other registration.
    approved = await pledges.client.post(
        f"{url}/approve", headers={"If-Match": f'"{read["version"]}"'}
    )
    assert approved.status_code == 200, approved.text


async def test_a_registration_is_submitted_once(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    draft = await _save_draft(pledges, new_registration(launched.campaign_id))
    url = f"{URL}/{draft['id']}"
    assert (await pledges.client.post(f"{url}/submit", headers=HEAD_VP)).status_code == 200

    again = await pledges.client.post(f"{url}/submit", headers=HEAD_VP)
    changed = await pledges.client.put(
        url, json={"members": []}, headers={**HEAD_VP, "If-Match": '"2"'}
    )

    for refused in (again, changed):
        assert refused.status_code == 409, refused.text
        assert refused.json()["field"] == "status"
    assert len(await _submitted(pledges, bus, launched.campaign_id)) == 1
    assert len((await pledges.client.get(f"{url}/versions")).json()) == 1
    second_draft = await pledges.client.post(
        URL, json={**new_registration(launched.campaign_id), "draft": True}
    )
    assert second_draft.status_code == 409
    assert second_draft.json()["field"] == "unit_code"


async def test_a_draft_is_saved_after_the_deadline_but_submitted_only_with_an_extension(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    at(2018, 4, 2)
    draft = await _save_draft(pledges, new_registration(launched.campaign_id))
    url = f"{URL}/{draft['id']}"

    late = await pledges.client.post(f"{url}/submit", headers=HEAD_VP)
    assert late.status_code == 409, late.text
    assert late.json()["field"] == "registration_deadline"
    assert (await pledges.client.get(url)).json()["status"] == "draft"
    assert await _submitted(pledges, bus, launched.campaign_id) == []

    granted = await pledges.client.put(
        f"/pledges/campaigns/{launched.campaign_id}/extensions/VP",
        headers={"If-Match": "*"},
        json={"until": "2018-04-05", "reason": "Đơn vị đang kiện toàn tổ chức"},
    )
    assert granted.status_code == 200, granted.text
    extended = await pledges.client.post(f"{url}/submit", headers=HEAD_VP)
    assert extended.status_code == 200, extended.text
    assert len(await _submitted(pledges, bus, launched.campaign_id)) == 1


async def test_a_unit_head_cannot_touch_another_units_draft(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    refused_create = await pledges.client.post(
        URL,
        json={**new_registration(launched.campaign_id, unit_code="TTCNTT"), "draft": True},
        headers=HEAD_VP,
    )
    assert refused_create.status_code == 403, refused_create.text
    assert refused_create.json()["field"] == "unit_code"

    theirs = await _save_draft(pledges, new_registration(launched.campaign_id, unit_code="TTCNTT"))
    url = f"{URL}/{theirs['id']}"
    if_match = {**HEAD_VP, "If-Match": f'"{theirs["version"]}"'}
    # As for every other record of another unit: it answers as if it did not exist.
    for refused in (
        await pledges.client.put(url, json={"members": new_members("NV009")}, headers=if_match),
        await pledges.client.post(f"{url}/submit", headers=if_match),
    ):
        assert refused.status_code == 404, refused.text
        assert refused.json()["field"] == "registration_id"
    observer = {**bearer(Role.OBSERVER), "If-Match": f'"{theirs["version"]}"'}
    assert (await pledges.client.post(f"{url}/submit", headers=observer)).status_code == 403
    after = (await pledges.client.get(url)).json()
    assert (after["status"], after["version"]) == ("draft", theirs["version"])
    assert [m["staff_code"] for m in after["members"]] == ["NV001", "NV002"]
    assert await _submitted(pledges, bus, launched.campaign_id) == []
    own_head = {**bearer(Role.UNIT_HEAD, "TTCNTT"), "If-Match": f'"{theirs["version"]}"'}
    assert (await pledges.client.post(f"{url}/submit", headers=own_head)).status_code == 200


async def test_a_returned_registration_is_changed_then_resubmitted(
    pledges: RunningService,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    created = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    url = f"{URL}/{created.json()['id']}"
    returned = await pledges.client.post(f"{url}/return", json={"reason": "Bổ sung"})
    assert returned.status_code == 200, returned.text

    changed = await pledges.client.put(
        url, json={"members": new_members("NV007")}, headers={"If-Match": returned.headers["ETag"]}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["submission_number"]) == ("returned", 1)
    resubmitted = await pledges.client.post(
        f"{url}/resubmit",
        json={"members": new_members("NV007", "NV008")},
        headers={"If-Match": changed.headers["ETag"]},
    )
    assert resubmitted.status_code == 200, resubmitted.text
    versions = (await pledges.client.get(f"{url}/versions")).json()
    assert [[m["staff_code"] for m in v["members"]] for v in versions] == [
        ["NV001", "NV002"],
        ["NV007", "NV008"],
    ]


async def test_no_draft_for_a_campaign_not_launched_or_cancelled(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    unknown = await pledges.client.post(URL, json={**new_registration(uuid4()), "draft": True})
    assert unknown.status_code == 409
    assert unknown.json()["field"] == "campaign_id"
    outside = await pledges.client.post(
        URL, json={**new_registration(launched.campaign_id, unit_code="SOYTE"), "draft": True}
    )
    assert outside.status_code == 422
    assert outside.json()["field"] == "unit_code"
    draft = await _save_draft(pledges, new_registration(launched.campaign_id))
    await pledges.deliver(
        CampaignCancelled(
            campaign_id=launched.campaign_id,
            reason="Hợp nhất vào phong trào chung của tỉnh",
            cancelled_at=datetime(2018, 2, 1, 2, 0, tzinfo=UTC),
        )
    )

    refusals = [
        await pledges.client.post(
            URL, json={**new_registration(launched.campaign_id, unit_code="TTCNTT"), "draft": True}
        ),
        await pledges.client.put(
            f"{URL}/{draft['id']}", json={"members": []}, headers={"If-Match": '"1"'}
        ),
        await pledges.client.post(f"{URL}/{draft['id']}/submit"),
    ]
    for refused in refusals:
        assert refused.status_code == 409, refused.text
        assert refused.json()["field"] == "campaign_id"
        assert refused.json()["campaign_status"] == "cancelled"


async def test_progress_shows_a_draft_as_not_yet_submitted(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    draft = await _save_draft(pledges, new_registration(launched.campaign_id))
    submitted = await pledges.client.post(
        URL, json=new_registration(launched.campaign_id, unit_code="TTCNTT")
    )
    assert submitted.status_code == 201, submitted.text

    progress = await pledges.client.get(f"/pledges/campaigns/{launched.campaign_id}/progress")

    assert progress.status_code == 200, progress.text
    units = {u["unit_code"]: u for u in progress.json()["units"]}
    assert (units["VP"]["registration_status"], units["VP"]["registration_id"]) == (
        "draft",
        draft["id"],
    )
    assert units["TTCNTT"]["registration_status"] == "submitted"
    assert progress.json()["counts"] == {
        "not_registered": 0,
        "draft": 1,
        "submitted": 1,
        "returned": 0,
        "approved": 0,
    }
