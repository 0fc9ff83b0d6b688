"""The one source of "now", so tests and the demo can move time without touching the OS clock.

`now()` is on hot paths: it is one call and one addition at most, never a database read. The
demo clock (demo_clock.py) keeps its offset in the service's database and hands it here.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


def _os_clock() -> datetime:
    return datetime.now(UTC)


_now: Callable[[], datetime] = _os_clock
# When the offset in force was set; None while the OS clock (or a test's clock) rules.
_offset_set_at: datetime | None = None


def now() -> datetime:
    return _now()


def set_clock(clock: Callable[[], datetime]) -> None:
    """Replaces the clock outright (tests freeze time this way); a stored offset may follow."""
    global _now, _offset_set_at
    _now = clock
    _offset_set_at = None


def follow_offset(offset: timedelta, set_at: datetime) -> None:
    """From now on, time runs `offset` ahead of the OS clock, unless an offset set later is
    already in force: the services sharing one process (the all-in-one mode) each hold their
    own, and the one set last wins, as it would if each had its own process."""
    global _now, _offset_set_at
    if _offset_set_at is not None and set_at <= _offset_set_at:
        return

    def shifted() -> datetime:
        return datetime.now(UTC) + offset

    _now = shifted
    _offset_set_at = set_at
