"""The OIDC login against a local provider (oidc-provider-mock): the authorization code flow
with PKCE S256, state and nonce, and a callback whose state is not the session's refused."""

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from oidc_provider_mock import User, run_server_in_thread  # type: ignore[import-untyped]

from thidua_console.app import create_console_app
from thidua_console.settings import ConsoleSettings

CONSOLE_URL = "http://console.test"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    office = User(sub="thuong-truc", claims={"role": "office", "name": "Phạm Thị Lan"})
    with run_server_in_thread(user_claims=[office], require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
async def console(provider: str) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    settings = ConsoleSettings(
        oidc_issuer=provider,
        # The mock authenticates every client, so the console is a confidential one here.
        oidc_client_secret="bi-mat-cua-ung-dung",
        # Its access tokens are opaque: the ID token is what the API would get.
        oidc_api_token="id_token",
        public_url=CONSOLE_URL,
        session_key="s" * 48,
    )
    app = create_console_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=CONSOLE_URL) as client,
    ):
        yield app, client


async def _authorize(client: httpx.AsyncClient) -> tuple[dict[str, list[str]], str]:
    """The console's redirect to the provider, and where the provider sends the user back."""
    started = await client.get("/dang-nhap/oidc")
    assert started.status_code == 303
    query = parse_qs(urlsplit(started.headers["location"]).query)
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(started.headers["location"], data={"sub": "thuong-truc"})
    assert answer.status_code in (302, 303), answer.text[:300]
    return query, answer.headers["location"]


async def test_the_code_flow_with_pkce_logs_the_user_in(console: Any) -> None:
    _, client = console
    query, back_to = await _authorize(client)
    assert query["code_challenge_method"] == ["S256"]
    for sent in ("state", "nonce", "code_challenge"):
        assert query[sent], sent
    assert query["redirect_uri"] == [f"{CONSOLE_URL}/dang-nhap/oidc/callback"]
    callback = urlsplit(back_to)
    done = await client.get(f"{callback.path}?{callback.query}")
    assert done.status_code == 303, done.text[:500]
    assert done.headers["location"] == "/phong-trao"
    page = await client.get("/dang-nhap")
    assert "Phạm Thị Lan" in page.text
    assert "Thường trực Hội đồng" in page.text


async def test_a_callback_with_another_state_is_refused(console: Any) -> None:
    _, client = console
    _, back_to = await _authorize(client)
    callback = urlsplit(back_to)
    code = parse_qs(callback.query)["code"][0]
    refused = await client.get(f"{callback.path}?code={code}&state=forged")
    assert refused.status_code == 400
    page = await client.get("/dang-nhap")
    assert "Phạm Thị Lan" not in page.text
