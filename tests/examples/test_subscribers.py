"""The example subscribers of examples/ read our events on the real broker, each id once.

Each test runs one example as a child process with its own dept.* queue on an exchange of its
own, publishes CloudEvents exactly as the services' relay does (structured JSON, routing key =
event type), and reads what the program printed.
"""

import json
import unicodedata
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from uuid import uuid4

import aio_pika
import pytest

from tests.examples.subscribers import LANGUAGES, Finished, subscriber
from thidua_shared.contracts.campaigns import (
    CampaignLaunched,
    ClusterSnapshot,
    PhaseSnapshot,
    UnitSnapshot,
)
from thidua_shared.contracts.envelope import STRUCTURED_CONTENT_TYPE, Envelope, new_envelope
from thidua_shared.contracts.pledges import CovenantSigned, PledgeSubmitted
from thidua_shared.contracts.reports import ReportReturned
from thidua_shared.testing import AMQP_URL

PLAN_TITLE = unicodedata.normalize("NFC", "Kế hoạch phát động phong trào thi đua năm 2018")
RETURN_REASON = unicodedata.normalize("NFC", "Thiếu số liệu chỉ tiêu đợt 1; đề nghị bổ sung")


@pytest.fixture
async def exchange() -> AsyncIterator[str]:
    """A topic exchange of this test only, declared as the services declare thidua.events."""
    name = f"test.{uuid4().hex[:10]}.events"
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)
        yield name
        await channel.exchange_delete(name)


@pytest.fixture
async def queue() -> AsyncIterator[str]:
    name = f"dept.test-{uuid4().hex[:10]}"
    yield name
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(name)


def events_of_2018() -> list[Envelope]:
    campaign_id = uuid4()
    at = datetime(2018, 1, 9, 8, 0, tzinfo=UTC)
    launched = CampaignLaunched(
        campaign_id=campaign_id,
        document_number="60/KH-STTTT",
        title=PLAN_TITLE,
        year=2018,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        rule_set="law-2013-decree-91-2017",
        phases=[
            PhaseSnapshot(
                number=1, name="Đợt 1", starts_on=date(2018, 1, 1), ends_on=date(2018, 6, 30)
            ),
            PhaseSnapshot(
                number=2, name="Đợt 2", starts_on=date(2018, 7, 1), ends_on=date(2018, 12, 31)
            ),
        ],
        units=[
            UnitSnapshot(code="VP", name="Văn phòng Sở", cluster="Cụm 1"),
            UnitSnapshot(code="TTr", name="Thanh tra Sở", cluster="Cụm 1"),
        ],
        clusters=[ClusterSnapshot(name="Cụm 1", unit_codes=["VP", "TTr"])],
        launched_at=at,
    )
    submitted = PledgeSubmitted(
        registration_id=uuid4(), campaign_id=campaign_id, unit_code="VP", version=1, submitted_at=at
    )
    signed = CovenantSigned(
        covenant_id=uuid4(),
        campaign_id=campaign_id,
        cluster="Cụm 1",
        unit_code="TTr",
        signed_at=at,
        in_force=True,
    )
    returned = ReportReturned(
        report_id=uuid4(),
        campaign_id=campaign_id,
        phase_number=1,
        unit_code="VP",
        version=1,
        reason=RETURN_REASON,
        returned_at=at,
    )
    published = (
        (launched, "/thidua/campaigns", f"campaigns/{campaign_id}"),
        (submitted, "/thidua/pledges", f"registrations/{submitted.registration_id}"),
        (signed, "/thidua/pledges", f"covenants/{signed.covenant_id}"),
        (returned, "/thidua/reports", f"reports/{returned.report_id}"),
    )
    return [
        new_envelope(data, source=source, subject=subject, time=at)
        for data, source, subject in published
    ]


async def publish(exchange_name: str, envelopes: list[Envelope]) -> None:
    """As the outbox relay publishes: persistent, structured JSON, routing key = event type."""
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(exchange_name, ensure=True)
        for envelope in envelopes:
            await exchange.publish(
                aio_pika.Message(
                    envelope.model_dump_json().encode(),
                    content_type=STRUCTURED_CONTENT_TYPE,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    message_id=envelope.id,
                    type=envelope.type,
                ),
                routing_key=envelope.type,
            )


