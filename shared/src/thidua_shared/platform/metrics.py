"""The Prometheus metrics of every service, and the helpers that update them where things
happen: requests, publishes, handled events, compiles, scheduler steps. The gauges of a state
(outbox backlog, dead letters, consumers, liveness) are set by `scrape.py` when scraped.
"""

import time
from collections.abc import Awaitable, Callable, Sequence
from functools import wraps
from typing import ParamSpec

from prometheus_client import Counter, Gauge, Histogram

from thidua_shared.platform.bus import EventBus, OutgoingMessage
from thidua_shared.platform.tracing import mark_failed, publishing_span

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

HTTP_REQUESTS = Histogram(
    "thidua_http_request_duration_seconds",
    "HTTP requests by route template and status, with their latency",
    ["service", "method", "route", "status"],
    buckets=_LATENCY,
)
OUTBOX_PENDING = Gauge("thidua_outbox_pending", "Outbox rows not yet relayed", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "thidua_outbox_oldest_age_seconds", "Age of the oldest outbox row not yet relayed", ["service"]
)
RELAY_PUBLISHED = Counter(
    "thidua_relay_published",
    "Events the relay published, by whether the broker confirmed them",
    ["service", "outcome"],
)
RELAY_CONFIRM = Histogram(
    "thidua_relay_confirm_seconds",
    "From handing a batch to the broker to its last confirm",
    ["service"],
    buckets=_LATENCY,
)
CONSUMER_LAG = Histogram(
    "thidua_consumer_lag_seconds",
    "From the event's recording (its CloudEvents time) to its handler's commit",
    ["queue", "event_type"],
    buckets=_LATENCY,
)
EVENTS_HANDLED = Counter(
    "thidua_events_handled",
    "Events delivered to a consumer, by outcome: applied, duplicate (inbox) or failed",
    ["queue", "event_type", "outcome"],
)
EVENT_RETRIES = Counter(
    "thidua_event_retries", "Deliveries handed back to the broker for a retry", ["queue"]
)
EVENTS_DEAD_LETTERED = Counter(
    "thidua_events_dead_lettered", "Events given up on and dead-lettered", ["queue"]
)
DEAD_LETTERS = Gauge(
    "thidua_dead_letters",
    "Dead letters held: in the broker's dead-letter queue or stored in the database",
    ["service", "held"],
)
CONSUMER_ATTACHED = Gauge(
    "thidua_consumer_attached",
    "1 while the consumer is attached to its queue",
    ["service", "queue"],
)
LIVE = Gauge("thidua_live", "1 while the liveness probe passes", ["service"])
SCRAPE_ERRORS = Counter(
    "thidua_metrics_refresh_errors", "Scrapes whose state could not be read", ["service"]
)
COMPILE_SECONDS = Histogram(
    "thidua_compile_duration_seconds",
    "Compiling a campaign's nominations, reading the facts to writing the result",
    buckets=(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0),
)
COMPILE_NOMINATIONS = Histogram(
    "thidua_compile_nominations",
    "Nominations in a compiled version",
    buckets=(10, 50, 100, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000),
)
SCHEDULER_TRANSITIONS = Counter(
    "thidua_scheduler_transitions", "Phases the scheduler opened or closed"
)


async def observed_publish(
    service: str, bus: EventBus, messages: Sequence[OutgoingMessage]
) -> set[str]:
    """The bus's publish, timed to its last confirm and traced, linked to each event's trace."""
    with publishing_span(service, [m.body for m in messages]) as span:
        started = time.perf_counter()
        try:
            failed = await bus.publish(messages)
        except Exception as exc:
            mark_failed(span, exc)
            RELAY_PUBLISHED.labels(service, "failed").inc(len(messages))
            raise
        RELAY_CONFIRM.labels(service).observe(time.perf_counter() - started)
        RELAY_PUBLISHED.labels(service, "confirmed").inc(len(messages) - len(failed))
        if failed:
            RELAY_PUBLISHED.labels(service, "failed").inc(len(failed))
    return failed


def count_retry(queue: str) -> None:
    EVENT_RETRIES.labels(queue).inc()


def count_dead_lettered(queue: str) -> None:
    EVENTS_DEAD_LETTERED.labels(queue).inc()


def count_scheduler_transitions(applied: int) -> None:
    SCHEDULER_TRANSITIONS.inc(applied)


P = ParamSpec("P")


def observed_compile(compile_: Callable[P, Awaitable[int]]) -> Callable[P, Awaitable[int]]:
    """Times a compile that returns how many nominations it produced."""

    @wraps(compile_)
    async def timed(*args: P.args, **kwargs: P.kwargs) -> int:
        started = time.perf_counter()
        nominations = await compile_(*args, **kwargs)
        COMPILE_SECONDS.observe(time.perf_counter() - started)
        COMPILE_NOMINATIONS.observe(nominations)
        return nominations

    return timed
