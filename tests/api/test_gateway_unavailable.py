"""While a service cannot be reached, the gateway answers 503 with Retry-After, so clients know
to try again (with their Idempotency-Key, safely) instead of failing on a 502."""

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import Message

from thidua_local.gateway import RETRY_AFTER_SECONDS, HttpProxy


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def _hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.close()


@pytest.fixture
async def hanging_up_port() -> AsyncIterator[int]:
    """A service that accepts the connection and drops it without answering."""
    server = await asyncio.start_server(_hang_up, "127.0.0.1", 0)
    async with server:
        yield server.sockets[0].getsockname()[1]


async def _run_lifespan(proxy: HttpProxy) -> None:
    """Starts and stops the proxy as a server would, which closes its connections."""
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive() -> Message:
        return next(messages)

    async def send(message: Message) -> None:
        return None

    await proxy({"type": "lifespan"}, receive, send)


async def _through_gateway(port: int) -> httpx.Response:
    proxy = HttpProxy({"campaigns": f"http://127.0.0.1:{port}"})
    transport = httpx.ASGITransport(app=proxy)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.post(
            "/campaigns/campaigns/1/launch", headers={"Idempotency-Key": "launch-1"}
        )
    await _run_lifespan(proxy)
    return response


async def test_a_service_that_is_down_answers_503_with_retry_after() -> None:
    response = await _through_gateway(_closed_port())

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["type"]) == (503, "urn:thidua:problem:service-unavailable")
    assert "campaigns" in problem["detail"]
    assert problem["instance"] == "/campaigns/campaigns/1/launch"


async def test_a_connection_dropped_without_an_answer_answers_503(hanging_up_port: int) -> None:
    response = await _through_gateway(hanging_up_port)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
