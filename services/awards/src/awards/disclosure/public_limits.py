"""How much the public may send while a list is disclosed, with no token: per caller address
and per disclosure, counted in the service itself (platform/rate_limit.py)."""

from uuid import UUID

from starlette.requests import Request

from thidua_shared.platform.rate_limit import (
    SlidingWindow,
    TooManyRequests,
    client_address,
    trusted_networks,
)
from thidua_shared.platform.runtime import ServiceRuntime

# A person writes a comment or two; a disclosure of a province's list draws dozens in its ten
# working days. Anything beyond is a script, which the office's queue must not drown in.
PER_ADDRESS = (5, 600.0)  # comments, seconds
PER_DISCLOSURE = (100, 3600.0)


class PublicCommentLimits:
    def __init__(self, trusted_gateways: str) -> None:
        self.gateways = trusted_networks(trusted_gateways)
        self.per_address = SlidingWindow(*PER_ADDRESS)
        self.per_disclosure = SlidingWindow(*PER_DISCLOSURE)


def _limits(request: Request) -> PublicCommentLimits:
    state = request.app.state
    if not hasattr(state, "public_comment_limits"):
        runtime: ServiceRuntime = state.runtime
        state.public_comment_limits = PublicCommentLimits(runtime.settings.trusted_gateways)
    limits: PublicCommentLimits = state.public_comment_limits
    return limits


async def within_public_limits(request: Request, disclosure_id: UUID) -> None:
    """Refuses with 429 and Retry-After a caller, or a disclosure, past its limit."""
    limits = _limits(request)
    wait = limits.per_address.take(client_address(request, limits.gateways))
    if wait is not None:
        raise TooManyRequests(
            "Too many comments from your address; try again later.", retry_after=wait
        )
    wait = limits.per_disclosure.take(str(disclosure_id))
    if wait is not None:
        raise TooManyRequests(
            "This disclosure is receiving too many comments; try again later.",
            retry_after=wait,
            field="disclosure_id",
        )
