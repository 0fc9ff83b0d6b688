from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from pledges.read_model.campaigns import LaunchNotReceived
from thidua_shared.contracts.campaigns import CampaignClosed, CampaignLaunched, PhaseClosed
from thidua_shared.contracts.envelope import new_envelope
from thidua_shared.testing import RunningService

Body = Callable[..., dict[str, Any]]
Launch = Callable[..., CampaignLaunched]
URL = "/pledges/registrations"
CLOSED_AT = datetime(2018, 12, 31, 17, 0, tzinfo=UTC)


async def test_redelivered_launch_is_harmless(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    first = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    assert first.status_code == 201

    # A copy under a new event id gets past the inbox and meets the upsert; its exact
    # redelivery stops at the inbox.
    copy = new_envelope(launched, source="/thidua/campaigns", subject=None)
    await pledges.deliver(launched, envelope=copy)
    await pledges.deliver(launched, envelope=copy)

    again = await pledges.client.post(
        URL, json=new_registration(launched.campaign_id, unit_code="TTCNTT")
    )
    assert again.status_code == 201
    assert (await pledges.client.get(f"{URL}/{first.json()['id']}")).status_code == 200


async def test_closed_campaign_freezes_its_registrations(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    base = f"{URL}/{created.json()['id']}"

    closed = CampaignClosed(campaign_id=launched.campaign_id, closed_at=CLOSED_AT)
    envelope = await pledges.deliver(closed, source="/thidua/campaigns")
    await pledges.deliver(closed, envelope=envelope)

    approve = await pledges.client.post(f"{base}/approve")
    assert approve.status_code == 409
    assert approve.json()["field"] == "campaign_id"
    returned = await pledges.client.post(f"{base}/return", json={"reason": "Bổ sung"})
    assert returned.status_code == 409
    late = await pledges.client.post(
        URL, json=new_registration(launched.campaign_id, unit_code="TTCNTT")
    )
    assert late.status_code == 409
    assert late.json()["field"] == "campaign_id"
    assert (await pledges.client.get(base)).json()["status"] == "submitted"


async def test_the_last_phase_closing_freezes_registrations_but_an_earlier_one_does_not(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    base = f"{URL}/{created.json()['id']}"
    total = len(launched.phases)
    for number in range(1, total + 1):
        await pledges.deliver(
            PhaseClosed(
                campaign_id=launched.campaign_id,
                phase_number=number,
                phases_total=total,
                is_last=number == total,
                closed_at=CLOSED_AT,
            )
        )
        if number == 1 < total:
            other = await pledges.client.post(
                URL, json=new_registration(launched.campaign_id, unit_code="TTCNTT")
            )
            assert other.status_code == 201, "an earlier phase's close froze registrations"

    approve = await pledges.client.post(f"{base}/approve")
    assert approve.status_code == 409
    assert approve.json()["field"] == "campaign_id"


async def test_a_late_launch_copy_does_not_reopen_a_closed_campaign(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    await pledges.deliver(CampaignClosed(campaign_id=launched.campaign_id, closed_at=CLOSED_AT))
    await pledges.deliver(launched, source="/thidua/campaigns")

    response = await pledges.client.post(URL, json=new_registration(launched.campaign_id))
    assert response.status_code == 409
    assert response.json()["field"] == "campaign_id"


async def test_closing_that_overtakes_the_launch_waits_for_it(
    pledges: RunningService, new_launch: Launch, new_registration: Body
) -> None:
    launch = new_launch()
    closed = CampaignClosed(campaign_id=launch.campaign_id, closed_at=CLOSED_AT)
    envelope = new_envelope(closed, source="/thidua/campaigns", subject=None)
    with pytest.raises(LaunchNotReceived):
        await pledges.deliver(closed, envelope=envelope)

    await pledges.deliver(launch, source="/thidua/campaigns")
    await pledges.deliver(closed, envelope=envelope)

    response = await pledges.client.post(URL, json=new_registration(launch.campaign_id))
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
