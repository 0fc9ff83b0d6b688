"""The demo's view of the system: one gateway address, and tokens of the roles it plays.

A year of calls meets a restarting service or a dropped connection now and then: the client
sends each call again, a few times with growing pauses, and every POST carries an
Idempotency-Key so a call whose answer was lost is not done twice.
"""

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

import httpx

from thidua_shared.platform.auth import Role

SERVICES = ("campaigns", "pledges", "reports", "awards")
TokenFactory = Callable[[Role, str | None], str]
# What a gateway answers while a service is down or restarting; worth another try.
RETRIED_STATUSES = frozenset({502, 503})
MAX_ATTEMPTS = 5


class DemoError(RuntimeError):
    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def ok(response: httpx.Response) -> Any:
    if response.status_code >= 300:
        raise DemoError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:800]}",
            response.status_code,
        )
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json()
    return response.content


def with_idempotency_key(method: str, headers: dict[str, str]) -> dict[str, str]:
    """A POST's headers with an Idempotency-Key: the caller's own, or a new one."""
    if method.upper() != "POST" or "Idempotency-Key" in headers:
        return headers
    return {**headers, "Idempotency-Key": str(uuid4())}


@dataclass
class DemoClient:
    http: httpx.AsyncClient
    tokens: TokenFactory
    # The pause before the first retry; each further one doubles it.
    backoff_seconds: float = 0.5

    def as_role(self, role: Role, unit: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens(role, unit)}"}

    def as_unit(self, unit: str) -> dict[str, str]:
        return self.as_role(Role.UNIT_HEAD, unit)

    async def call(
        self,
        method: str,
        path: str,
        *,
        role: Role = Role.OFFICE,
        unit: str | None = None,
        **kwargs: Any,
    ) -> Any:
        headers = {**self.as_role(role, unit), **kwargs.pop("headers", {})}
        headers = with_idempotency_key(method, headers)
        return ok(await self._send(method, path, headers=headers, **kwargs))

    async def every_page(
        self, path: str, *, role: Role = Role.OFFICE, unit: str | None = None, **kwargs: Any
    ) -> list[Any]:
        """Every item of a list, following its `Link: rel="next"` pages: a bare JSON array, or
        the `items` of a page object."""
        items: list[Any] = []
        following: str | None = path
        while following is not None:
            response = await self._send(
                "GET", following, headers=self.as_role(role, unit), **kwargs
            )
            page = ok(response)
            items += page["items"] if isinstance(page, dict) else page
            following = response.links.get("next", {}).get("url")
            # The next page's link carries the query, filters included.
            kwargs.pop("params", None)
        return items

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The response, after up to MAX_ATTEMPTS tries while the connection fails or the
        gateway answers 502/503; the same headers, so the same Idempotency-Key, every time."""
        attempt = 1
        while True:
            try:
                response = await self.http.request(method, path, **kwargs)
                if response.status_code not in RETRIED_STATUSES or attempt == MAX_ATTEMPTS:
                    return response
            except httpx.TransportError:
                if attempt == MAX_ATTEMPTS:
                    raise
            # Jittered, so that the many calls the demo makes at once do not retry in step.
            pause = self.backoff_seconds * 2 ** (attempt - 1)
            await asyncio.sleep(random.uniform(pause / 2, pause))
            attempt += 1

    async def until_accepted(
        self, method: str, path: str, *, patience: float = 60, **kwargs: Any
    ) -> Any:
        """Retries a call refused with 409 while another service's events are still on their way."""
        # One key for every try: a refused call leaves its key unused.
        kwargs["headers"] = with_idempotency_key(method, kwargs.get("headers", {}))
        deadline = asyncio.get_running_loop().time() + patience
        while True:
            try:
                return await self.call(method, path, **kwargs)
            except DemoError as error:
                if error.status != 409 or asyncio.get_running_loop().time() > deadline:
                    raise
            await asyncio.sleep(0.2)

    async def set_time(self, moment: datetime) -> None:
        # The demo is the one office moving time: it sets the moment whatever the clock shows.
        await asyncio.gather(
            *(
                self.call(
                    "PUT",
                    f"/{s}/ops/clock",
                    json={"now": moment.isoformat()},
                    headers={"If-Match": "*"},
                )
                for s in SERVICES
            )
        )


async def wait_until(
    check: Callable[[], Awaitable[Any]], what: str, *, patience: float = 120, every: float = 0.3
) -> Any:
    deadline = asyncio.get_running_loop().time() + patience
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise DemoError(f"timed out waiting for {what}")
        await asyncio.sleep(every)
