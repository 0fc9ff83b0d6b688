"""The one source of "now", so tests and the demo can move time without touching the OS clock."""

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    return _now()


def set_clock(clock: Callable[[], datetime]) -> None:
    global _now
    _now = clock


def travel_to(moment: datetime) -> None:
    """From now on, time runs on from `moment` (demo mode plays a past year this way)."""
    started = datetime.now(UTC)
    set_clock(lambda: moment + (datetime.now(UTC) - started))
