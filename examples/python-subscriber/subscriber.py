"""Another department's subscriber to thidua's events (thi đua – khen thưởng).

It declares its own durable queue (named dept.<something>), binds it to the events exchange for
the event types it wants, and prints every CloudEvent it receives, one line each (or the whole
event as JSON with --json). It uses only aio-pika and the CloudEvents SDK; nothing from thidua.

    pip install -r requirements.txt
    THIDUA_AMQP_URL=amqp://department:department-dev@127.0.0.1:5672/ \
        python subscriber.py --queue dept.noi-vu --bind campaign.launched --bind 'report.*'
"""

import argparse
import asyncio
import json
import os
import sys
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, TextIO

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from aio_pika.exceptions import ChannelNotFoundEntity
from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings.rabbitmq import RabbitMQMessage, from_rabbitmq
from cloudevents.core.formats.json import JSONFormat

DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_EXCHANGE = "thidua.events"
DEFAULT_QUEUE = "dept.example-python"
# Delivery is at-least-once: after a reconnect, a broker restart or a crash on thidua's side the
# same event (same id) may arrive again. This example remembers the ids it printed recently, in
# memory, so a restart forgets them; a real subscriber keeps them in its own database, written in
# the same transaction as the event's effect, so that it applies each event once for good.
REMEMBERED_IDS = 100_000
# Fields that say the most about an event, in the order they are shown in the summary.
SUMMARY_FIELDS = (
    "document_number",
    "title",
    "year",
    "unit_code",
    "cluster",
    "phase_number",
    "kind",
    "version",
    "subject_code",
    "reason",
    "in_force",
)
SUMMARY_LENGTH = 100


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Print thidua's events as they arrive.")
    parser.add_argument(
        "--queue",
        default=os.environ.get("THIDUA_DEPT_QUEUE", DEFAULT_QUEUE),
        help="your own durable queue; must start with 'dept.' (env THIDUA_DEPT_QUEUE)",
    )
    parser.add_argument(
        "--bind",
        action="append",
        metavar="ROUTING_KEY",
        help="an event type or topic pattern to receive, repeatable (default '#': everything)",
    )
    parser.add_argument("--once", type=int, metavar="N", help="exit after N distinct events")
    parser.add_argument("--json", action="store_true", help="print each whole event as JSON")
    arguments = parser.parse_args(argv)
    if not arguments.queue.startswith("dept."):
        parser.error(f"--queue {arguments.queue!r}: the department account may only use dept.*")
    if arguments.once is not None and arguments.once < 1:
        parser.error("--once must be at least 1")
    arguments.bind = arguments.bind or ["#"]
    return arguments


def summarize(data: object) -> str:
    if not isinstance(data, dict):
        return ""
    parts = [f"{name}={data[name]}" for name in SUMMARY_FIELDS if _is_scalar(data.get(name))]
    parts += [
        f"{name}: {len(value)}" for name, value in data.items() if isinstance(value, list) and value
    ]
    summary = " ".join(parts)
    return summary if len(summary) <= SUMMARY_LENGTH else summary[: SUMMARY_LENGTH - 1] + "…"


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool) and value != ""


def as_line(event: BaseCloudEvent) -> str:
    time = event.get_time()
    return "  ".join(
        (
            time.isoformat() if time else "-",
            event.get_type(),
            event.get_id(),
            event.get_subject() or "-",
            summarize(event.get_data()),
        )
    )


def as_json(event: BaseCloudEvent) -> str:
    whole: dict[str, Any] = json.loads(JSONFormat().write(event))
    return json.dumps(whole, ensure_ascii=False)


def parse(message: AbstractIncomingMessage) -> BaseCloudEvent:
    # thidua publishes structured mode (content type application/cloudevents+json); the binding
    # also reads binary mode, where the attributes travel as ce- headers.
    return from_rabbitmq(
        RabbitMQMessage(
            headers={key: str(value) for key, value in (message.headers or {}).items()},
            content_type=message.content_type,
            body=message.body,
        ),
        JSONFormat(),
    )


class SeenIds:
    def __init__(self, capacity: int) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def add(self, event_id: str) -> bool:
        """False when the id was already seen."""
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        if len(self._ids) > self._capacity:
            self._ids.popitem(last=False)
        return True


def say(line: str, *, stream: TextIO = sys.stdout) -> None:
    print(line, file=stream, flush=True)


async def subscribe(arguments: argparse.Namespace, url: str, exchange_name: str) -> int:
    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=50)
        try:
            # Passive: the department account may read the exchange, not declare it.
            exchange = await channel.get_exchange(exchange_name, ensure=True)
        except ChannelNotFoundEntity:
            say(f"exchange {exchange_name!r} does not exist: is thidua running?", stream=sys.stderr)
            return 2
        queue = await channel.declare_queue(
            arguments.queue, durable=True, arguments={"x-queue-type": "quorum"}
        )
        for routing_key in arguments.bind:
            await queue.bind(exchange, routing_key=routing_key)
        say(
            f"listening on {arguments.queue} bound to {exchange_name} with "
            f"{', '.join(arguments.bind)}; duplicates (same event id) are printed once",
            stream=sys.stderr,
        )
        seen = SeenIds(REMEMBERED_IDS)
        printed = 0
        async with queue.iterator() as messages:
            async for message in messages:
                try:
                    event = parse(message)
                except Exception as error:
                    say(f"not a CloudEvent, dropped: {error!r}", stream=sys.stderr)
                    await message.reject(requeue=False)
                    continue
                if seen.add(event.get_id()):
                    say(as_json(event) if arguments.json else as_line(event))
                    printed += 1
                else:
                    say(f"duplicate {event.get_id()} skipped", stream=sys.stderr)
                # Acked only once printed: if we stop before this, the broker delivers it again.
                await message.ack()
                if arguments.once is not None and printed >= arguments.once:
                    return 0
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    url = os.environ.get("THIDUA_AMQP_URL", DEFAULT_AMQP_URL)
    exchange = os.environ.get("THIDUA_EVENTS_EXCHANGE", DEFAULT_EXCHANGE)
    try:
        return asyncio.run(subscribe(arguments, url, exchange))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
