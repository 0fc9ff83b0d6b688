"""The demo client retries what a restart or a lost connection breaks, and only that, with the
same Idempotency-Key each time so that a retried POST is not done twice."""

from collections.abc import Iterator

import httpx
import pytest

from thidua_local.demo.client import MAX_ATTEMPTS, DemoClient, DemoError
from thidua_shared.platform.auth import Role


class Upstream:
    """Answers each request with the next of a script, and keeps the requests it was sent."""

    def __init__(self, *script: int | type[httpx.TransportError]) -> None:
        self.script: Iterator[int | type[httpx.TransportError]] = iter(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = next(self.script)
        if isinstance(step, int):
            return httpx.Response(step, json={"status": step})
        raise step("the connection broke", request=request)

    def keys(self) -> list[str | None]:
        return [r.headers.get("Idempotency-Key") for r in self.requests]


def _client(upstream: Upstream, backoff_seconds: float = 0) -> DemoClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream), base_url="http://gateway")
    return DemoClient(http, lambda role, unit: f"token-{role.value}", backoff_seconds)


@pytest.mark.parametrize("failure", [502, 503, httpx.ConnectError, httpx.ReadTimeout])
async def test_a_post_is_sent_again_with_the_same_key(
    failure: int | type[httpx.TransportError],
) -> None:
    upstream = Upstream(failure, failure, 200)

    answer = await _client(upstream).call("POST", "/campaigns/campaigns/1/launch")

    assert answer == {"status": 200}
    [key] = set(upstream.keys())
    assert key
    assert len(upstream.requests) == 3


async def test_each_call_has_its_own_key_and_a_given_key_is_kept() -> None:
    upstream = Upstream(201, 201, 201)
    client = _client(upstream)

    await client.call("POST", "/awards/exemplars", json={})
    await client.call("POST", "/awards/exemplars", json={})
    await client.call("POST", "/awards/exemplars", json={}, headers={"Idempotency-Key": "mine"})

    first, second, given = upstream.keys()
    assert first is not None
    assert first != second
    assert given == "mine"


async def test_reads_carry_no_key() -> None:
    upstream = Upstream(503, 200)

    await _client(upstream).call("GET", "/campaigns/campaigns", role=Role.OBSERVER)

    assert upstream.keys() == [None, None]
    assert upstream.requests[0].headers["Authorization"] == "Bearer token-observer"


async def test_it_gives_up_after_five_attempts() -> None:
    unavailable = Upstream(*[503] * MAX_ATTEMPTS)
    with pytest.raises(DemoError) as refused:
        await _client(unavailable).call("POST", "/pledges/registrations", json={})
    assert refused.value.status == 503
    assert len(unavailable.requests) == MAX_ATTEMPTS == 5

    unreachable = Upstream(*[httpx.ConnectError] * MAX_ATTEMPTS)
    with pytest.raises(httpx.ConnectError):
        await _client(unreachable).call("POST", "/pledges/registrations", json={})
    assert len(unreachable.requests) == MAX_ATTEMPTS


@pytest.mark.parametrize("answer", [400, 404, 409, 500])
async def test_other_answers_are_not_retried(answer: int) -> None:
    upstream = Upstream(answer)
    with pytest.raises(DemoError):
        await _client(upstream).call("POST", "/reports/reports", json={})
    assert len(upstream.requests) == 1


async def test_the_pauses_grow_with_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr("thidua_local.demo.client.asyncio.sleep", pause)
    upstream = Upstream(*[503] * (MAX_ATTEMPTS - 1), 200)

    await _client(upstream, backoff_seconds=1).call("POST", "/awards/decisions", json={})

    assert len(pauses) == MAX_ATTEMPTS - 1
    for attempt, seconds in enumerate(pauses):
        assert 2**attempt / 2 <= seconds <= 2**attempt


async def test_waiting_for_acceptance_keeps_one_key() -> None:
    upstream = Upstream(409, 503, 409, 201)

    created = await _client(upstream).until_accepted("POST", "/pledges/registrations", json={})

    assert created == {"status": 201}
    [key] = set(upstream.keys())
    assert key


async def test_a_list_is_read_page_by_page_following_the_link() -> None:
    pages = {
        "0": (['{"id": 1}', '{"id": 2}'], "</awards/cluster-votes?campaign_id=c&offset=2>"),
        "2": (['{"id": 3}'], None),
    }
    seen: list[str] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        items, following = pages[request.url.params.get("offset", "0")]
        headers = {"Content-Type": "application/json"}
        if following:
            headers["Link"] = f'{following}; rel="next"'
        return httpx.Response(200, content=f"[{','.join(items)}]", headers=headers)

    http = httpx.AsyncClient(transport=httpx.MockTransport(upstream), base_url="http://gateway")
    client = DemoClient(http, lambda role, unit: "token", 0)

    items = await client.every_page("/awards/cluster-votes", params={"campaign_id": "c"})

    assert items == [{"id": 1}, {"id": 2}, {"id": 3}]
    assert seen[1] == "http://gateway/awards/cluster-votes?campaign_id=c&offset=2"
