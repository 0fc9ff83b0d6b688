"""The event catalogue as an AsyncAPI 3.0 document, generated from the contracts.

It describes what a department sees on the wire: every message is the whole CloudEvents 1.0
envelope in structured mode (content type application/cloudevents+json) whose `data` follows
the event type's schema; the correlation id is the envelope's `correlationid` and the AMQP
`correlation_id` property alike. The services' own queues are internal and left out; the
department's side is in: its `dept.*` queues, the archive stream and how to replay it, and the
`department` account. Each data schema carries its `dataschema` URN as `$id` and is served by
the gateway at /events/schemas/{type}/v{n}.
"""

from typing import Any

from thidua_shared.contracts import CATALOGUE, PRODUCERS
from thidua_shared.contracts.envelope import STRUCTURED_CONTENT_TYPE, Envelope, EventData

EXCHANGE = "thidua.events"
ARCHIVE = f"{EXCHANGE}.archive"
SCHEMA_PATH = "/events/schemas/{type}/v{version}"

_EXCHANGE_BINDING = {
    "amqp": {
        "is": "routingKey",
        "exchange": {
            "name": EXCHANGE,
            "type": "topic",
            "durable": True,
            "autoDelete": False,
            "vhost": "/",
        },
        "bindingVersion": "0.3.0",
    }
}

_DESCRIPTION = f"""Integration events of the thidua services, for other departments.

Every event is published to the durable topic exchange `{EXCHANGE}` with the event type as its
routing key, as a CloudEvents 1.0 envelope in structured JSON mode (content type
`{STRUCTURED_CONTENT_TYPE}`). The envelope's `data` follows the schema its `dataschema` names
(`urn:thidua:events:<type>:v<n>`); the gateway serves that schema, whose `$id` is the same URN,
at `GET {SCHEMA_PATH}`. The AMQP properties repeat the envelope: `message_id` = `id`, `type` =
`type`, `correlation_id` = `correlationid`, `content_type` = `{STRUCTURED_CONTENT_TYPE}`.

Consumers deduplicate on `id` and ignore fields they do not know: producers only add optional
fields within a version; anything else is a new type or version.

**A department's queue.** Log in with the `department` account. It may declare, bind and read
queues named `dept.<something>` only: declare one (durable, quorum), bind it to `{EXCHANGE}`
with the routing keys it wants (`#` for everything), and consume it with manual acks.

**The archive stream and replay.** Every event also lands in the stream `{ARCHIVE}` (kept 365
days), which the `department` account may read but not declare: open it with a *passive*
declare (a normal declare is refused, since the account may not configure it), set a prefetch
(`basic.qos`, e.g. 500; a stream is not read without one) and consume with manual acks and the
consumer argument `x-stream-offset` (`first` for the whole history, a timestamp, or an offset).
A stream has no end: stop once nothing has arrived for a while. Events read there are the same
envelopes, in publication order per producer.

**Audit checkpoints.** `audit.checkpointed` anchors each service's audit trail outside its
database; a department that keeps them can later show a trail was not cut short.
"""


def _envelope_schema(event_type: str, model: type[EventData]) -> dict[str, Any]:
    """The whole CloudEvent as sent for one type: the envelope's attributes, `data` the type's."""
    envelope = Envelope.model_json_schema()
    properties = dict(envelope["properties"])
    properties["type"] = {**properties["type"], "const": event_type}
    properties["dataschema"] = {
        "type": "string",
        "const": model.dataschema(),
        "description": f"The URN of `data`'s schema, served at "
        f"{SCHEMA_PATH.format(type=event_type, version=model.event_version)}.",
    }
    properties["data"] = {"$ref": f"#/components/schemas/{model.__name__}"}
    required = [*envelope["required"], "dataschema"]
    return {
        "title": f"{model.__name__}Event",
        "description": f"The CloudEvent of type {event_type}.",
        "type": "object",
        "properties": properties,
        "required": sorted(set(required)),
        # CloudEvents extensions a consumer does not know are allowed.
        "additionalProperties": True,
    }


