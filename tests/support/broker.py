"""Per-test RabbitMQ names and cleanup, so runs never see each other's queues."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import uuid4

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from thidua_shared.testing import AMQP_URL


@dataclass(frozen=True)
class BrokerNames:
    exchange: str
    queue_prefix: str

    def queue(self, service: str) -> str:
        return f"{self.queue_prefix}{service}"


@asynccontextmanager
async def isolated_broker_names(services: tuple[str, ...] = ()) -> AsyncIterator[BrokerNames]:
    tag = uuid4().hex[:10]
    names = BrokerNames(exchange=f"test.{tag}.events", queue_prefix=f"test.{tag}.")
    try:
        yield names
    finally:
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            queues = [names.queue(s) for s in services]
            queues += [f"{q}.dlq" for q in queues] + [f"{names.exchange}.archive"]
            for queue in queues:
                await channel.queue_delete(queue)
            for exchange in (names.exchange, f"{names.exchange}.dlx"):
                await channel.exchange_delete(exchange)


async def queue_depth(queue: str, url: str = AMQP_URL) -> int:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        return declared.declaration_result.message_count or 0


async def read_archive(
    exchange: str,
    count: int | None = None,
    *,
    patience: float = 30,
    quiet: float = 1.5,
    url: str = AMQP_URL,
) -> list[bytes]:
    """Every message the events exchange carried, from the beginning of its archive stream:
    `count` of them, or without a count all there are (none new for `quiet` seconds)."""
    bodies: list[bytes] = []
    done = asyncio.Event()
    arrived = asyncio.Event()
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        # Streams need a prefetch and a manual ack; the offset says where to start reading.
        await channel.set_qos(prefetch_count=500)
        archive = await channel.declare_queue(f"{exchange}.archive", passive=True)

        async def on_message(message: AbstractIncomingMessage) -> None:
            bodies.append(message.body)
            await message.ack()
            arrived.set()
            if count is not None and len(bodies) >= count:
                done.set()

        tag = await archive.consume(on_message, arguments={"x-stream-offset": "first"})
        try:
            if count is not None:
                await asyncio.wait_for(done.wait(), patience)
            else:
                with contextlib.suppress(TimeoutError):
                    while True:
                        arrived.clear()
                        await asyncio.wait_for(arrived.wait(), quiet)
        finally:
            await archive.cancel(tag)
    return bodies
