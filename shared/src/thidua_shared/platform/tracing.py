"""Traces from the HTTP request through the outbox row, the relay and the broker to the
consumer's handler.

The request's span context travels in the event itself, as the CloudEvents distributed-tracing
extension (`traceparent` on the envelope), so it survives the outbox and any broker in between;
the consumer's span is that context's child. The relay publishes many events of many traces in
one batch, so its span links to each rather than belonging to one.

Spans are always made (the logs carry their trace id) but exported only where
OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set.
"""

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Link, Span, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from thidua_shared.contracts.envelope import Envelope

_PROPAGATOR = TraceContextTextMapPropagator()
_TRACER_NAME = "thidua"
# Where the traceparent sits in an outbox row's body: read without parsing the whole JSON, as
# the relay handles hundreds of rows per batch.
_MARK = '"traceparent":"'


def configure_tracing(service: str) -> TracerProvider:
    """The process's tracer provider, made once: the first service of a process names it."""
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):
        return current
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    ):
        # Imported only when wanted: the exporter pulls in protobuf and requests.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def tracer() -> trace.Tracer:
    return trace.get_tracer(_TRACER_NAME)


def current_traceparent() -> str | None:
    """The W3C traceparent of the span running now, for an event recorded under it."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


def context_from(traceparent: str | None) -> Context | None:
    if not traceparent:
        return None
    return _PROPAGATOR.extract({"traceparent": traceparent})


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def request_span(method: str, path: str, traceparent: str | None) -> Span:
    """The server span of one request, child of the caller's when it sent a traceparent."""
    return tracer().start_span(
        f"{method} {path}", context=context_from(traceparent), kind=SpanKind.SERVER
    )


@contextmanager
def handling_span(envelope: Envelope, queue: str) -> Iterator[Span]:
    """The consumer's span for one event: a child of the span that recorded it."""
    traceparent = envelope.traceparent
    with tracer().start_as_current_span(
        f"{envelope.type} process",
        # An event recorded without a trace starts its own rather than joining whatever span
        # delivered it (in one process, the relay's).
        context=context_from(traceparent) or Context(),
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "process",
            "messaging.destination.name": queue,
            "messaging.message.id": envelope.id,
            "cloudevents.event_type": envelope.type,
        },
    ) as span:
        yield span


def _link(body: str) -> Link | None:
    start = body.find(_MARK)
    if start < 0:
        return None
    start += len(_MARK)
    context = context_from(body[start : body.find('"', start)])
    if context is None:
        return None
    span_context = trace.get_current_span(context).get_span_context()
    return Link(span_context) if span_context.is_valid else None


@contextmanager
def publishing_span(service: str, bodies: Sequence[str]) -> Iterator[Span]:
    """The relay's span for one batch, linked to the trace of every event it carries."""
    # Without a provider nothing is recorded, and reading the bodies would be wasted.
    links: list[Link] = []
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        links = [link for link in map(_link, bodies) if link is not None]
    with tracer().start_as_current_span(
        "outbox publish",
        kind=SpanKind.PRODUCER,
        links=links,
        attributes={
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "send",
            "messaging.batch.message_count": len(bodies),
            "thidua.service": service,
        },
    ) as span:
        yield span


def mark_failed(span: Span, error: BaseException) -> None:
    span.record_exception(error)
    span.set_status(Status(StatusCode.ERROR, type(error).__name__))
