"""The public API, called through the gateway with the user's own bearer token.

The API decides what each role may do; the console only shows its answer. A problem answer
becomes `ApiProblem` carrying the Vietnamese message (problems.py); a 401 means the login is
over, and the user is sent to log in again.
"""

from typing import Any
from uuid import uuid4

import httpx

from thidua_console.problems import Problem

JSON = "application/json"


class ApiProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.code}")
        self.problem = problem


class LoginRequired(Exception):
    """The API refused the token (expired or revoked): the user logs in again."""


def _problem(response: httpx.Response) -> Problem:
    try:
        body: object = response.json()
    except ValueError:
        body = {}
    status = response.status_code
    if status >= 500 and not (isinstance(body, dict) and body.get("code")):
        body = {"code": "service-unavailable"}
    return Problem.from_body(status, body)


class Api:
    def __init__(self, http: httpx.AsyncClient, token: str | None) -> None:
        self.http = http
        self.token = token

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": JSON}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers | (extra or {})

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiProblem(Problem.from_body(503, {"code": "service-unavailable"})) from exc
        if response.status_code == 401 and self.token:
            raise LoginRequired
        if response.status_code >= 400:
            raise ApiProblem(_problem(response))
        return response

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = await self._send(
            "GET", path, params=_without_none(params), headers=self._headers()
        )
        return response.json()

    async def get_or_none(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """The resource, or None where the API answers 404 (not there yet)."""
        try:
            return await self.get(path, params)
        except ApiProblem as error:
            if error.problem.status == 404:
                return None
            raise

    async def items(self, path: str, params: dict[str, Any] | None = None) -> list[Any]:
        """A list's items, whether it answers a bare array or a page object."""
        found = await self.get(path, params)
        items: list[Any] = found["items"] if isinstance(found, dict) else found
        return items

    async def post(self, path: str, body: Any = None) -> Any:
        # A key per submitted form: a retried request after a lost answer changes nothing twice.
        headers = self._headers({"Idempotency-Key": str(uuid4())})
        response = await self._send("POST", path, json=body, headers=headers)
        return response.json() if response.content else None

    async def put_json(self, path: str, body: Any, *, if_match: str = "*") -> Any:
        response = await self._send(
            "PUT", path, json=body, headers=self._headers({"If-Match": if_match})
        )
        return response.json() if response.content else None

    async def patch_json(self, path: str, body: Any, *, if_match: str) -> Any:
        headers = self._headers({"If-Match": if_match})
        response = await self._send("PATCH", path, json=body, headers=headers)
        return response.json() if response.content else None

    async def put_file(
        self, path: str, content: bytes, content_type: str, *, if_match: str = "*"
    ) -> Any:
        headers = self._headers({"If-Match": if_match, "Content-Type": content_type})
        response = await self._send("PUT", path, content=content, headers=headers)
        return response.json() if response.content else None

    async def post_file(self, path: str, content: bytes, content_type: str) -> Any:
        headers = self._headers({"Idempotency-Key": str(uuid4()), "Content-Type": content_type})
        response = await self._send("POST", path, content=content, headers=headers)
        return response.json() if response.content else None

    async def download(self, path: str) -> httpx.Response:
        """A document as the API serves it (PDF, DOCX, XLSX, ZIP), passed on to the browser."""
        return await self._send("GET", path, headers=self._headers({"Accept": "*/*"}))


def _without_none(params: dict[str, Any] | None) -> dict[str, Any] | None:
    if params is None:
        return None
    return {k: v for k, v in params.items() if v is not None and v != ""}