def with_a_duplicate(envelopes: list[Envelope]) -> list[Envelope]:
    """At-least-once delivery: the first event arrives again, same id, among the others."""
    return [*envelopes[:2], envelopes[0], *envelopes[2:]]


def printed_ids(finished: Finished, *, as_json: bool = False) -> list[str]:
    assert finished.returncode == 0, finished.stderr
    if as_json:
        return [str(json.loads(line)["id"]) for line in finished.lines]
    return [line.split("  ")[2] for line in finished.lines]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_event_is_printed_once_with_its_type_subject_and_summary(
    language: str, exchange: str, queue: str
) -> None:
    envelopes = events_of_2018()
    async with subscriber(
        language, exchange=exchange, queue=queue, arguments=["--once", str(len(envelopes))]
    ) as running:
        await publish(exchange, with_a_duplicate(envelopes))
        finished = await running.finished()

    assert printed_ids(finished) == [e.id for e in envelopes], finished.stdout
    assert f"duplicate {envelopes[0].id} skipped" in finished.stderr
    for line, envelope in zip(finished.lines, envelopes, strict=True):
        time, event_type, event_id, subject, summary = line.split("  ", 4)
        assert time.startswith("2018-01-09T08:00:00")
        assert (event_type, event_id, subject) == (envelope.type, envelope.id, envelope.subject)
        assert summary
    assert f"document_number=60/KH-STTTT title={PLAN_TITLE}" in finished.lines[0]
    assert "year=2018" in finished.lines[0]
    assert "phase_number=1" in finished.lines[3]
    assert "in_force=" in finished.lines[2]
    # Summaries are cut at 100 characters, so the long reason shows only its beginning.
    assert unicodedata.normalize("NFC", "reason=Thiếu số liệu") in finished.lines[3]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_json_mode_prints_each_whole_event_with_its_vietnamese_text_intact(
    language: str, exchange: str, queue: str
) -> None:
    envelopes = events_of_2018()
    async with subscriber(
        language,
        exchange=exchange,
        queue=queue,
        arguments=["--json", "--once", str(len(envelopes))],
    ) as running:
        await publish(exchange, with_a_duplicate(envelopes))
        finished = await running.finished()

    assert printed_ids(finished, as_json=True) == [e.id for e in envelopes], finished.stdout
    printed = [json.loads(line) for line in finished.lines]
    for event, envelope in zip(printed, envelopes, strict=True):
        assert event["specversion"] == "1.0"
        assert event["id"] == envelope.id
        assert event["type"] == envelope.type
        assert event["source"] == envelope.source
        assert event["subject"] == envelope.subject
        assert event["correlationid"] == envelope.correlationid
        assert event["dataschema"] == envelope.dataschema
        assert event["data"] == envelope.data
    assert printed[0]["data"]["title"] == PLAN_TITLE
    assert printed[3]["data"]["reason"] == RETURN_REASON
    assert printed[2]["data"]["cluster"] == unicodedata.normalize("NFC", "Cụm 1")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_event_published_twice_under_one_id_is_printed_once(
    language: str, exchange: str, queue: str
) -> None:
    """At-least-once: a relay that crashed after publishing, before recording that it had,
    publishes the same event again, on a new connection, once others have gone out."""
    launched, submitted, signed, _ = events_of_2018()
    async with subscriber(
        language, exchange=exchange, queue=queue, arguments=["--json", "--once", "3"]
    ) as running:
        await publish(exchange, [launched, submitted])
        await publish(exchange, [launched, signed])
        finished = await running.finished()

    assert printed_ids(finished, as_json=True) == [launched.id, submitted.id, signed.id]
    assert finished.stderr.count(f"duplicate {launched.id} skipped") == 1


@pytest.mark.parametrize("language", LANGUAGES)
async def test_only_the_bound_event_types_arrive(language: str, exchange: str, queue: str) -> None:
    launched, submitted, signed, returned = events_of_2018()
    async with subscriber(
        language,
        exchange=exchange,
        queue=queue,
        arguments=["--bind", "campaign.launched", "--bind", "report.*", "--once", "2"],
    ) as running:
        await publish(exchange, [submitted, launched, signed, returned])
        finished = await running.finished()

    assert printed_ids(finished) == [launched.id, returned.id], finished.stdout
    assert submitted.id not in finished.stdout
    assert signed.id not in finished.stdout
