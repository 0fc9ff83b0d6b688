"""Relay publish benchmark: the batch publisher against aio-pika's public publish.

    uv run python bench/relay_publish.py [--messages 20000] [--batch 500] [--rounds 3]

Publishes the same small events, in batches of the relay's size, to a topic exchange bound to a
quorum queue on the local RabbitMQ, with publisher confirms and `mandatory`, two ways: the
relay's `BatchPublisher` (one buffer and one socket write per batch, on aiormq's internals), and
aio-pika's `exchange.publish` per message with the batch's confirms gathered, as the relay did
before. The rounds alternate the two; it prints messages per second and this process's CPU per
message for each round, and RabbitMQ's, then the medians. This is the figure behind docs/adr/0009.
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from uuid import uuid4

import aio_pika
import aiormq
import psutil
from aio_pika.abc import AbstractChannel, AbstractExchange

from thidua_shared.contracts.envelope import STRUCTURED_CONTENT_TYPE
from thidua_shared.platform.batch_publish import BatchPublisher
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.testing import AMQP_URL

ROUTING_KEY = "bench.published"
# About the size of a small event's envelope (an id, a type, a source, a few fields of data).
BODY = '{"specversion":"1.0","type":"bench.published","source":"/bench","data":{"seq":%d}}' + (
    " " * 250
)

Publish = Callable[[Sequence[OutgoingMessage]], Awaitable[None]]


def _messages(count: int) -> list[OutgoingMessage]:
    return [OutgoingMessage(str(uuid4()), ROUTING_KEY, BODY % n) for n in range(count)]


def batch_publisher(channel: AbstractChannel, exchange: str) -> Publish:
    publisher = BatchPublisher(exchange)

    async def publish(batch: Sequence[OutgoingMessage]) -> None:
        underlay = await channel.get_underlay_channel()
        assert isinstance(underlay, aiormq.Channel)
        outcomes = await publisher.publish(underlay, batch)
        assert not any(outcomes), "every message confirmed"

    return publish


def aio_pika_publisher(exchange: AbstractExchange) -> Publish:
    async def publish(batch: Sequence[OutgoingMessage]) -> None:
        await asyncio.gather(
            *(
                exchange.publish(
                    aio_pika.Message(
                        m.body.encode(),
                        content_type=STRUCTURED_CONTENT_TYPE,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        message_id=m.event_id,
                        type=m.event_type,
                    ),
                    routing_key=m.event_type,
                    mandatory=True,
                )
                for m in batch
            )
        )

    return publish


def _broker_cpu() -> float:
    """CPU seconds used so far by the RabbitMQ node (its Erlang VM) on this machine."""
    total = 0.0
    for process in psutil.process_iter(["name"]):
        if (process.info["name"] or "").startswith("beam"):
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
    return total


async def _round(
    publish: Publish, messages: list[OutgoingMessage], batch: int
) -> tuple[float, float, float]:
    """Seconds of wall time, of this process's CPU and of the broker's CPU."""
    started, cpu, broker = time.perf_counter(), time.process_time(), _broker_cpu()
    for first in range(0, len(messages), batch):
        await publish(messages[first : first + batch])
    return time.perf_counter() - started, time.process_time() - cpu, _broker_cpu() - broker


async def run(count: int, batch: int, rounds: int) -> None:
    suffix = uuid4().hex[:8]
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.declare_exchange(
            f"bench.publish.{suffix}", aio_pika.ExchangeType.TOPIC, auto_delete=True
        )
        queue = await channel.declare_queue(
            f"bench.publish.{suffix}", durable=True, arguments={"x-queue-type": "quorum"}
        )
        await queue.bind(exchange, routing_key=ROUTING_KEY)
        ways = {
            "batch publisher": batch_publisher(channel, exchange.name),
            "aio-pika publish": aio_pika_publisher(exchange),
        }
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in ways}
        try:
            for number in range(rounds):
                for name, publish in ways.items():
                    messages = _messages(count)
                    elapsed, cpu, broker = await _round(publish, messages, batch)
                    figures = (count / elapsed, cpu / count * 1000, broker / count * 1000)
                    results[name].append(figures)
                    print(f"round {number + 1}  {_line(name, figures)}", flush=True)
                    await queue.purge()
        finally:
            await queue.delete(if_unused=False, if_empty=False)
    print(f"\n{count} messages in batches of {batch}, medians of {rounds} rounds:")
    for name, rounds_of in results.items():
        medians = tuple(statistics.median(f[i] for f in rounds_of) for i in range(3))
        print(f"  {_line(name, medians)}")


def _line(name: str, figures: Sequence[float]) -> str:
    rate, cpu_ms, broker_ms = figures
    return (
        f"{name:<17} {rate:>8.0f} msg/s   CPU ms per message: "
        f"publisher {cpu_ms:.3f}, rabbitmq {broker_ms:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500, help="the relay's batch size")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.batch, args.rounds))


if __name__ == "__main__":
    main()
