"""Limits on what anonymous callers may send, kept in the service itself (not only at the
gateway): a sliding window of recent requests per key, and the caller's address as the service
can trust it.

An address in X-Forwarded-For is believed only when the request came from a configured gateway
(THIDUA_TRUSTED_GATEWAYS, addresses or networks); otherwise anyone could name any address and
pass every per-address limit. The windows are per process: N replicas allow up to N times the
limit, which still bounds a flood.
"""

import ipaddress
import time
from collections import deque
from collections.abc import Callable, Sequence

from starlette.requests import Request

from thidua_shared.platform.errors import ProblemError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_KEYS = 10_000


class TooManyRequests(ProblemError):
    status = 429
    title = "Too many requests"
    code = "too-many-requests"

    def __init__(self, detail: str, *, retry_after: float, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.headers = {"Retry-After": str(max(1, round(retry_after)))}


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """`10.0.0.5, 172.16.0.0/12` → the networks; an empty setting trusts no proxy."""
    return tuple(ipaddress.ip_network(part.strip()) for part in setting.split(",") if part.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: Request, gateways: Sequence[Network]) -> str:
    """The caller's address: the peer's, or, when the peer is a trusted gateway, the nearest
    address in X-Forwarded-For that is not itself a trusted gateway."""
    peer = request.client.host if request.client else ""
    chain = [peer]
    if any(address in network for network in gateways if (address := _address(peer))):
        forwarded = request.headers.get("x-forwarded-for", "")
        chain = [peer, *reversed([hop for hop in forwarded.split(",") if hop.strip()])]
    for hop in chain:
        address = _address(hop)
        if address is None or not any(address in network for network in gateways):
            return hop.strip()
    return chain[-1].strip()


class SlidingWindow:
    """At most `limit` events per key in any `seconds`; keys idle past the window are dropped."""

    def __init__(
        self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._seconds = seconds
        self._clock = clock
        self._events: dict[str, deque[float]] = {}

    def take(self, key: str) -> float | None:
        """Counts one event for `key`; None when allowed, else the seconds until it would be."""
        now = self._clock()
        if len(self._events) > 10_000:  # forget keys that have gone quiet, so memory is bounded
            self._events = {
                k: e for k, e in self._events.items() if e and e[-1] > now - self._seconds
            }
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self._seconds:
            events.popleft()
        if len(events) >= self._limit:
            return events[0] + self._seconds - now
        events.append(now)
        return None
