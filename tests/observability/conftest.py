"""Two services in this test process on the real RabbitMQ bus, with an in-memory span exporter:
campaigns records `unit.changed`, pledges consumes it."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from campaigns.main import spec as campaigns_spec
from pledges.main import spec as pledges_spec
from tests.support.broker import BrokerNames, isolated_broker_names
from thidua_shared.platform.tracing import configure_tracing
from thidua_shared.testing import AMQP_URL, RunningService, migrated_database, running_service


@dataclass(frozen=True)
class Pair:
    campaigns: RunningService
    pledges: RunningService
    spans: InMemorySpanExporter
    names: BrokerNames


@pytest.fixture(scope="session")
def spans() -> InMemorySpanExporter:
    # The process has one tracer provider: the tests read it through an exporter of their own.
    exporter = InMemorySpanExporter()
    configure_tracing("tests").add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
async def pair(spans: InMemorySpanExporter) -> AsyncIterator[Pair]:
    campaigns_db = await migrated_database(campaigns_spec, "thidua_test_obs_campaigns")
    pledges_db = await migrated_database(pledges_spec, "thidua_test_obs_pledges")
    async with isolated_broker_names(("campaigns", "pledges")) as names:
        broker: dict[str, object] = {
            "amqp_url": AMQP_URL,
            "exchange": names.exchange,
            "queue_prefix": names.queue_prefix,
        }
        async with (
            running_service(pledges_spec, pledges_db, None, **broker) as pledges,
            running_service(campaigns_spec, campaigns_db, None, **broker) as campaigns,
        ):
            yield Pair(campaigns, pledges, spans, names)
