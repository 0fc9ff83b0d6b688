"""A batch written in one socket write is confirmed message by message, like aio-pika's publish."""

from uuid import uuid4

import aio_pika
import aiormq

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
