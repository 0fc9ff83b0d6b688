"""Nominations compile exactly once when phase.reviewed arrives reversed and duplicated,
through the real RabbitMQ into the awards service's real database."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from uuid import uuid4

import aio_pika
import pytest
from sqlalchemy import text

from awards.main import spec as awards_spec
from tests.support.broker import BrokerNames, isolated_broker_names, queue_depth
from tests.support.waiting import eventually
from thidua_shared.contracts.campaigns import CampaignLaunched, PhaseSnapshot, UnitSnapshot
from thidua_shared.contracts.envelope import Envelope, EventData, new_envelope
from thidua_shared.contracts.pledges import PledgeApproved, RegisteredMember
from thidua_shared.contracts.reports import (
    ApprovedReportRef,
    MemberEvaluation,
    PhaseReviewed,
    ReportApproved,
)
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.platform.rabbit import RabbitBus
from thidua_shared.testing import AMQP_URL, RunningService, migrated_database, running_service


@pytest.fixture
async def names() -> AsyncIterator[BrokerNames]:
    async with isolated_broker_names(("awards",)) as broker_names:
        yield broker_names


@pytest.fixture
async def awards(names: BrokerNames) -> AsyncIterator[RunningService]:
    database = await migrated_database(awards_spec, "thidua_test_compile_once")
    async with running_service(
        awards_spec,
        database,
        amqp_url=AMQP_URL,
        exchange=names.exchange,
        queue_prefix=names.queue_prefix,
        retry_backoff_seconds=0.05,
    ) as service:
        yield service


def _member(unit: str, number: int) -> RegisteredMember:
    return RegisteredMember(
        staff_code=f"{unit}-{number}",
        full_name=f"Nguyễn Văn {number}",
        title_aimed="lao_dong_tien_tien",
    )


def _event(data: EventData) -> Envelope:
    return new_envelope(data, source="/thidua/test", subject=None)


async def test_reversed_and_duplicated_phase_reviews_compile_once(
    awards: RunningService, names: BrokerNames
) -> None:
    campaign_id = uuid4()
    units = ["VP", "TTCNTT", "TTRA"]
    phases = 3
    launched = _event(
        CampaignLaunched(
            campaign_id=campaign_id,
            document_number="60/KH-STTTT",
            title="Phong trào 2018",
            year=2018,
            period_start=date(2018, 1, 1),
            period_end=date(2018, 12, 31),
            rule_set="law-2013-decree-91-2017",
            phases=[
                PhaseSnapshot(
                    number=n,
                    name=f"Đợt {n}",
                    starts_on=date(2018, 1, 1),
                    ends_on=date(2018, 12, 31),
                )
                for n in range(1, phases + 1)
            ],
            units=[UnitSnapshot(code=u, name=u) for u in units],
            clusters=[],
            launched_at=datetime.now(UTC),
        )
    )
    registrations = [
        _event(
            PledgeApproved(
                registration_id=uuid4(),
                campaign_id=campaign_id,
                unit_code=u,
                version=1,
                collective_title="tap_the_lao_dong_tien_tien",
                members=[_member(u, n) for n in (1, 2)],
                approved_at=datetime.now(UTC),
            )
        )
        for u in units
    ]
    report_ids = {(u, n): uuid4() for u in units for n in range(1, phases + 1)}
    reports = [
        _event(
            ReportApproved(
                report_id=report_ids[u, n],
                campaign_id=campaign_id,
                phase_number=n,
                unit_code=u,
                version=1,
                self_assessment="tot",
                approved_at=datetime.now(UTC),
                kind="final" if n == phases else "preliminary",
                member_evaluations=[
                    MemberEvaluation(
                        staff_code=m.staff_code, full_name=m.full_name, task_rating="tot"
                    )
                    for m in (_member(u, 1), _member(u, 2))
                ]
                if n == phases
                else [],
            )
        )
        for u in units
        for n in range(1, phases + 1)
    ]
    reviews = [
        _event(
            PhaseReviewed(
                campaign_id=campaign_id,
                phase_number=n,
                phases_total=phases,
                approved_reports=[
                    ApprovedReportRef(unit_code=u, report_id=report_ids[u, n]) for u in units
                ],
                reviewed_at=datetime.now(UTC),
            )
        )
        for n in range(phases, 0, -1)
    ]
    republished = [r.model_copy(update={"id": str(uuid4())}) for r in reviews]
    # Reviews reversed, duplicated and ahead of everything; registrations precede reports, as
    # they must (a unit reports only once registered).
    stream = [*reviews, launched, *registrations, *reports, *reviews, *republished, launched]

    publisher = RabbitBus(AMQP_URL, exchange=names.exchange)
    await publisher.start()
    announcements = f"{names.queue_prefix}announcements"
    connection = await aio_pika.connect(AMQP_URL)
    channel = await connection.channel()
    watch = await channel.declare_queue(
        announcements, durable=True, arguments={"x-queue-type": "quorum"}
    )
    await watch.bind(names.exchange, routing_key="nominations.compiled")
    try:
        failed = await publisher.publish(
            [OutgoingMessage(e.id, e.type, e.model_dump_json()) for e in stream]
        )
        assert not failed
    finally:
        await publisher.stop()

    async def processed() -> int:
        async with awards.runtime.engine.connect() as conn:
            return int((await conn.execute(text("SELECT count(*) FROM inbox"))).scalar_one())

    distinct_ids = len({e.id for e in stream})
    await eventually(processed, lambda n: n == distinct_ids, what="every distinct event consumed")
    async with awards.runtime.engine.connect() as conn:
        compilations = (
            await conn.execute(
                text("SELECT count(*) FROM compilations WHERE campaign_id = :id"),
                {"id": campaign_id},
            )
        ).scalar_one()
    assert compilations == 1
    await awards.drain_outbox()
    await eventually(
        lambda: queue_depth(announcements), lambda n: n >= 1, what="nominations.compiled published"
    )
    await asyncio.sleep(0.5)
    assert await queue_depth(announcements) == 1
    await watch.delete(if_unused=False, if_empty=False)
    await connection.close()
    response = await awards.client.get(
        "/awards/nominations", params={"campaign_id": str(campaign_id)}
    )
    nominated_units = {
        n["subject_code"] for n in response.json()["items"] if n["subject_kind"] == "unit"
    }
    assert nominated_units == set(units), response.text[:3000]
