"""The registration deadline, the office's extensions, and a campaign's progress."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest

from thidua_shared.contracts.campaigns import CampaignLaunched, ClusterSnapshot, UnitSnapshot
from thidua_shared.platform.auth import Role
from thidua_shared.platform.clock import set_clock
from thidua_shared.testing import RecordingBus, RunningService, bearer

Body = Callable[..., dict[str, Any]]
Launch = Callable[..., CampaignLaunched]
URL = "/pledges/registrations"
VIETNAM = timezone(timedelta(hours=7))
CLUSTERS = {"Cụm 1": ("VP", "TTCNTT", "TTDL"), "Cụm 2": ("SOYT", "STC"), "Cụm 3": ("SNV",)}


def at(year: int, month: int, day: int, hour: int = 9) -> None:
    """Moves the clock to that hour of that day in Vietnam."""
    moment = datetime(year, month, day, hour, tzinfo=VIETNAM).astimezone(UTC)
    set_clock(lambda: moment)


def extension_url(campaign_id: UUID, unit_code: str) -> str:
    return f"/pledges/campaigns/{campaign_id}/extensions/{unit_code}"


def extension(until: str, reason: str = "Đơn vị đang kiện toàn tổ chức") -> dict[str, str]:
    return {"until": until, "reason": reason}


async def _count(pledges: RunningService, campaign_id: UUID) -> int:
    page = await pledges.client.get(URL, params={"campaign_id": str(campaign_id)})
    assert page.status_code == 200, page.text
    total: int = page.json()["total"]
    return total


async def _submitted(pledges: RunningService, bus: RecordingBus, campaign_id: UUID) -> int:
    await pledges.drain_outbox()
    return sum(
        1 for e in bus.of_type("pledge.submitted") if e.data["campaign_id"] == str(campaign_id)
    )


async def test_a_submission_after_the_deadline_is_refused_and_writes_nothing(
    pledges: RunningService, bus: RecordingBus, launched: CampaignLaunched, new_registration: Body
) -> None:
    at(2018, 3, 31, hour=23)  # the last evening is still in time
    assert (await pledges.client.post(URL, json=new_registration(launched.campaign_id))).is_success
    # 01/04/2018 06:00 in Vietnam is still 31/03 in UTC: Vietnam's day counts.
    at(2018, 4, 1, hour=6)
    body = new_registration(launched.campaign_id, unit_code="TTCNTT")
    response = await pledges.client.post(URL, json=body)

    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["field"] == "registration_deadline"
    assert "31/03/2018" in problem["detail"]
    assert await _count(pledges, launched.campaign_id) == 1
    assert await _submitted(pledges, bus, launched.campaign_id) == 1


async def test_an_extension_lets_the_unit_submit_until_its_own_day(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    granted = await pledges.client.put(
        extension_url(launched.campaign_id, "TTCNTT"),
        headers={"If-Match": "*"},
        json=extension("2018-04-10"),
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["until"] == "2018-04-10"
    assert granted.json()["granted_by"] == "office:agency"
    regranted = await pledges.client.put(
        extension_url(launched.campaign_id, "TTCNTT"),
        headers={"If-Match": "*"},
        json=extension("2018-04-15", "Thêm"),
    )
    assert (regranted.json()["until"], regranted.json()["reason"]) == ("2018-04-15", "Thêm")

    at(2018, 4, 15, hour=22)
    body = new_registration(launched.campaign_id, unit_code="TTCNTT")
    assert (await pledges.client.post(URL, json=body)).status_code == 201
    other = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    assert other.status_code == 409
    assert other.json()["field"] == "registration_deadline"


async def test_a_resubmission_after_the_deadline_needs_an_extension(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    base = f"{URL}/{created.json()['id']}"
    returned = await pledges.client.post(f"{base}/return", json={"reason": "Thiếu"})
    assert returned.status_code == 200, returned.text
    content = {"members": [{"staff_code": "NV003", "full_name": "Lê Thị Ba"}]}

    at(2018, 4, 2)
    late = await pledges.client.post(f"{base}/resubmit", json=content)
    assert late.status_code == 409
    assert late.json()["field"] == "registration_deadline"
    unchanged = await pledges.client.get(base)
    assert (unchanged.json()["status"], unchanged.json()["submission_number"]) == ("returned", 1)

    granted = await pledges.client.put(
        extension_url(launched.campaign_id, "VP"),
        headers={"If-Match": "*"},
        json=extension("2018-04-05"),
    )
    assert granted.status_code == 200, granted.text
    resubmitted = await pledges.client.post(f"{base}/resubmit", json=content)
    assert resubmitted.status_code == 200, resubmitted.text
    assert resubmitted.json()["submission_number"] == 2


async def test_only_the_office_grants_extensions(
    pledges: RunningService, launched: CampaignLaunched
) -> None:
    url = extension_url(launched.campaign_id, "VP")
    for headers in (bearer(Role.UNIT_HEAD, "VP"), bearer(Role.OBSERVER)):
        response = await pledges.client.put(
            url, json=extension("2018-04-10"), headers={**headers, "If-Match": "*"}
        )
        assert response.status_code == 403
    progress = await pledges.client.get(f"/pledges/campaigns/{launched.campaign_id}/progress")
    assert progress.json()["units"][1]["extension_until"] is None


@pytest.mark.parametrize(
    ("unit_code", "until", "status", "field"),
    [
        ("VP", "2018-03-30", 422, "until"),
        ("SOYTE", "2018-04-10", 422, "unit_code"),
        ("VP", "10/04/2018", 422, "until"),
    ],
    ids=["before-the-deadline", "unit-not-participating", "not-a-date"],
)
async def test_a_bad_extension_names_the_field_and_changes_nothing(
    pledges: RunningService,
    launched: CampaignLaunched,
    unit_code: str,
    until: str,
    status: int,
    field: str,
) -> None:
    response = await pledges.client.put(
        extension_url(launched.campaign_id, unit_code),
        headers={"If-Match": "*"},
        json=extension(until),
    )
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    progress = await pledges.client.get(f"/pledges/campaigns/{launched.campaign_id}/progress")
    assert [u["extension_until"] for u in progress.json()["units"]] == [None, None]


async def test_an_unknown_campaign_is_404(pledges: RunningService) -> None:
    campaign_id = uuid4()
    granted = await pledges.client.put(
        extension_url(campaign_id, "VP"), headers={"If-Match": "*"}, json=extension("2018-04-10")
    )
    progress = await pledges.client.get(f"/pledges/campaigns/{campaign_id}/progress")
    assert (granted.status_code, progress.status_code) == (404, 404)
    assert granted.json()["field"] == progress.json()["field"] == "campaign_id"


async def test_progress_shows_each_unit_and_each_cluster(
    pledges: RunningService, new_launch: Launch, new_registration: Body
) -> None:
    launch = new_launch().model_copy(
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
    await pledges.deliver(launch, source="/thidua/campaigns")
    campaign_id = launch.campaign_id
    ids: dict[str, str] = {}
    for unit in ("VP", "TTCNTT", "TTDL", "SOYT"):
        created = await pledges.client.post(URL, json=new_registration(campaign_id, unit_code=unit))
        assert created.status_code == 201, created.text
        ids[unit] = created.json()["id"]
    returned = await pledges.client.post(f"{URL}/{ids['TTCNTT']}/return", json={"reason": "Sai"})
    assert returned.status_code == 200
    for unit in ("TTDL", "SOYT"):
        assert (await pledges.client.post(f"{URL}/{ids[unit]}/approve")).status_code == 200
    granted = await pledges.client.put(
        extension_url(campaign_id, "STC"), headers={"If-Match": "*"}, json=extension("2018-04-20")
    )
    assert granted.status_code == 200
    # Cụm 1's covenant is half signed, Cụm 2's fully, Cụm 3 has none.
    covenants = "/pledges/covenants"
    for cluster, signers in (("Cụm 1", ["VP"]), ("Cụm 2", ["SOYT", "STC"])):
        body = {"campaign_id": str(campaign_id), "cluster": cluster, "items": ["Giao ước"]}
        covenant = await pledges.client.post(covenants, json=body)
        assert covenant.status_code == 201, covenant.text
        for unit in signers:
            signature = {"unit_code": unit, "signer_name": "Trần Văn A", "signer_title": "GĐ"}
            signed = await pledges.client.post(
                f"{covenants}/{covenant.json()['id']}/signatures", json=signature
            )
            assert signed.status_code == 201, signed.text

    response = await pledges.client.get(
        f"/pledges/campaigns/{campaign_id}/progress", headers=bearer(Role.COUNCIL_MEMBER)
    )

    assert response.status_code == 200, response.text
    progress = response.json()
    assert (progress["title"], progress["registration_deadline"]) == (launch.title, "2018-03-31")
    units = {u["unit_code"]: u for u in progress["units"]}
    assert list(units) == sorted(code for codes in CLUSTERS.values() for code in codes)
    assert {code: u["registration_status"] for code, u in units.items()} == {
        "VP": "submitted",
        "TTCNTT": "returned",
        "TTDL": "approved",
        "SOYT": "approved",
        "STC": "not_registered",
        "SNV": "not_registered",
    }
    assert units["VP"]["registration_id"] == ids["VP"]
    assert units["STC"]["registration_id"] is None
    assert (units["STC"]["extension_until"], units["VP"]["extension_until"]) == ("2018-04-20", None)
    assert (units["TTDL"]["unit_name"], units["TTDL"]["cluster"]) == ("Đơn vị TTDL", "Cụm 1")
    assert progress["counts"] == {
        "not_registered": 2,
        "draft": 0,
        "submitted": 1,
        "returned": 1,
        "approved": 2,
    }
    clusters = {c["cluster"]: c for c in progress["clusters"]}
    assert list(clusters) == ["Cụm 1", "Cụm 2", "Cụm 3"]
    first, second, third = clusters["Cụm 1"], clusters["Cụm 2"], clusters["Cụm 3"]
    assert first["member_units"] == ["TTCNTT", "TTDL", "VP"]
    assert (first["covenant_status"], first["signed"], first["not_signed"]) == (
        "open",
        ["VP"],
        ["TTCNTT", "TTDL"],
    )
    assert (second["covenant_status"], second["signed"], second["not_signed"]) == (
        "in_force",
        ["SOYT", "STC"],
        [],
    )
    assert (third["covenant_status"], third["covenant_id"]) == ("none", None)
    assert (third["signed"], third["not_signed"]) == ([], ["SNV"])
    assert (first["in_force_at"], second["in_force_at"] is not None) == (None, True)
    assert [(s["unit_code"], s["signer_name"]) for s in first["signatures"]] == [
        ("VP", "Trần Văn A")
    ]
    assert [s["unit_code"] for s in second["signatures"]] == ["SOYT", "STC"]
    assert second["in_force_at"] == second["signatures"][-1]["signed_at"]


async def test_a_unit_head_may_not_read_progress(
    pledges: RunningService, launched: CampaignLaunched
) -> None:
    response = await pledges.client.get(
        f"/pledges/campaigns/{launched.campaign_id}/progress", headers=bearer(Role.UNIT_HEAD, "VP")
    )
    assert response.status_code == 403
