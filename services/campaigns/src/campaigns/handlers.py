"""What the campaigns service consumes: nothing yet. It is where the other services' data
comes in, so every service keeps its inbound events in handlers.py."""

from thidua_shared.platform.consumer import HandlerSpec

HANDLERS: dict[str, HandlerSpec] = {}
