from collections.abc import Callable
from typing import Any
from uuid import uuid4

from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.contracts.pledges import PledgeApproved, PledgeReturned, PledgeSubmitted
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer

Body = Callable[..., dict[str, Any]]
Members = Callable[..., list[dict[str, Any]]]
URL = "/pledges/registrations"


async def _register(pledges: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    """The unit's head registers; the office reviews with the client's default token."""
    response = await pledges.client.post(
        URL, json=body, headers=bearer(Role.UNIT_HEAD, body["unit_code"])
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_return_resubmit_approve_keeps_every_submission(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    created = await _register(pledges, new_registration(launched.campaign_id))
    base = f"{URL}/{created['id']}"

    returned = await pledges.client.post(
        f"{base}/return", json={"reason": "Bổ sung cá nhân đăng ký Chiến sĩ thi đua cơ sở"}
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "Bổ sung cá nhân đăng ký Chiến sĩ thi đua cơ sở"

    revised = [
        *new_members("NV002", "NV003"),
        *new_members("NV001", title="chien_si_thi_dua_co_so"),
    ]
    resubmitted = await pledges.client.post(
        f"{base}/resubmit",
        json={"collective_title": "tap_the_lao_dong_xuat_sac", "members": revised},
        headers={**bearer(Role.UNIT_HEAD, "VP"), "If-Match": returned.headers["ETag"]},
    )
    assert resubmitted.status_code == 200, resubmitted.text
    assert resubmitted.json()["status"] == "submitted"
    assert resubmitted.json()["submission_number"] == 2
    assert resubmitted.json()["return_reason"] is None
    assert [m["staff_code"] for m in resubmitted.json()["members"]] == ["NV002", "NV003", "NV001"]

    approved = await pledges.client.post(
        f"{base}/approve", headers={"If-Match": resubmitted.headers["ETag"]}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.headers["ETag"] == f'"{approved.json()["version"]}"'

    versions = (await pledges.client.get(f"{base}/versions")).json()
    assert [v["submission_number"] for v in versions] == [1, 2]
    assert [m["staff_code"] for m in versions[0]["members"]] == ["NV001", "NV002"]
    assert versions[0]["return_reason"] == "Bổ sung cá nhân đăng ký Chiến sĩ thi đua cơ sở"
    assert [m["staff_code"] for m in versions[1]["members"]] == ["NV002", "NV003", "NV001"]
    assert versions[1]["returned_at"] is None

    await pledges.drain_outbox()
    mine = [e for e in bus.published if e.subject == f"registrations/{created['id']}"]
    assert [e.type for e in mine] == [
        "pledge.submitted",
        "pledge.returned",
        "pledge.submitted",
        "pledge.approved",
    ]
    submitted = [e.payload(PledgeSubmitted).version for e in mine if e.type == "pledge.submitted"]
    assert submitted == [1, 2]
    announced_return: PledgeReturned = mine[1].payload(PledgeReturned)
    assert announced_return.version == 1
    assert announced_return.reason == versions[0]["return_reason"]
    approval: PledgeApproved = mine[3].payload(PledgeApproved)
    assert approval.version == 2
    assert approval.collective_title == "tap_the_lao_dong_xuat_sac"
    assert [(m.staff_code, m.title_aimed) for m in approval.members] == [
        ("NV002", "lao_dong_tien_tien"),
        ("NV003", "lao_dong_tien_tien"),
        ("NV001", "chien_si_thi_dua_co_so"),
    ]


async def test_transitions_only_from_their_status(
    pledges: RunningService,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    created = await _register(pledges, new_registration(launched.campaign_id))
    base = f"{URL}/{created['id']}"
    content = {"members": new_members("NV001")}

    early_resubmit = await pledges.client.post(f"{base}/resubmit", json=content)
    assert early_resubmit.status_code == 409
    assert early_resubmit.json()["field"] == "status"
    assert (await pledges.client.post(f"{base}/approve")).status_code == 200
    for action, body in (("approve", None), ("return", {"reason": "Sai"}), ("resubmit", content)):
        response = await pledges.client.post(f"{base}/{action}", json=body)
        assert response.status_code == 409, action
        assert response.json()["field"] == "status"


async def test_a_retried_approval_replays_the_first_answer_and_announces_once(
    pledges: RunningService,
    bus: RecordingBus,
    launched: CampaignLaunched,
    new_registration: Body,
) -> None:
    created = await _register(pledges, new_registration(launched.campaign_id))
    base = f"{URL}/{created['id']}"
    headers = {"Idempotency-Key": str(uuid4()), "If-Match": f'"{created["version"]}"'}

    first = await pledges.client.post(f"{base}/approve", headers=headers)
    # The If-Match it carries is stale by now: the replay answers before the version check.
    again = await pledges.client.post(f"{base}/approve", headers=headers)

    assert first.status_code == again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert (await pledges.client.get(base)).json()["version"] == first.json()["version"]
    await pledges.drain_outbox()
    mine = [e.type for e in bus.published if e.subject == f"registrations/{created['id']}"]
    assert mine == ["pledge.submitted", "pledge.approved"]


async def test_return_needs_a_reason_and_a_current_etag(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _register(pledges, new_registration(launched.campaign_id))
    base = f"{URL}/{created['id']}"

    blank = await pledges.client.post(f"{base}/return", json={"reason": "  "})
    assert blank.status_code == 422
    assert blank.json()["field"] == "reason"
    stale = await pledges.client.post(
        f"{base}/return", json={"reason": "Thiếu danh sách"}, headers={"If-Match": '"99"'}
    )
    assert stale.status_code == 412
    assert stale.json()["field"] == "If-Match"
    assert (await pledges.client.get(base)).json()["status"] == "submitted"


async def test_resubmission_with_duplicate_staff_codes_changes_nothing(
    pledges: RunningService,
    launched: CampaignLaunched,
    new_registration: Body,
    new_members: Members,
) -> None:
    created = await _register(pledges, new_registration(launched.campaign_id))
    base = f"{URL}/{created['id']}"
    await pledges.client.post(f"{base}/return", json={"reason": "Bổ sung"})

    response = await pledges.client.post(
        f"{base}/resubmit", json={"members": new_members("NV005", "NV005")}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "members[1].staff_code"
    after = (await pledges.client.get(base)).json()
    assert (after["status"], after["submission_number"]) == ("returned", 1)
    assert [m["staff_code"] for m in after["members"]] == ["NV001", "NV002"]


async def test_a_return_names_single_commitments_and_members_and_a_resubmission_clears_them(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _register(pledges, new_registration(launched.campaign_id))
    base = f"{URL}/{created['id']}"
    staff_code = created["members"][0]["staff_code"]
    item_reasons = [
        *(
            {"item": f"commitment:{n}", "reason": "Chỉ tiêu thấp hơn kế hoạch giao."}
            for n in range(1, len(created["commitments"]) + 1)
        ),
        {"item": f"member:{staff_code}", "reason": "Thiếu chức vụ."},
    ]

    beyond = len(created["commitments"]) + 1
    for wrong in ("member:KHONGCO", f"commitment:{beyond}"):
        unknown = await pledges.client.post(
            f"{base}/return",
            json={"reason": "Bổ sung", "item_reasons": [{"item": wrong, "reason": "Sửa"}]},
        )
        assert unknown.status_code == 422, unknown.text
        assert unknown.json()["field"] == "item_reasons[0].item"
    assert (await pledges.client.get(base)).json()["status"] == "submitted"

    returned = await pledges.client.post(
        f"{base}/return", json={"reason": "Bổ sung", "item_reasons": item_reasons}
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["item_reasons"] == item_reasons
    versions = (await pledges.client.get(f"{base}/versions")).json()
    assert versions[-1]["item_reasons"] == item_reasons

    current = returned.json()
    resubmitted = await pledges.client.post(
        f"{base}/resubmit",
        json={"collective_title": current["collective_title"], "members": current["members"]},
        headers={
            **bearer(Role.UNIT_HEAD, current["unit_code"]),
            "If-Match": returned.headers["ETag"],
        },
    )
    assert resubmitted.status_code == 200, resubmitted.text
    assert resubmitted.json()["item_reasons"] == []
