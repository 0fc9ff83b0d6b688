"""The broker's layout: one topic exchange, a quorum queue per consuming service with its own
dead-letter queue, and a stream that keeps every event for replay."""

from collections.abc import Sequence

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue


class RabbitTopology:
    def __init__(self, exchange: str) -> None:
        self.exchange = exchange
        self.dead_letter_exchange = f"{exchange}.dlx"
        self.archive_queue = f"{exchange}.archive"

    @staticmethod
    def dead_letter_queue(queue: str) -> str:
        return f"{queue}.dlq"

    async def bind_redrive(self, channel: AbstractChannel, queue: str) -> tuple[str, str]:
        """Binds `queue` to the dead-letter exchange under a key of its own and returns the
        exchange and key that reach it alone.

        Redriven messages go back this way: through the events exchange they would reach the
        other services bound to their type and the archive again, and publishing to the
        default exchange needs write access to `amq.default`, which reaches every queue and
        which the service accounts do not have. Binding again is harmless, so it is done
        before each redrive rather than at start.
        """
        routing_key = f"{queue}.redrive"
        declared = await channel.declare_queue(queue, passive=True)
        await declared.bind(self.dead_letter_exchange, routing_key=routing_key)
        return self.dead_letter_exchange, routing_key

    async def declare_exchanges(self, channel: AbstractChannel) -> AbstractExchange:
        exchange = await channel.declare_exchange(
            self.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        await channel.declare_exchange(
            self.dead_letter_exchange, aio_pika.ExchangeType.DIRECT, durable=True
        )
        # Every event lands in the archive stream too: nothing published is ever unroutable by
        # design, and a consumer can replay the whole history from offset "first".
        archive = await channel.declare_queue(
            self.archive_queue,
            durable=True,
            arguments={"x-queue-type": "stream", "x-max-age": "365D"},
        )
        await archive.bind(exchange, routing_key="#")
        return exchange

    async def declare_queue(
        self, channel: AbstractChannel, queue: str, event_types: Sequence[str], delivery_limit: int
    ) -> AbstractQueue:
        dead_letters = await channel.declare_queue(
            self.dead_letter_queue(queue), durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dead_letters.bind(self.dead_letter_exchange, routing_key=queue)
        main = await channel.declare_queue(
            queue,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": self.dead_letter_exchange,
                "x-dead-letter-routing-key": queue,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
                # A backstop for a message that kills its consumer before it can be rejected:
                # the broker dead-letters it after this many deliveries. It counts every
                # redelivery, those after a broker restart or a consumer crash too, so it sits
                # well above what faults cause (docs/adr/0008); a handler that fails is
                # rejected by the consumer after its own, smaller count of failures.
                "x-delivery-limit": delivery_limit,
            },
        )
        for event_type in event_types:
            await main.bind(self.exchange, routing_key=event_type)
        return main
