"""Every operation of every service fuzzed from its own OpenAPI document (schemathesis, at most
25 examples an operation) with an office token: no answer is a server error, and every error
answer is an RFC 9457 problem (application/problem+json).

Each service is served by uvicorn on a free port of its own fresh database, in the test's event
loop; the fuzzing runs in a worker thread, so the server keeps answering meanwhile. A failing
example is recorded rather than raised, so hypothesis does not spend the time budget shrinking
it; the assertion lists every one found.
"""

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, strategies
from schemathesis import GenerationMode
from schemathesis.core.result import Err

from thidua_local.allinone import SPECS
from thidua_shared.platform.app import ServiceSpec, create_service_app
from thidua_shared.platform.auth import Role
from thidua_shared.platform.errors import PROBLEM_JSON
from thidua_shared.testing import (
    TEST_AUDIT_KEY,
    TEST_SIGNING_KEY,
    RecordingBus,
    bearer,
    migrated_database,
)

EXAMPLES_PER_OPERATION = 25
# Well inside the suite's per-test timeout, whatever the machine's load.
SERVICE_BUDGET_SECONDS = 150.0


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    requests: int = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(params=SPECS, ids=lambda spec: spec.name)
async def served(request: pytest.FixtureRequest) -> AsyncIterator[tuple[ServiceSpec, str]]:
    spec: ServiceSpec = request.param
    database = await migrated_database(spec, f"thidua_test_fuzz_{spec.name}")
    config = spec.settings_factory().model_copy(
        update={
            "database_url": database,
            "auth_signing_key": TEST_SIGNING_KEY,
            "audit_key": TEST_AUDIT_KEY,
        }
    )
    app = create_service_app(spec, settings=config, bus=RecordingBus())
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="on")
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:
        assert not serving.done(), "the service did not start"
        await asyncio.sleep(0.05)
    try:
        yield spec, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


def _media_type(response: schemathesis.Response) -> str:
    return response.headers.get("content-type", [""])[0].split(";")[0].strip()


def _fuzz(base_url: str, prefix: str) -> Findings:
    headers = bearer(Role.OFFICE)
    openapi = requests.get(f"{base_url}{prefix}/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(openapi)
    findings = Findings()
    deadline = time.monotonic() + SERVICE_BUDGET_SECONDS
    with requests.Session() as session:
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                findings.problems.append(f"the schema is invalid: {result.err()}")
                continue
            operation = result.ok()
            if time.monotonic() > deadline:
                findings.problems.append(f"time budget spent before {operation.label}")
                break

            # Valid requests reach the services' logic, invalid ones their validation.
            cases = strategies.one_of(
                operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            )

            @hypothesis.given(case=cases)
            @hypothesis.settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def exercise(case: schemathesis.Case[Any]) -> None:
                response = case.call(base_url=base_url, session=session, headers=headers)
                findings.requests += 1
                status = response.status_code
                where = f"{case.method} {case.formatted_path} -> {status}"
                if status >= 500:
                    findings.problems.append(f"{where}: {response.text[:300]}")
                elif status >= 400 and _media_type(response) != PROBLEM_JSON:
                    findings.problems.append(f"{where}: not a problem but {_media_type(response)}")

            exercise()
    return findings


async def test_no_server_error_and_every_error_a_problem(served: tuple[ServiceSpec, str]) -> None:
    spec, base_url = served

    findings = await asyncio.to_thread(_fuzz, base_url, spec.prefix)

    assert findings.requests > 0
    assert not findings.problems, "\n".join(sorted(set(findings.problems))[:40])
