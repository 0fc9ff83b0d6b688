"""Bad input to every endpoint of every service: a 4xx problem naming the field, no change.

The cases are generated from each service's OpenAPI document, so a new endpoint is covered
the day it is added.
"""

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text

from thidua_local.allinone import SPECS
from thidua_shared.platform.app import ServiceSpec
from thidua_shared.testing import RecordingBus, RunningService, migrated_database, running_service

Case = tuple[str, str, dict[str, Any]]


def _operations(openapi: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def _fill(path: str, params: list[dict[str, Any]], override: dict[str, str]) -> str:
    for param in params:
        if param["in"] == "path":
            value = override.get(param["name"])
            if value is None:
                value = "1" if param["schema"].get("type") == "integer" else str(uuid4())
            path = path.replace("{" + param["name"] + "}", value)
    return path


def bad_requests(
    openapi: dict[str, Any],
) -> Iterator[tuple[str, str, str, dict[str, Any], str | None]]:
    """(method, url, body, query, field expected in the problem) per bad request."""
    for path, method, operation in _operations(openapi):
        params = operation.get("parameters", [])
        for param in params:
            if param["in"] == "path":
                # Not a UUID, and not a code either (codes are letters, digits, "." and "-").
                wrong = (
                    "not-a-number" if param["schema"].get("type") == "integer" else "not a code!"
                )
                yield method, _fill(path, params, {param["name"]: wrong}), "{}", {}, param["name"]
            if param["in"] == "query":
                schema = param["schema"].get("anyOf", [param["schema"]])[0]
                if schema.get("type") in ("integer", "string") and (
                    schema.get("type") == "integer" or schema.get("format") == "uuid"
                ):
                    yield method, _fill(path, params, {}), "{}", {param["name"]: "§"}, param["name"]
        if "requestBody" in operation:
            url = _fill(path, params, {})
            yield method, url, "{", {}, None
            yield method, url, "[]", {}, None
            yield method, url, json.dumps({"unexpected": "x" * 10}), {}, None


@pytest.fixture(scope="module", params=SPECS, ids=lambda spec: spec.name)
async def service(request: pytest.FixtureRequest) -> AsyncIterator[RunningService]:
    spec: ServiceSpec = request.param
    database = await migrated_database(spec, f"thidua_test_badinput_{spec.name}")
    async with running_service(spec, database, RecordingBus()) as running:
        yield running


async def _row_counts(service: RunningService) -> dict[str, int]:
    async with service.runtime.engine.connect() as conn:
        tables = [
            r[0]
            for r in await conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    # Refused requests are recorded in the audit trail by design.
                    "AND tablename NOT IN ('alembic_version', 'audit_log')"
                )
            )
        ]
        return {
            t: (await conn.execute(text(f'SELECT count(*) FROM "{t}"'))).scalar_one()
            for t in tables
        }


async def test_bad_input_answers_a_4xx_problem_and_changes_nothing(
    service: RunningService,
) -> None:
    openapi = (
        await service.client.get(f"/{service.runtime.settings.service_name}/openapi.json")
    ).json()
    before = await _row_counts(service)
    cases = list(bad_requests(openapi))
    assert cases, "no endpoints found"
    for method, url, body, query, field in cases:
        response = await service.client.request(
            method,
            url,
            content=body,
            params=query,
            headers={"Content-Type": "application/json", "If-Match": '"1"'},
        )
        where = f"{method} {url} {body[:30]!r} {query}"
        assert 400 <= response.status_code < 500, f"{where}: {response.status_code} {response.text}"
        assert response.headers["content-type"] == "application/problem+json", where
        problem = response.json()
        assert {"type", "title", "status", "detail"} <= problem.keys(), where
        if field is not None:
            named = {problem.get("field")} | {e["field"] for e in problem.get("errors", [])}
            assert field in named, f"{where}: {problem}"
        elif response.status_code == 422:
            assert problem.get("field"), f"{where}: no field named in {problem}"
    assert await _row_counts(service) == before


async def test_unknown_resources_answer_404_409_or_422_never_500(
    service: RunningService,
) -> None:
    openapi = (
        await service.client.get(f"/{service.runtime.settings.service_name}/openapi.json")
    ).json()
    before = await _row_counts(service)
    for path, method, operation in _operations(openapi):
        params = operation.get("parameters", [])
        if not any(p["in"] == "path" for p in params) or re.search(r"healthz|readyz", path):
            continue
        url = _fill(path, params, {})
        response = await service.client.request(method, url, json={}, headers={"If-Match": '"1"'})
        assert response.status_code in (404, 409, 422), f"{method} {url}: {response.text}"
    assert await _row_counts(service) == before
