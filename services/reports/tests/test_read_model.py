from collections.abc import Callable
from typing import Any
from uuid import uuid4

from thidua_shared.contracts.campaigns import CampaignLaunched, PhaseClosed
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.testing import RunningService

Body = Callable[..., dict[str, Any]]


async def test_a_phase_closed_before_the_launch_stays_closed(
    reports: RunningService,
    new_report: Body,
    launch_event: Callable[..., CampaignLaunched],
    close_event: Callable[..., PhaseClosed],
    approval_event: Callable[..., PledgeApproved],
) -> None:
    campaign_id = uuid4()
    await reports.deliver(close_event(campaign_id, 2))
    # The registrations' approvals overtake the launch too.
    for unit in ("VP", "TTCNTT"):
        await reports.deliver(approval_event(campaign_id, unit))
    early = await reports.client.post(
        "/reports/reports", json=new_report(campaign_id, phase_number=2)
    )
    assert early.status_code == 409
    assert early.json()["field"] == "campaign_id"

    await reports.deliver(launch_event(campaign_id))
    final = await reports.client.post(
        "/reports/reports", json=new_report(campaign_id, phase_number=2)
    )
    assert final.status_code == 201, final.text
    assert final.json()["kind"] == "final"
    pending = await reports.client.post(
        "/reports/reports", json=new_report(campaign_id, phase_number=1)
    )
    assert pending.status_code == 409
    assert pending.json()["field"] == "phase_number"

    # The same plan announced again (a new event id, so the inbox lets it through).
    await reports.deliver(launch_event(campaign_id))
    second_unit = await reports.client.post(
        "/reports/reports", json=new_report(campaign_id, phase_number=2, unit_code="TTCNTT")
    )
    assert second_unit.status_code == 201, second_unit.text