def _message(event_type: str, model: type[EventData], producers: list[str]) -> dict[str, Any]:
    doc = " ".join((model.__doc__ or "").split())
    return {
        "name": event_type,
        "title": event_type,
        "summary": doc or f"The {event_type} event.",
        "description": f"Published by {', '.join(producers)}. `data` follows "
        f"{model.__name__} ({model.dataschema()}).",
        "contentType": STRUCTURED_CONTENT_TYPE,
        "payload": {"$ref": f"#/components/schemas/{model.__name__}Event"},
        "correlationId": {
            "description": "The request that caused the event: the AMQP correlation_id "
            "property, and the envelope's `correlationid`.",
            "location": "$message.payload#/correlationid",
        },
        "bindings": {"amqp": {"messageType": event_type, "bindingVersion": "0.3.0"}},
    }


def _queue_channel(address: str, description: str, messages: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": address,
        "description": description,
        "messages": messages,
        "bindings": {
            "amqp": {
                "is": "queue",
                "queue": {
                    "name": address,
                    "durable": True,
                    "exclusive": False,
                    "autoDelete": False,
                    "vhost": "/",
                },
                "bindingVersion": "0.3.0",
            }
        },
    }


def build_document() -> dict[str, Any]:
    producers: dict[str, list[str]] = {}
    for producer, event_types in PRODUCERS.items():
        for event_type in event_types:
            producers.setdefault(event_type, []).append(producer)
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    every_message: dict[str, Any] = {}
    for event_type, names in sorted(producers.items()):
        model = CATALOGUE[event_type]
        messages[event_type] = _message(event_type, model, names)
        schemas[model.__name__] = model.model_json_schema()
        schemas[f"{model.__name__}Event"] = _envelope_schema(event_type, model)
        reference = {"$ref": f"#/components/messages/{event_type}"}
        every_message[event_type] = reference
        channels[event_type] = {
            "address": event_type,
            "description": f"Events of type {event_type} on the {EXCHANGE} exchange "
            "(the routing key is the type).",
            "messages": {event_type: reference},
            "bindings": _EXCHANGE_BINDING,
        }
        operations[f"publish.{event_type}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{event_type}"},
            "summary": f"thidua publishes {event_type}.",
        }
    channels["departmentQueue"] = _queue_channel(
        "dept.{name}",
        "A department's own durable queue, bound to the exchange with the routing keys it "
        "wants; the `department` account may declare, bind and read only these.",
        every_message,
    )
    channels["departmentQueue"]["parameters"] = {
        "name": {"description": "The department's own name for the queue, e.g. noi-vu."}
    }
    channels["archive"] = _queue_channel(
        ARCHIVE,
        "The stream that keeps every event (365 days). Declare it passively (a normal declare "
        "is refused), set a prefetch, consume with manual acks and `x-stream-offset`.",
        every_message,
    )
    channels["archive"]["bindings"]["amqp"]["queue"]["x-queue-type"] = "stream"
    channels["archive"]["x-replay"] = {
        "declare": "passive",
        "prefetch": "required (basic.qos), e.g. 500",
        "consumerArguments": {"x-stream-offset": "first | <timestamp> | <offset>"},
        "acknowledgement": "manual",
    }
    for name in ("departmentQueue", "archive"):
        operations[f"receive.{name}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{name}"},
            "summary": "What a department reads (with the department account).",
            "security": [{"$ref": "#/components/securitySchemes/department"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "thidua events", "version": "1.0.0", "description": _DESCRIPTION},
        "defaultContentType": STRUCTURED_CONTENT_TYPE,
        "servers": {
            "production": {
                "host": "broker.example:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "The agency's RabbitMQ (the host is the deployment's).",
                "security": [{"$ref": "#/components/securitySchemes/department"}],
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": schemas,
            "securitySchemes": {
                "department": {
                    "type": "userPassword",
                    "description": "The `department` broker account (its password is a "
                    "deployment secret): configure, write and read on `dept.*` queues, read on "
                    f"the `{EXCHANGE}` exchange and the `{ARCHIVE}` stream, nothing else.",
                }
            },
        },
    }
