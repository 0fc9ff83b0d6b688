"""The event catalogue as an AsyncAPI document, generated from the contracts and the topology."""

from faststream.rabbit import ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue
from faststream.specification import AsyncAPI

from thidua_shared.contracts import CATALOGUE, PRODUCERS
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.platform.app import ServiceSpec

EXCHANGE = RabbitExchange("thidua.events", type=ExchangeType.TOPIC, durable=True)


def build_document(specs: tuple[ServiceSpec, ...]) -> AsyncAPI:
    broker = RabbitBroker(
        "amqp://broker.example:5672/",
        description="One durable topic exchange; routing key = event type.",
    )
    for producer, event_types in PRODUCERS.items():
        for event_type in event_types:
            model = CATALOGUE[event_type]
            broker.publisher(
                exchange=EXCHANGE,
                routing_key=event_type,
                title=event_type,
                description=(
                    f"Published by {producer}. CloudEvents 1.0 structured JSON "
                    f"(content type application/cloudevents+json); `data` follows "
                    f"{model.__name__} ({model.dataschema()}). " + (model.__doc__ or "").strip()
                ),
                schema=model,
                persist=True,
            )
    for spec in specs:
        if not spec.handlers:
            continue

        async def consume(envelope: Envelope) -> None:
            return None

        broker.subscriber(
            RabbitQueue(spec.name, queue_type=QueueType.QUORUM, routing_key="<event type>"),
            exchange=EXCHANGE,
            title=f"{spec.name}:events",
            description=f"Quorum queue of the {spec.name} service, dead-lettering to "
            f"{spec.name}.dlq; bound to: " + ", ".join(spec.handlers),
        )(consume)
    return AsyncAPI(
        broker,
        title="thidua events",
        version="1.0.0",
        description="Integration events of the thidua services. Other departments "
        "bind their own queues to the thidua.events exchange.",
    )
