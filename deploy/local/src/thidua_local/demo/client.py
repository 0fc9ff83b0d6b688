"""The demo's view of the system: one gateway address, and tokens of the roles it plays."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from thidua_shared.platform.auth import Role

SERVICES = ("campaigns", "pledges", "reports", "awards")
TokenFactory = Callable[[Role, str | None], str]


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


@dataclass
class DemoClient:
    http: httpx.AsyncClient
    tokens: TokenFactory

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
        return ok(await self.http.request(method, path, headers=headers, **kwargs))

    async def until_accepted(
        self, method: str, path: str, *, patience: float = 60, **kwargs: Any
    ) -> Any:
        """Retries a call refused with 409 while another service's events are still on their way."""
        deadline = asyncio.get_running_loop().time() + patience
        while True:
            try:
                return await self.call(method, path, **kwargs)
            except DemoError as error:
                if error.status != 409 or asyncio.get_running_loop().time() > deadline:
                    raise
            await asyncio.sleep(0.2)

    async def set_time(self, moment: datetime) -> None:
        await asyncio.gather(
            *(
                self.call("PUT", f"/{s}/ops/clock", json={"now": moment.isoformat()})
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
