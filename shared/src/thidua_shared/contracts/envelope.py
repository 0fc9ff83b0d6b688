"""The CloudEvents 1.0 envelope every thidua event travels in (structured JSON mode)."""

import builtins
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

STRUCTURED_CONTENT_TYPE = "application/cloudevents+json"


class EventData(BaseModel):
    """Base of every event payload.

    Consumers ignore fields they do not know, so producers may add optional fields without
    breaking anyone; removing or retyping a field needs a new event type.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1

    @classmethod
    def dataschema(cls) -> str:
        return f"urn:thidua:events:{cls.event_type}:v{cls.event_version}"


DataT = TypeVar("DataT", bound=EventData)


class Envelope(BaseModel):
    """CloudEvents 1.0 attributes plus the `correlationid` extension."""

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
    data: dict[str, Any]

    # `type` names a field in this class body, hence builtins.type.
    def payload(self, model: builtins.type[DataT]) -> DataT:
        return model.model_validate(self.data)


def new_envelope(
    data: EventData,
    *,
    source: str,
    subject: str | None,
    correlation_id: str | None = None,
    event_id: UUID | None = None,
    time: datetime | None = None,
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
        data=data.model_dump(mode="json"),
    )
