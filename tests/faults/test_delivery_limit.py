"""Faults never dead-letter a good message; a poison message is dead-lettered within 5 s.

Two counts decide when a message is given up: the consumer counts its handler's failures for
an event (5, with backoff) and rejects it into the dead-letter queue; the broker's
x-delivery-limit, which also counts the redeliveries caused by consumer crashes and broker
restarts, is only a backstop set well above what faults cause. Both on a node of our own.
"""

import asyncio
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import aio_pika
import pytest
from sqlalchemy import text

from reports.main import spec as reports_spec
from tests.reliability.worker import Probe, metadata
from tests.support.broker import BrokerNames, queue_depth
from tests.support.processes import ROOT
from tests.support.rabbit_node import RabbitNode
from tests.support.waiting import eventually
from thidua_shared.contracts.campaigns import PhaseClosed
from thidua_shared.contracts.envelope import Envelope, new_envelope
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.platform.db import make_engine
from thidua_shared.platform.faults import ENV_POINTS, ENV_REPORT
from thidua_shared.platform.rabbit import RabbitBus
from thidua_shared.testing import fresh_database, migrated_database, running_service

# More than the consumer's own count of handler failures (5): under the old single limit,
# the crashes alone would have dead-lettered this good message.
CONSUMER_KILLS = 6
BROKER_RESTARTS = 2


def _names(label: str) -> BrokerNames:
    tag = uuid4().hex[:8]
    return BrokerNames(exchange=f"faults.{label}.{tag}.events", queue_prefix=f"{label}.{tag}.")


def _message(envelope: Envelope) -> OutgoingMessage:
    return OutgoingMessage(envelope.id, envelope.type, envelope.model_dump_json())


async def _publish(node: RabbitNode, exchange: str, envelopes: list[Envelope]) -> None:
    publisher = RabbitBus(node.url, exchange=exchange)
    await publisher.start()
    try:
        assert not await publisher.publish([_message(e) for e in envelopes])
    finally:
        await publisher.stop()


def _phase_closed() -> Envelope:
    data = PhaseClosed(
        campaign_id=uuid4(),
        phase_number=1,
        phases_total=2,
        is_last=False,
        closed_at=datetime.now(UTC),
    )
    return new_envelope(data, source="/test", subject=None)


async def test_a_poison_message_is_dead_lettered_within_5_s_while_good_ones_flow(
    own_node: RabbitNode,
) -> None:
    """The reports service with its production settings; its handler cannot read the poison
    message's data, every time."""
    names = _names("poison")
    database = await migrated_database(reports_spec, "thidua_test_faults_poison")
    async with running_service(
        reports_spec,
        database,
        amqp_url=own_node.url,
        exchange=names.exchange,
        queue_prefix=names.queue_prefix,
    ) as service:
        good = [_phase_closed() for _ in range(20)]
        valid = _phase_closed()
        poison = valid.model_copy(update={"data": {**valid.data, "campaign_id": "no campaign"}})
        published = time.monotonic()
        await _publish(own_node, names.exchange, [poison, *good])

        async def applied() -> set[str]:
            async with service.runtime.engine.connect() as conn:
                rows = await conn.execute(text("SELECT event_id FROM inbox"))
                return {str(row.event_id) for row in rows}

        await eventually(
            applied, lambda ids: ids >= {e.id for e in good}, timeout=5, what="the good events"
        )
        good_after = time.monotonic() - published
        dead = f"{names.queue('reports')}.dlq"
        await eventually(
            lambda: queue_depth(dead, own_node.url),
            lambda n: n == 1,
            timeout=5 - (time.monotonic() - published),
            interval=0.1,
            what="the poison message in the dead-letter queue",
        )
        dead_after = time.monotonic() - published
        print(f"good events applied {good_after:.1f} s, poison dead-lettered {dead_after:.1f} s")
        assert poison.id not in await applied()
        assert await queue_depth(names.queue("reports"), own_node.url) == 0
        counted = await service.client.get("/reports/ops/dead-letters")
        assert counted.json()["broker_dead_letter_queue"] == 1, counted.text


@pytest.fixture
async def probe_db() -> str:
    url = await fresh_database("thidua_test_faults_probe")
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()
    return url


def _run_worker(
    node: RabbitNode, names: BrokerNames, db: str, report: Path, *, armed: bool
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "THIDUA_TEST_AMQP_URL": node.url,
        "WORKER_DB": db,
        "WORKER_EXCHANGE": names.exchange,
        "WORKER_QUEUE": names.queue("probe"),
        ENV_REPORT: str(report),
    }
    if armed:
        env[ENV_POINTS] = "consumer.after_commit"
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.worker", "consume"], cwd=ROOT, env=env
    )


async def _declared(node: RabbitNode, queue: str) -> bool:
    try:
        await queue_depth(queue, node.url)
    except aio_pika.exceptions.ChannelNotFoundEntity:
        return False
    return True


async def _delivery_count(node: RabbitNode, queue: str) -> int:
    """How often the broker has delivered the message waiting in `queue` (a peek, put back)."""
    connection = await aio_pika.connect(node.url)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        message = await declared.get(no_ack=False, timeout=5)
        assert message is not None
        count = (message.headers or {}).get("x-delivery-count", 0)
        await message.nack(requeue=True)
    assert isinstance(count, int)
    return count


@pytest.mark.timeout(180)
async def test_a_good_message_redelivered_by_crashes_and_broker_restarts_is_applied_once(
    own_node: RabbitNode, probe_db: str, tmp_path: Path
) -> None:
    names = _names("redelivered")
    report = tmp_path / "fault-points.report"
    envelope = new_envelope(Probe(seq=1), source="/test", subject=None)
    queue = names.queue("probe")
    for kill in range(CONSUMER_KILLS):
        # Each worker commits the event (its inbox absorbs the repeats) and dies before the ack.
        worker = _run_worker(own_node, names, probe_db, report, armed=True)
        if kill == 0:
            await eventually(lambda: _declared(own_node, queue), bool, what="the queue declared")
            await _publish(own_node, names.exchange, [envelope])
        code = await asyncio.to_thread(worker.wait, 60)
        assert code == -9, f"worker {kill + 1} was meant to die at its fault point: {code}"
        if kill % (CONSUMER_KILLS // BROKER_RESTARTS) == 0:
            await asyncio.to_thread(own_node.restart, 2.0)
    delivered = await _delivery_count(own_node, queue)

    worker = _run_worker(own_node, names, probe_db, report, armed=False)
    try:
        await eventually(
            lambda: asyncio.to_thread(own_node.ctl, "list_queues", "name", "messages", "-q"),
            lambda listed: f"{queue}\t0" in listed,
            timeout=30,
            interval=0.5,
            what="the message acked",
        )
    finally:
        worker.kill()
        worker.wait()

    engine = make_engine(probe_db)
    async with engine.connect() as conn:
        effects = [r.event_id for r in await conn.execute(text("SELECT event_id FROM effects"))]
    await engine.dispose()
    hits = report.read_text().splitlines()
    print(f"delivered {delivered} times before the last consumer; {len(hits)} crashes")
    assert len(hits) == CONSUMER_KILLS
    assert all(line.startswith("consumer.after_commit ") for line in hits)
    assert delivered > 5, "the crashes and restarts were meant to redeliver it more than 5 times"
    assert effects == [envelope.id], "applied once, not dead-lettered and not twice"
    assert await queue_depth(f"{queue}.dlq", own_node.url) == 0
