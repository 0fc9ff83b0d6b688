"""Control characters refused in every text a client sends: JSON bodies, query values, path
segments and the cells of uploaded files.

C0 controls other than tab, line feed and carriage return, and the C1 controls (U+0080 to
U+009F), have no place in names, commitments or codes. PostgreSQL cannot store NUL in text at
all, and the others end up in official documents and exports, where they break or hide text.
A request carrying one is answered 422 naming the field, before any route runs.
"""

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_shared.platform.errors import Unprocessable, problem

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f]")
# In a JSON body a control character is either escaped (\u00XX: the escapes of C0 and C1) or,
# for C1, UTF-8 bytes C2 80 to C2 9F. Bodies without either are not parsed a second time.
_MAYBE_CONTROL_IN_JSON = re.compile(rb"\\u00[0189][0-9a-fA-F]|\xc2[\x80-\x9f]")


def control_character(text: str) -> str | None:
    """The first refused control character of a text, as U+XXXX, or None."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


class ControlCharacterRefused(Unprocessable):
    code = "control-character"


def refusal(field: str, character: str) -> ControlCharacterRefused:
    return ControlCharacterRefused(
        f"{field} contains the control character {character}; remove it.", field=field
    )


def check_text(text: str, field: str) -> None:
    character = control_character(text)
    if character:
        raise refusal(field, character)


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) of every key and string of a JSON document, in the path style of
    the validation errors: units[0].name."""
    if isinstance(value, str):
        yield path or "body", value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            yield path or "body", key
            yield from _json_strings(item, child)


def _first_in_json(body: bytes) -> tuple[str, str] | None:
    if not _MAYBE_CONTROL_IN_JSON.search(body):
        return None
    try:
        document = json.loads(body)
    except ValueError:
        # Not JSON: the route's own validation answers it.
        return None
    for field, text in _json_strings(document, ""):
        character = control_character(text)
        if character:
            return field, character
    return None


def _first_in_request_line(scope: Scope) -> tuple[str, str] | None:
    character = control_character(scope["path"])
    if character:
        return "path", character
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        character = control_character(name) or control_character(value)
        if character:
            return name, character
    return None


class ControlCharacterGuard:
    """Answers 422 to a request whose path, query or JSON body holds a control character."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = _first_in_request_line(scope)
        if found is None and _is_json(scope):
            body, receive = await _buffered(receive)
            found = _first_in_json(body)
        if found is None:
            await self.app(scope, receive, send)
            return
        await _answer(scope, receive, send, refusal(*found))


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return b"json" in value.lower()
    return False


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a receive that hands it to the app as if unread."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay


async def _answer(scope: Scope, receive: Receive, send: Send, error: Unprocessable) -> None:
    response = problem(
        error.status,
        error.title,
        error.detail,
        code=error.code,
        request=Request(scope, receive),
        field=error.field,
    )
    await response(scope, receive, send)
