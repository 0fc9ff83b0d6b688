"""What every request and every handled event leaves behind: a span, metrics and a log line.

Requests are measured and logged by their route template (`/campaigns/campaigns/{campaign_id}`),
never their path, so the metrics' labels stay few and the lines group by endpoint.
"""

import logging
import time
from collections.abc import Sequence

from opentelemetry import context, trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.platform.metrics import CONSUMER_LAG, EVENTS_HANDLED, HTTP_REQUESTS
from thidua_shared.platform.tracing import mark_failed, request_span

request_log = logging.getLogger("thidua.http")
event_log = logging.getLogger("thidua.events")

# A path no route matched is labelled as such: scanners would otherwise add a series per path.
UNMATCHED = "unmatched"
# Probes and scrapes come every few seconds: their lines are debug, the rest info.
_QUIET_SUFFIXES = ("/healthz", "/readyz", "/metrics")


class RequestTelemetry:
    """Runs inside the correlation middleware, so its lines carry the request's id."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method: str = scope["method"]
        traceparent = next((v for k, v in scope["headers"] if k == b"traceparent"), None)
        span = request_span(
            method, scope["path"], traceparent.decode("latin-1") if traceparent else None
        )
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        token = context.attach(trace.set_span_in_context(span))
        try:
            await self.app(scope, receive, send_with_status)
        except Exception as exc:
            mark_failed(span, exc)
            status = 500
            raise
        finally:
            route = route_template(scope)
            elapsed = time.perf_counter() - started
            HTTP_REQUESTS.labels(self.service, method, route, str(status)).observe(elapsed)
            span.update_name(f"{method} {route}")
            span.set_attributes(
                {
                    "http.request.method": method,
                    "http.route": route,
                    "http.response.status_code": status,
                }
            )
            principal = scope.get("state", {}).get("principal")
            request_log.log(
                logging.DEBUG if route.endswith(_QUIET_SUFFIXES) else logging.INFO,
                "%s %s %d %.1f ms",
                method,
                route,
                status,
                elapsed * 1000,
                extra={
                    "fields": {
                        "method": method,
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                        "subject": principal.subject if principal is not None else None,
                    }
                },
            )
            span.end()
            context.detach(token)


def route_template(scope: Scope) -> str:
    """The whole template of the route that served the request, the service's prefix included.

    FastAPI keeps an included router's routes as they were declared (`/units`, without the
    prefix it was included under) and records the template it matched on in its own part of
    the scope; that part is private, so an upgrade that moves it falls back to the route's own
    path, which the telemetry tests would catch.
    """
    matched = scope.get("fastapi", {}).get("effective_route_context")
    template = getattr(matched, "path_format", None) or getattr(scope.get("route"), "path", None)
    return template if isinstance(template, str) else UNMATCHED


def events_applied(queue: str, applied: Sequence[Envelope], duplicates: Sequence[Envelope]) -> None:
    """After the commit of a batch: each event's outcome and its lag since it was recorded."""
    now = time.time()
    for envelope in applied:
        lag = max(0.0, now - envelope.time.timestamp())
        CONSUMER_LAG.labels(queue, envelope.type).observe(lag)
        EVENTS_HANDLED.labels(queue, envelope.type, "applied").inc()
        event_log.info(
            "%s %s applied",
            envelope.type,
            envelope.id,
            extra={
                "fields": _event_fields(queue, envelope, "applied", lag_ms=round(lag * 1000, 1))
            },
        )
    for envelope in duplicates:
        EVENTS_HANDLED.labels(queue, envelope.type, "duplicate").inc()
        event_log.info(
            "%s %s already applied",
            envelope.type,
            envelope.id,
            extra={"fields": _event_fields(queue, envelope, "duplicate")},
        )


def event_failed(queue: str, envelope: Envelope, error: BaseException) -> None:
    EVENTS_HANDLED.labels(queue, envelope.type, "failed").inc()
    event_log.warning(
        "%s %s failed: %r",
        envelope.type,
        envelope.id,
        error,
        exc_info=error,
        extra={"fields": _event_fields(queue, envelope, "failed")},
    )


def _event_fields(
    queue: str, envelope: Envelope, outcome: str, **more: object
) -> dict[str, object]:
    # The event's own trace, not the one running now: outcomes are logged after the commit,
    # outside the handler's span.
    traceparent = envelope.traceparent
    return {
        "trace_id": traceparent[3:35] if traceparent else None,
        "queue": queue,
        "event_type": envelope.type,
        "event_id": envelope.id,
        "outcome": outcome,
        "correlation_id": envelope.correlationid,
        **more,
    }
