"""A trace runs from the HTTP request through the outbox row, the relay and the broker to the
consumer's handler, carried in the event's `traceparent`."""

import asyncio
import json

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

from tests.observability.conftest import Pair
from tests.support.broker import read_archive


async def _span(pair: Pair, name: str, trace_id: int) -> ReadableSpan:
    """The span of that name in the trace, or linked to it, once it has ended."""
    async with asyncio.timeout(15):
        while True:
            for span in pair.spans.get_finished_spans():
                traces = {span.context.trace_id} | {link.context.trace_id for link in span.links}
                if span.name == name and trace_id in traces:
                    return span
            await asyncio.sleep(0.05)


async def test_the_consumers_span_is_a_child_of_the_request_that_recorded_the_event(
    pair: Pair,
) -> None:
    pair.spans.clear()  # spans of earlier tests in this process
    response = await pair.campaigns.client.post(
        "/campaigns/units", json={"code": "OBS01", "name": "Phòng Văn hóa"}
    )
    assert response.status_code == 201, response.text

    request = next(
        s
        for s in pair.spans.get_finished_spans()
        if s.kind == SpanKind.SERVER
        and (s.attributes or {}).get("http.route") == "/campaigns/units"
        and (s.attributes or {}).get("http.request.method") == "POST"
    )
    assert request.name == "POST /campaigns/units"
    assert request.resource.attributes["service.name"]
    trace_id = request.context.trace_id

    handled = await _span(pair, "unit.changed process", trace_id)
    assert handled.kind == SpanKind.CONSUMER
    assert handled.parent is not None
    assert handled.parent.span_id == request.context.span_id
    assert (handled.attributes or {})["messaging.destination.name"] == pair.names.queue("pledges")

    # The relay's batch is not a child of one request: it links to the trace of each event.
    published = await _span(pair, "outbox publish", trace_id)
    assert published.kind == SpanKind.PRODUCER

    # The trace travelled in the event itself, as the CloudEvents distributed-tracing extension.
    (body,) = [
        json.loads(b)
        for b in await read_archive(pair.names.exchange, count=1)
        if json.loads(b)["type"] == "unit.changed"
    ]
    assert body["traceparent"].startswith(f"00-{trace_id:032x}-{request.context.span_id:016x}-")


async def test_a_caller_s_traceparent_is_continued(pair: Pair) -> None:
    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = await pair.campaigns.client.get(
        "/campaigns/units", headers={"traceparent": f"00-{caller_trace}-00f067aa0ba902b7-01"}
    )
    assert response.status_code == 200
    request = next(
        s
        for s in pair.spans.get_finished_spans()
        if s.context.trace_id == int(caller_trace, 16) and s.kind == SpanKind.SERVER
    )
    assert request.parent is not None
    assert request.parent.span_id == 0x00F067AA0BA902B7
