"""Every endpoint of every service × every role: the declared rule is what is enforced.

The matrix is read from the routes, so an endpoint added without an access rule fails here.
"""

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi.routing import APIRoute

from thidua_local.allinone import SPECS
from thidua_shared.platform.app import ServiceSpec
from thidua_shared.platform.audit import audit_router
from thidua_shared.platform.auth import Role
from thidua_shared.platform.health import health_router
from thidua_shared.testing import RecordingBus, RunningService, bearer, migrated_database
from thidua_shared.testing import running_service as run


@pytest.fixture(scope="module", params=SPECS, ids=lambda spec: spec.name)
async def service(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[ServiceSpec, RunningService]]:
    spec: ServiceSpec = request.param
    database = await migrated_database(spec, f"thidua_test_access_{spec.name}")
    async with run(spec, database, RecordingBus()) as running:
        yield spec, running


def served_routes(spec: ServiceSpec) -> list[tuple[str, APIRoute]]:
    """Every route the service's app serves, with its full path."""
    routes: list[tuple[str, APIRoute]] = []
    for router, prefix in [(r, spec.prefix) for r in spec.routers] + [
        (health_router(spec.prefix), ""),
        (audit_router(spec.prefix), ""),
    ]:
        routes += [(prefix + r.path, r) for r in router.routes if isinstance(r, APIRoute)]
    return routes


def access_rule(route: APIRoute) -> Any:
    """The roles a route allows, None for a public route; fails for a route with no rule."""
    rules = [d.call for d in route.dependant.dependencies if hasattr(d.call, "access_roles")]
    assert len(rules) == 1, f"{route.methods} {route.path} declares {len(rules)} access rules"
    return rules[0].access_roles  # type: ignore[union-attr]


def _url(path: str, route: APIRoute) -> str:
    url = path
    for param in route.dependant.path_params:
        value = "1" if param.field_info.annotation is int else str(uuid4())
        url = url.replace("{" + param.name + "}", value)
    return url


async def test_every_route_enforces_its_declared_rule(
    service: tuple[ServiceSpec, RunningService],
) -> None:
    spec, running = service
    routes = served_routes(spec)
    assert routes
    for path, route in routes:
        allowed = access_rule(route)
        method = sorted(route.methods or {"GET"})[0]
        url = _url(path, route)
        callers: list[tuple[str, dict[str, str]]] = [("no token", {"Authorization": ""})]
        callers += [
            (role.value, bearer(role, "VP" if role is Role.UNIT_HEAD else None)) for role in Role
        ]
        for who, headers in callers:
            response = await running.client.request(
                method, url, json={}, headers={**headers, "If-Match": '"1"'}
            )
            where = f"{method} {path} as {who}: {response.status_code} {response.text}"
            if allowed is None:
                assert response.status_code not in (401, 403), where
            elif who == "no token":
                assert response.status_code == 401, where
                assert "WWW-Authenticate" in response.headers, where
            elif who in allowed:
                assert response.status_code not in (401, 403), where
            else:
                assert response.status_code == 403, where
