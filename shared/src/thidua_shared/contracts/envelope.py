"""The CloudEvents 1.0 envelope every thidua event travels in (structured JSON mode)."""

import builtins
import json
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _identify(schema: dict[str, Any], model: builtins.type[BaseModel]) -> None:
    """An event's schema names itself by the URN its envelopes carry as `dataschema`."""
    dataschema = getattr(model, "dataschema", None)
    if dataschema is not None and hasattr(model, "event_type"):
        schema["$id"] = dataschema()
        schema["$schema"] = JSON_SCHEMA_DIALECT


class EventData(BaseModel):
    """Base of every event payload.

    Consumers ignore fields they do not know, so producers may add optional fields without
    breaking anyone; removing or retyping a field needs a new event type.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", json_schema_extra=_identify)

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1

    @classmethod
    def dataschema(cls) -> str:
        return f"urn:thidua:events:{cls.event_type}:v{cls.event_version}"


DataT = TypeVar("DataT", bound=EventData)


class Envelope(BaseModel):
    """CloudEvents 1.0 attributes plus the `correlationid` and distributed-tracing extensions."""

    model_config = ConfigDict(frozen=True, extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(description="Unique per event; consumers deduplicate on it.")
    source: str = Field(description="The producing service, e.g. /thidua/campaigns.")
    type: str = Field(description="The event type; also the RabbitMQ routing key.")
    time: AwareDatetime
    subject: str | None = Field(default=None, description="The aggregate the event is about.")
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str | None = None
    correlationid: str = Field(description="Shared by every event caused by one request.")
    # Left out of the JSON when absent: an extension attribute is either set or not there.
    traceparent: str | None = Field(
        default=None,
        description="W3C trace context of the span that recorded the event (CloudEvents "
        "distributed-tracing extension); the consumer's span is its child.",
        exclude_if=lambda value: value is None,
    )
    data: dict[str, Any]

    # `type` names a field in this class body, hence builtins.type.
    def payload(self, model: builtins.type[DataT]) -> DataT:
        return model.model_validate(self.data)


_CORRELATION = '"correlationid":"'


def correlation_id_of(body: str) -> str | None:
    """The envelope's `correlationid`, read from its JSON without parsing the whole body: the
    publishers also set it as the AMQP `correlation_id` property, for consumers that correlate
    without reading bodies."""
    start = body.find(_CORRELATION)
    if start < 0:
        return None
    start += len(_CORRELATION)
    end = body.find('"', start)
    value = body[start:end]
    if end < 0 or "\\" in value:  # escaped characters: let the JSON parser read it
        found = json.loads(body).get("correlationid")
        return found if isinstance(found, str) else None
    # An AMQP short string holds 255 bytes; the request's id is at most 100 characters.
    return value if len(value.encode()) <= 255 else None


def new_envelope(
    data: EventData,
    *,
    source: str,
    subject: str | None,
    correlation_id: str | None = None,
    event_id: UUID | None = None,
    time: datetime | None = None,
    traceparent: str | None = None,
) -> Envelope:
    event_id = event_id or uuid4()
    return Envelope(
        id=str(event_id),
        source=source,
        type=data.event_type,
        time=time or datetime.now(UTC),
        subject=subject,
        dataschema=data.dataschema(),
        correlationid=correlation_id or str(event_id),
        traceparent=traceparent,
        data=data.model_dump(mode="json"),
    )
