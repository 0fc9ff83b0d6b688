"""The Python gateway, in both its modes, serves the index of the APIs, their merged OpenAPI
and Swagger UI for it under /api/, and redirects the old /openapi.json and /docs there (each
service keeps its own document at /<name>/openapi.json)."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from thidua_local.allinone import SPECS
from thidua_local.api_docs import API_INDEX, MERGED_DOCS, MERGED_OPENAPI, merged_openapi
from thidua_local.gateway import HttpProxy, PrefixDispatcher
from thidua_shared.platform.app import create_service_app

SERVICES = [spec.name for spec in SPECS]


@pytest.fixture(scope="module")
def apps() -> dict[str, FastAPI]:
    # No lifespan runs: only the documents are read, which need no database.
    return {spec.name: create_service_app(spec) for spec in SPECS}


@pytest.fixture(params=["all-in-one", "proxy"])
async def gateway(
    request: pytest.FixtureRequest, apps: dict[str, FastAPI]
) -> AsyncIterator[httpx.AsyncClient]:
    if request.param == "all-in-one":
        served: PrefixDispatcher | HttpProxy = PrefixDispatcher(apps)
    else:

        def upstream(request: httpx.Request) -> httpx.Response:
            """Each service's own document, as it serves it at /<name>/openapi.json."""
            name = request.url.path.split("/")[1]
            assert request.url.path == f"/{name}/openapi.json"
            return httpx.Response(200, json=apps[name].openapi())

        served = HttpProxy({name: f"http://{name}.internal" for name in apps})
        # The upstreams answered in this process instead of over the network.
        await served._client.aclose()
        served._client = httpx.AsyncClient(transport=httpx.MockTransport(upstream))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=served), base_url="http://gateway"
    ) as client:
        yield client


async def test_the_index_lists_the_merged_docs_and_each_service(
    gateway: httpx.AsyncClient,
) -> None:
    index = (await gateway.get(API_INDEX)).json()
    assert index["openapi"] == MERGED_OPENAPI
    assert index["docs"] == MERGED_DOCS
    assert list(index["apis"]) == SERVICES
    assert index["apis"]["awards"] == {"docs": "/awards/docs", "openapi": "/awards/openapi.json"}


async def test_the_merged_openapi_and_its_swagger_ui_are_under_api(
    gateway: httpx.AsyncClient,
) -> None:
    document = await gateway.get(MERGED_OPENAPI)
    assert document.status_code == 200
    assert document.headers["content-type"] == "application/json"
    assert document.json() == merged_openapi()
    page = await gateway.get(MERGED_DOCS)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert f"url: '{MERGED_OPENAPI}'" in page.text
    assert "/campaigns/docs/assets/swagger-ui-bundle.js" in page.text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/openapi.json", MERGED_OPENAPI),
        ("/docs", MERGED_DOCS),
        ("/docs?tag=campaigns", f"{MERGED_DOCS}?tag=campaigns"),
        ("/api", API_INDEX),
    ],
)
async def test_the_old_addresses_redirect_permanently(
    gateway: httpx.AsyncClient, old: str, new: str
) -> None:
    moved = await gateway.get(old)
    assert moved.status_code == 308
    assert moved.headers["location"] == new


async def test_the_merged_openapi_waits_for_a_service_that_cannot_be_reached() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    proxy = HttpProxy({"campaigns": "http://campaigns.internal"})
    await proxy._client.aclose()
    proxy._client = httpx.AsyncClient(transport=httpx.MockTransport(down))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=proxy), base_url="http://gateway"
    ) as client:
        answer = await client.get(MERGED_OPENAPI)
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "2"
    assert "ConnectError" in answer.json()["detail"]
