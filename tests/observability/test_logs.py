"""Structured logs: a line per request and per handled event with their ids, errors with their
stack, JSON in production and readable lines otherwise, no third-party INFO in commands."""

import asyncio
import io
import json
import logging
import os
import subprocess
import sys

import pytest

from campaigns.main import spec as campaigns_spec
from tests.observability.conftest import Pair
from thidua_shared.contracts.directory import UnitChanged
from thidua_shared.contracts.envelope import new_envelope
from thidua_shared.platform.logs import JsonFormatter, ReadableFormatter
from thidua_shared.testing import fresh_database


async def test_a_request_logs_its_route_status_duration_ids_and_subject(pair: Pair) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("thidua.http")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        response = await pair.campaigns.client.post(
            "/campaigns/units", json={"code": "OBS03", "name": "Thanh tra"}
        )
    finally:
        logger.removeHandler(handler)
    (line,) = [json.loads(raw) for raw in stream.getvalue().splitlines()]
    assert line["level"] == "INFO"
    assert line["method"] == "POST"
    assert line["route"] == "/campaigns/units"
    assert line["status"] == response.status_code == 201
    assert line["duration_ms"] > 0
    assert line["correlation_id"] == response.headers["x-correlation-id"]
    assert len(line["trace_id"]) == 32
    assert line["subject"] == "office:agency"


async def test_each_handled_event_logs_its_type_id_and_outcome(pair: Pair) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("thidua.events")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    unit = UnitChanged.model_validate(
        {"code": "OBS04", "name": "Văn phòng", "changed_at": "2018-01-02T08:00:00+07:00"}
    )
    envelope = new_envelope(unit, source="/test", subject="OBS04")
    broken = envelope.model_copy(update={"id": "0" * 8 + envelope.id[8:], "data": {}})
    try:
        await pair.pledges.replay(envelope)
        await pair.pledges.replay(envelope)
        with pytest.raises(Exception, match="validation"):
            await pair.pledges.replay(broken)
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(raw) for raw in stream.getvalue().splitlines()]
    outcomes = [(ln["event_type"], ln["event_id"], ln["outcome"]) for ln in lines]
    assert outcomes == [
        ("unit.changed", envelope.id, "applied"),
        ("unit.changed", envelope.id, "duplicate"),
        ("unit.changed", broken.id, "failed"),
    ]
    assert "Traceback" in lines[2]["stack"]
    assert lines[0]["correlation_id"] == envelope.correlationid


def test_readable_lines_carry_the_same_fields() -> None:
    record = logging.LogRecord("thidua.http", logging.INFO, __file__, 1, "GET /x 200", (), None)
    record.fields = {"route": "/x", "status": 200}
    line = ReadableFormatter().format(record)
    assert line.endswith("INFO thidua.http GET /x 200 route=/x status=200")


async def test_a_command_logs_no_third_party_info_and_json_when_asked() -> None:
    database = await fresh_database("thidua_test_obs_cli")
    env = {
        **os.environ,
        "CAMPAIGNS_DATABASE_URL": database,
        "THIDUA_LOG_FORMAT": "json",
        "PYTHONWARNINGS": "ignore",
    }
    ran = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", campaigns_spec.name, "migrate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    for raw in ran.stderr.splitlines():
        line = json.loads(raw)
        assert line["level"] != "INFO" or line["logger"].startswith(("thidua", "campaigns")), line
