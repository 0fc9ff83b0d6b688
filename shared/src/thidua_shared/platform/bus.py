"""What the services need from an event bus: RabbitMQ in production, in-process in all-in-one."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from thidua_shared.contracts.envelope import Envelope


@dataclass(frozen=True)
class OutgoingMessage:
    event_id: str
    event_type: str
    body: str


@dataclass(frozen=True)
class Subscription:
    """One consuming service: its queue, the event types bound to it, and how it handles them."""

    queue: str
    event_types: tuple[str, ...]
    handle: Callable[[Envelope], Awaitable[None]]
    store_dead_letter: Callable[[str, str, str, str, int], Awaitable[None]]


class EventBus(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def subscribe(self, subscription: Subscription) -> None: ...

    async def publish(self, messages: Sequence[OutgoingMessage]) -> set[str]:
        """Publishes durably; returns the ids of the messages that were not accepted."""
        ...

    async def ping(self) -> bool: ...

    async def dead_letter_count(self, queue: str) -> int | None:
        """Messages waiting in the broker's dead-letter queue, or None where the bus keeps none."""
        ...


def retry_delay(attempt: int, *, base: float, cap: float) -> float:
    return float(min(cap, base * 2 ** (attempt - 1)))
