"""A batch written in one socket write is confirmed message by message, like aio-pika's publish;
and the aiormq internals it is built on are still there."""

import dataclasses
from importlib.metadata import version
from uuid import uuid4

import aio_pika
import aiormq
import pytest
from aiormq.abc import ChannelFrame
from pamqp.body import ContentBody

from tests.support.broker import BrokerNames
from thidua_shared.contracts.envelope import STRUCTURED_CONTENT_TYPE
from thidua_shared.platform.batch_publish import BatchPublisher
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.testing import AMQP_URL


async def test_each_message_is_confirmed_or_fails_on_its_own(names: BrokerNames) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.declare_exchange(
            names.exchange, aio_pika.ExchangeType.TOPIC, auto_delete=True
        )
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(exchange, routing_key="probe.routed")
        # A body longer than the negotiated frame size travels in several body frames.
        large = "x" * 300_000
        messages = [
            OutgoingMessage(str(uuid4()), "probe.routed", '{"n": 1, "note": "Quyết định"}'),
            OutgoingMessage(str(uuid4()), "probe.nowhere", '{"n": 2}'),
            OutgoingMessage(str(uuid4()), "probe.routed", large),
        ]
        underlay = await channel.get_underlay_channel()
        assert isinstance(underlay, aiormq.Channel)
        publisher = BatchPublisher(names.exchange)

        outcomes = await publisher.publish(underlay, messages)
        assert outcomes[0] is None
        assert isinstance(outcomes[1], aiormq.exceptions.PublishError), "returned unroutable"
        assert outcomes[2] is None
        # The channel's delivery tags stay in step with the broker's: a later batch confirms.
        assert await publisher.publish(underlay, messages[:1]) == [None]

        received = []
        for _ in range(3):
            message = await queue.get(timeout=5)
            await message.ack()
            received.append(message)
        assert [m.body.decode() for m in received] == [
            messages[0].body,
            messages[2].body,
            messages[0].body,
        ]
        first = received[0]
        assert first.message_id == messages[0].event_id
        assert first.type == "probe.routed"
        assert first.content_type == STRUCTURED_CONTENT_TYPE
        assert first.delivery_mode == aio_pika.DeliveryMode.PERSISTENT


# What platform/batch_publish.py uses of aiormq's channel beyond its public API. aiormq is
# bounded to the tested minor version (shared/pyproject.toml, docs/adr/0009); one that renames
# or drops any of these fails here, by name, instead of in a relay in production.
_CHANNEL_INTERNALS = {
    "_split_body": "splits a body into frames of the negotiated frame size",
    "write_queue": "the connection's writer, handed one buffer per batch",
    "confirmations": "delivery tag -> future, resolved by aiormq on the broker's ack or nack",
    "message_id_delivery_tag": "message id -> delivery tag, failed by aiormq on a return",
    "delivery_tag": "the last delivery tag given on the channel",
    "lock": "keeps publishers' delivery tags in the order the broker sees the messages",
    "create_future": "futures cancelled by aiormq when the channel closes",
    "publisher_confirms": "whether the channel confirms",
    "number": "the channel number marshalled into every frame",
}


async def test_the_aiormq_internals_the_batch_publisher_relies_on_are_there() -> None:
    connection = await aiormq.connect(AMQP_URL)
    try:
        channel = await connection.channel(publisher_confirms=True)
        assert isinstance(channel, aiormq.Channel)
        missing = [
            f"Channel.{name} ({use})"
            for name, use in _CHANNEL_INTERNALS.items()
            if not hasattr(channel, name)
        ]
        frame_fields = {field.name for field in dataclasses.fields(ChannelFrame)}
        missing += [
            f"ChannelFrame.{name}"
            for name in ("payload", "should_close", "drain_future")
            if name not in frame_fields
        ]
        if not missing:
            parts = channel._split_body(b"x" * 10)
            if not (isinstance(parts, list) and all(isinstance(p, ContentBody) for p in parts)):
                missing.append("Channel._split_body returning a list of pamqp ContentBody")
            if not isinstance(channel.confirmations, dict):
                missing.append("Channel.confirmations as a dict")
    finally:
        await connection.close()
    if missing:
        pytest.fail(
            f"aiormq {version('aiormq')} (aio-pika {version('aio-pika')}) lacks what "
            f"thidua_shared/platform/batch_publish.py relies on: {'; '.join(missing)}. "
            "Adapt the batch publisher to this version or keep the bound in shared/pyproject.toml "
            "(docs/adr/0009).",
            pytrace=False,
        )
