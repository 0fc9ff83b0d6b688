"""A standalone relay (or scheduler) has no API of its own: its probe port serves its metrics,
with its liveness and outbox read through the probe's report when scraped."""

from typing import Any

import httpx

from thidua_shared.platform.probes import probe_app


async def test_the_probe_port_serves_the_process_metrics() -> None:
    async def report() -> tuple[dict[str, Any], bool, bool]:
        return {"outbox": {"pending": 7, "oldest_age_seconds": 1.5}}, True, True

    transport = httpx.ASGITransport(app=probe_app(report, "relay-probe-test"))
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        scraped = await client.get("/metrics")
        assert (await client.get("/healthz")).status_code == 200
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    lines = scraped.text.splitlines()
    assert 'thidua_outbox_pending{service="relay-probe-test"} 7.0' in lines
    assert 'thidua_outbox_oldest_age_seconds{service="relay-probe-test"} 1.5' in lines
    assert 'thidua_live{service="relay-probe-test"} 1.0' in lines
    # The relay's own series are declared in the one registry the port exposes.
    assert any(line.startswith("# TYPE thidua_relay_") for line in lines)
