"""HTTP semantics of RFC 9110 the kit gives every route: conditional requests (If-Match,
If-None-Match), 415 for a body of the wrong media type, and canonical JSON for comparing an
Idempotency-Key's replay with the first request.

The API's ETags are strong and numeric ("3", the resource's version). If-Match compares them
strongly (13.1.1): `*` matches any current representation; a weak tag, or anything that is not
one of our ETags, matches none, so the answer is 412 Precondition Failed, never a 400.
If-None-Match compares weakly (13.1.2): a GET whose answer carries an ETag it names gets
304 Not Modified, without a body.
"""

import json
import re
from typing import Annotated, Any

from fastapi import Depends, Header
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_shared.platform.errors import (
    PreconditionFailed,
    PreconditionRequired,
    UnsupportedMediaType,
    send_problem,
)
from thidua_shared.platform.routes import route_of

ANY = "*"
# One entity-tag of RFC 9110 8.8.3: an optional W/ and a quoted opaque tag.
_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*')
_IF_MATCH_REQUIRED = (
    "Send If-Match with the ETag you read (or * for any current state), so a concurrent "
    "change is not overwritten."
)


def entity_tags(value: str) -> list[tuple[bool, str]] | None:
    """The (weak, opaque tag) pairs of an If-Match or If-None-Match list; None if malformed."""
    tags: list[tuple[bool, str]] = []
    for member in value.split(","):
        if not member.strip():
            continue
        found = _ENTITY_TAG.fullmatch(member)
        if found is None:
            return None
        tags.append((found.group(1) is not None, found.group(2)))
    return tags


def version_to_match(if_match: str) -> int | None:
    """The version If-Match requires, or None for `*`. A value that can match none of this
    API's ETags fails the precondition (412)."""
    if if_match.strip() == ANY:
        return None
    tags = entity_tags(if_match) or []
    versions = {int(tag) for weak, tag in tags if not weak and tag.isdigit()}
    if len(versions) != 1:
        raise PreconditionFailed(
            "If-Match names no current ETag of this resource: send the one ETag you read.",
            field="If-Match",
        )
    return versions.pop()


async def if_match_sent(
    if_match: Annotated[str | None, Header(description="`*`: whatever the current state.")] = None,
) -> str:
    if if_match is None:
        raise PreconditionRequired(_IF_MATCH_REQUIRED, field="If-Match")
    return if_match


def require_any_state(if_match: str) -> None:
    """For a PUT of a resource that has no ETag of its own, only `*` can match. Checked by the
    route, after its parameters were validated, so that a bad parameter is a 422 first."""
    if if_match.strip() != ANY:
        raise PreconditionFailed("This resource has no ETag: send If-Match: *.", field="If-Match")


# A parameter after the caller's, so that a refused caller hears 401/403 first.
IfMatchSent = Annotated[str, Depends(if_match_sent)]


def weakly_matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == ANY:
        return True
    current = etag.strip().removeprefix("W/")
    return any(f'"{tag}"' == current for _, tag in entity_tags(if_none_match) or [])


def canonical_json(body: bytes) -> bytes:
    """The body with keys sorted and no insignificant whitespace, if it is JSON."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _takes_json(route: Any) -> bool:
    declared = (route.openapi_extra or {}).get("requestBody")
    return route.body_field is not None and declared is None


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class ConditionalRequests:
    """304 for a GET whose If-None-Match names the answer's ETag; 415 for a JSON route sent
    another media type."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        writes = scope["method"] in ("POST", "PUT", "PATCH")
        if writes and content_type and not _is_json(content_type) and self._route_takes_json(scope):
            refused = UnsupportedMediaType(
                f"This operation takes application/json, not {content_type}.",
                field="Content-Type",
            )
            await send_problem(scope, send, refused)
            return
        if_none_match = headers.get(b"if-none-match")
        if scope["method"] not in ("GET", "HEAD") or if_none_match is None:
            await self.app(scope, receive, send)
            return
        wanted = if_none_match.decode("latin-1")
        not_modified = False

        async def send_unless_unchanged(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start" and message["status"] == 200:
                etag = dict(message.get("headers", [])).get(b"etag")
                if etag is not None and weakly_matches(wanted, etag.decode("latin-1")):
                    not_modified = True
                    kept = [
                        (k, v)
                        for k, v in message.get("headers", [])
                        if k.lower() not in (b"content-length", b"content-type")
                    ]
                    await send({"type": "http.response.start", "status": 304, "headers": kept})
                    await send({"type": "http.response.body", "body": b""})
                    return
            if not not_modified:
                await send(message)

        await self.app(scope, receive, send_unless_unchanged)

    @staticmethod
    def _route_takes_json(scope: Scope) -> bool:
        route = route_of(scope)
        return route is not None and _takes_json(route)
