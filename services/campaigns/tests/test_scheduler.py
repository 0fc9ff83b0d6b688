"""Acceptance 3: phases open and close on their dates without anyone acting, exactly once
across restarts, clock jumps and two schedulers running at the same time."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from campaigns.main import spec
from campaigns.scheduler import run_due_transitions
from thidua_shared.contracts.campaigns import PhaseClosed, PhaseOpened
from thidua_shared.platform.db import transaction
from thidua_shared.testing import RecordingBus, RunningService, running_service

Body = Callable[..., dict[str, Any]]
MoveClock = Callable[[datetime], None]


def _at(year: int, month: int, day: int) -> datetime:
    # 03:00 UTC is 10:00 in Vietnam: the same calendar day for the agency.
    return datetime(year, month, day, 3, tzinfo=UTC)


async def _launched(campaigns: RunningService, body: dict[str, Any]) -> str:
    created = await campaigns.client.post("/campaigns/campaigns", json=body)
    campaign_id: str = created.json()["id"]
    response = await campaigns.client.post(f"/campaigns/campaigns/{campaign_id}/launch")
    assert response.status_code == 200, response.text
    return campaign_id


async def _step(campaigns: RunningService) -> int:
    runtime = campaigns.runtime
    async with transaction(runtime.sessionmaker, runtime.relay.wake) as session:
        return await run_due_transitions(session)


async def _history(campaigns: RunningService, bus: RecordingBus, campaign_id: str) -> list[str]:
    """The campaign's phase events in the order they were published."""
    await campaigns.drain_outbox()
    history = []
    for event in bus.published:
        if event.subject != f"campaigns/{campaign_id}":
            continue
        if event.type == "phase.opened":
            history.append(f"open {event.payload(PhaseOpened).phase_number}")
        elif event.type == "phase.closed":
            history.append(f"close {event.payload(PhaseClosed).phase_number}")
        elif event.type == "campaign.closed":
            history.append("campaign closed")
    return history


async def test_phases_follow_their_dates_and_a_restart_repeats_nothing(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body, clock: MoveClock
) -> None:
    clock(_at(2017, 12, 20))
    campaign_id = await _launched(campaigns, new_campaign())
    await _step(campaigns)
    assert await _history(campaigns, bus, campaign_id) == []

    clock(_at(2018, 1, 1))
    await _step(campaigns)
    await _step(campaigns)  # a restarted scheduler finds nothing left to do
    assert await _history(campaigns, bus, campaign_id) == ["open 1"]

    clock(_at(2018, 6, 30))
    await _step(campaigns)
    assert await _history(campaigns, bus, campaign_id) == ["open 1"]

    clock(_at(2018, 7, 1))
    await _step(campaigns)
    await _step(campaigns)
    assert await _history(campaigns, bus, campaign_id) == ["open 1", "close 1", "open 2"]
    calendar = (await campaigns.client.get(f"/campaigns/campaigns/{campaign_id}/calendar")).json()
    assert [p["number"] for p in calendar["open_now"]] == [2]
    assert calendar["next_to_close"]["ends_on"] == "2018-12-31"

    clock(_at(2019, 1, 1))
    await _step(campaigns)
    read = (await campaigns.client.get(f"/campaigns/campaigns/{campaign_id}")).json()
    assert read["status"] == "closed"
    assert [p["close_reason"] for p in read["phases"]] == [None, None]
    assert await _history(campaigns, bus, campaign_id) == [
        "open 1",
        "close 1",
        "open 2",
        "close 2",
        "campaign closed",
    ]


async def test_a_clock_jump_over_every_phase_opens_and_closes_each_in_order(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body, clock: MoveClock
) -> None:
    clock(_at(2017, 12, 1))
    campaign_id = await _launched(campaigns, new_campaign())
    clock(_at(2019, 3, 1))
    await _step(campaigns)
    assert await _history(campaigns, bus, campaign_id) == [
        "open 1",
        "close 1",
        "open 2",
        "close 2",
        "campaign closed",
    ]


async def test_two_schedulers_at_once_apply_each_transition_exactly_once(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body, clock: MoveClock
) -> None:
    clock(_at(2017, 12, 1))
    ids = [await _launched(campaigns, new_campaign()) for _ in range(8)]
    for moment in (_at(2018, 2, 1), _at(2018, 8, 1), _at(2019, 1, 2)):
        clock(moment)
        while any(await asyncio.gather(_step(campaigns), _step(campaigns))):
            pass
    for campaign_id in ids:
        assert await _history(campaigns, bus, campaign_id) == [
            "open 1",
            "close 1",
            "open 2",
            "close 2",
            "campaign closed",
        ]


async def test_the_office_and_the_scheduler_never_close_a_phase_twice(
    campaigns: RunningService, bus: RecordingBus, new_campaign: Body, clock: MoveClock
) -> None:
    clock(_at(2018, 1, 2))
    campaign_id = await _launched(campaigns, new_campaign())
    url = f"/campaigns/campaigns/{campaign_id}"
    await _step(campaigns)
    clock(_at(2018, 7, 2))
    office, _ = await asyncio.gather(
        campaigns.client.post(f"{url}/phases/1/close"), _step(campaigns)
    )
    assert office.status_code in (200, 409)
    await _step(campaigns)
    assert await _history(campaigns, bus, campaign_id) == ["open 1", "close 1", "open 2"]


async def test_the_scheduler_runs_inside_the_service_without_anyone_acting(
    campaigns_db: str, new_campaign: Body, clock: MoveClock
) -> None:
    bus = RecordingBus()
    clock(_at(2017, 12, 1))
    async with running_service(
        spec, campaigns_db, bus, scheduler_in_process=True, scheduler_interval_seconds=0.05
    ) as service:
        campaign_id = await _launched(service, new_campaign())
        clock(_at(2019, 1, 2))
        url = f"/campaigns/campaigns/{campaign_id}"
        async with asyncio.timeout(10):
            while (await service.client.get(url)).json()["status"] != "closed":  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        assert await _history(service, bus, campaign_id) == [
            "open 1",
            "close 1",
            "open 2",
            "close 2",
            "campaign closed",
        ]
