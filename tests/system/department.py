"""What another department does: bind its own queue to the events exchange and read CloudEvents,
de-duplicated by id since delivery is at-least-once; replay the archive stream."""

import asyncio
from collections import Counter
from dataclasses import dataclass, field

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from cloudevents.core.bindings.rabbitmq import RabbitMQMessage, from_rabbitmq
from cloudevents.core.formats.json import JSONFormat

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.testing import AMQP_URL


@dataclass
class DepartmentQueue:
    exchange: str
    queue: str
    # Every delivery, repeats included; `ids` counts the deliveries of each event id.
    events: list[dict[str, object]] = field(default_factory=list)
    ids: Counter[str] = field(default_factory=Counter)

    async def __aenter__(self) -> "DepartmentQueue":
        self._connection = await aio_pika.connect_robust(AMQP_URL)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=100)
        exchange = await channel.declare_exchange(
            self.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        self._queue = await channel.declare_queue(
            self.queue, durable=True, arguments={"x-queue-type": "quorum"}
        )
        await self._queue.bind(exchange, routing_key="#")
        await self._queue.consume(self._on_message)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._queue.delete(if_unused=False, if_empty=False)
        await self._connection.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        event = from_rabbitmq(
            RabbitMQMessage(
                headers={k: str(v) for k, v in (message.headers or {}).items()},
                content_type=message.content_type,
                body=message.body,
            ),
            JSONFormat(),
        )
        self.ids[event.get_id()] += 1
        self.events.append(
            {
                "id": event.get_id(),
                "type": event.get_type(),
                "source": event.get_source(),
                "data": event.get_data(),
                "correlationid": event.get_extension("correlationid"),
            }
        )
        await message.ack()

    def count(self, event_type: str) -> int:
        """Distinct events of a type, however many times each was delivered."""
        return len({e["id"] for e in self.events if e["type"] == event_type})

    async def wait_for(self, expected: dict[str, int], timeout: float = 30) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while any(self.count(t) < n for t, n in expected.items()):
            if asyncio.get_running_loop().time() > deadline:
                seen = {t: self.count(t) for t in expected}
                raise AssertionError(f"expected {expected}, saw {seen}")
            await asyncio.sleep(0.1)


async def read_archive_until_quiet(
    exchange: str, quiet_seconds: float = 2.0
) -> dict[str, Envelope]:
    """Every event the exchange carried, from the beginning of its archive stream, by id: the
    stream keeps a repeated publication twice, so it is read until nothing more comes rather
    than up to a count."""
    events: dict[str, Envelope] = {}
    arrived = asyncio.Event()
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        # Streams need a prefetch and a manual ack; the offset says where to start reading.
        await channel.set_qos(prefetch_count=500)
        archive = await channel.declare_queue(f"{exchange}.archive", passive=True)

        async def on_message(message: AbstractIncomingMessage) -> None:
            envelope = Envelope.model_validate_json(message.body)
            events.setdefault(envelope.id, envelope)
            await message.ack()
            arrived.set()

        tag = await archive.consume(on_message, arguments={"x-stream-offset": "first"})
        try:
            while True:
                arrived.clear()
                try:
                    await asyncio.wait_for(arrived.wait(), quiet_seconds)
                except TimeoutError:
                    break
        finally:
            await archive.cancel(tag)
    return events
