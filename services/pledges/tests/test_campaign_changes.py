"""Amendments, cancellation and the unit directory, as the campaigns service announces them."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from pledges.models import DirectoryCluster
from pledges.read_model.campaigns import LaunchNotReceived
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignCancelled,
    CampaignClosed,
    CampaignLaunched,
    ClusterSnapshot,
    TaskSnapshot,
    UnitSnapshot,
)
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.contracts.envelope import new_envelope
from thidua_shared.testing import RunningService

Body = Callable[..., dict[str, Any]]
Launch = Callable[..., CampaignLaunched]
URL = "/pledges/registrations"
AMENDED_AT = datetime(2018, 2, 1, 2, 0, tzinfo=UTC)


def amendment(launch: CampaignLaunched, number: int, **changes: Any) -> CampaignAmended:
    return CampaignAmended(
        **{**launch.model_dump(), **changes},
        amendment_number=number,
        reason="Điều chỉnh kế hoạch",
        changed_fields=sorted(changes),
        amended_at=AMENDED_AT,
    )


def progress_url(launch: CampaignLaunched) -> str:
    return f"/pledges/campaigns/{launch.campaign_id}/progress"


async def test_an_amendment_replaces_units_clusters_tasks_and_deadline(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    units = [
        UnitSnapshot(code="VP", name="Văn phòng Sở", cluster="Cụm 2"),
        UnitSnapshot(code="TTDL", name="Trung tâm Dữ liệu"),
    ]
    amended = amendment(
        launched,
        1,
        units=units,
        clusters=[ClusterSnapshot(name="Cụm 2", unit_codes=["VP", "TTDL"])],
        tasks=[TaskSnapshot(number=9, content="Nhiệm vụ bổ sung", targets=[])],
        registration_deadline=date(2018, 1, 31),
    )
    envelope = await pledges.deliver(amended, source="/thidua/campaigns")
    await pledges.deliver(amended, envelope=envelope)

    progress = (await pledges.client.get(progress_url(launched))).json()
    assert progress["registration_deadline"] == "2018-01-31"
    assert [(u["unit_code"], u["cluster"]) for u in progress["units"]] == [
        ("TTDL", "Cụm 2"),
        ("VP", "Cụm 2"),
    ]
    removed = await pledges.client.post(
        URL, json=new_registration(launched.campaign_id, unit_code="TTCNTT")
    )
    assert (removed.status_code, removed.json()["field"]) == (422, "unit_code")
    # The clock reads 01/02/2018: the amended deadline has passed.
    late = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    assert (late.status_code, late.json()["field"]) == (409, "registration_deadline")


async def test_an_older_amendment_or_a_late_launch_does_not_undo_a_newer_one(
    pledges: RunningService, launched: CampaignLaunched
) -> None:
    second = amendment(launched, 2, title="Kế hoạch sửa đổi lần 2")
    first = amendment(launched, 1, title="Kế hoạch sửa đổi lần 1")
    await pledges.deliver(second)
    await pledges.deliver(first)
    await pledges.deliver(launched, envelope=new_envelope(launched, source="/x", subject=None))

    progress = (await pledges.client.get(progress_url(launched))).json()
    assert progress["title"] == "Kế hoạch sửa đổi lần 2"


async def test_an_amendment_that_overtakes_the_launch_stands_for_it(
    pledges: RunningService, new_launch: Launch, new_registration: Body
) -> None:
    launch = new_launch()
    await pledges.deliver(amendment(launch, 1, title="Kế hoạch đã sửa"))
    await pledges.deliver(launch)

    assert (await pledges.client.get(progress_url(launch))).json()["title"] == "Kế hoạch đã sửa"
    created = await pledges.client.post(URL, json=new_registration(launch.campaign_id))
    assert created.status_code == 201, created.text


async def test_a_cancelled_campaign_refuses_every_write_saying_why(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = (await pledges.client.post(URL, json=new_registration(launched.campaign_id))).json()
    covenant = await pledges.client.post(
        "/pledges/covenants",
        json={"campaign_id": str(launched.campaign_id), "cluster": "Cụm 1", "items": ["Giao ước"]},
    )
    assert covenant.status_code == 201, covenant.text
    cancelled = CampaignCancelled(
        campaign_id=launched.campaign_id,
        reason="Hợp nhất vào phong trào chung của tỉnh",
        cancelled_at=AMENDED_AT,
    )
    envelope = await pledges.deliver(cancelled)
    await pledges.deliver(cancelled, envelope=envelope)
    # A closing that follows does not hide the cancellation.
    await pledges.deliver(CampaignClosed(campaign_id=launched.campaign_id, closed_at=AMENDED_AT))

    refusals = [
        await pledges.client.post(
            URL, json=new_registration(launched.campaign_id, unit_code="TTCNTT")
        ),
        await pledges.client.post(f"{URL}/{created['id']}/approve"),
        await pledges.client.post(
            f"/pledges/covenants/{covenant.json()['id']}/signatures",
            json={"unit_code": "VP", "signer_name": "Trần Văn A", "signer_title": "Chánh VP"},
        ),
        await pledges.client.put(
            f"/pledges/campaigns/{launched.campaign_id}/extensions/VP",
            headers={"If-Match": "*"},
            json={"until": "2018-04-30", "reason": "Gia hạn"},
        ),
    ]
    for response in refusals:
        assert response.status_code == 409, response.text
        problem = response.json()
        assert (problem["field"], problem["campaign_status"]) == ("campaign_id", "cancelled")
        assert "Hợp nhất vào phong trào chung của tỉnh" in problem["detail"]
    assert (await pledges.client.get(f"{URL}/{created['id']}")).json()["status"] == "submitted"
    progress = (await pledges.client.get(progress_url(launched))).json()
    assert progress["status"] == "cancelled"


async def test_a_cancellation_that_overtakes_the_launch_waits_for_it(
    pledges: RunningService, new_launch: Launch
) -> None:
    launch = new_launch()
    cancelled = CampaignCancelled(
        campaign_id=launch.campaign_id, reason="Hủy", cancelled_at=AMENDED_AT
    )
    envelope = new_envelope(cancelled, source="/thidua/campaigns", subject=None)
    with pytest.raises(LaunchNotReceived):
        await pledges.deliver(cancelled, envelope=envelope)
    await pledges.deliver(launch)
    await pledges.deliver(cancelled, envelope=envelope)
    assert (await pledges.client.get(progress_url(launch))).json()["status"] == "cancelled"


async def test_the_directory_keeps_the_latest_unit_name_and_cluster(
    pledges: RunningService, launched: CampaignLaunched
) -> None:
    later = datetime(2018, 3, 1, tzinfo=UTC)
    renamed = UnitChanged(code="VP", name="Văn phòng Sở (mới)", changed_at=later)
    stale = UnitChanged(code="VP", name="Tên cũ", changed_at=datetime(2018, 1, 1, tzinfo=UTC))
    envelope = await pledges.deliver(renamed)
    await pledges.deliver(renamed, envelope=envelope)
    await pledges.deliver(stale)
    cluster = ClusterChanged(
        code="C1", name="Cụm 1", unit_codes=["VP", "TTCNTT"], year=2018, changed_at=later
    )
    await pledges.deliver(cluster)
    await pledges.deliver(
        cluster.model_copy(update={"leader_unit": "VP", "changed_at": AMENDED_AT})
    )

    progress = (await pledges.client.get(progress_url(launched))).json()
    names = {u["unit_code"]: u["unit_name"] for u in progress["units"]}
    assert names == {"VP": "Văn phòng Sở (mới)", "TTCNTT": "Trung tâm Công nghệ thông tin"}
    async with pledges.runtime.sessionmaker() as session:
        kept = await session.get_one(DirectoryCluster, "C1")
        assert (kept.unit_codes, kept.leader_unit, kept.year) == (["VP", "TTCNTT"], None, 2018)
