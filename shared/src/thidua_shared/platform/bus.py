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


@dataclass(frozen=True)
class ConsumerHealth:
    queue: str
    attached: bool
    # How long it has been detached (0 while attached): liveness fails past a limit.
    detached_seconds: float


class EventBus(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def subscribe(self, subscription: Subscription) -> None: ...

    async def publish(self, messages: Sequence[OutgoingMessage]) -> set[str]:
        """Publishes durably; returns the ids of the messages that were not accepted."""
        ...

    async def ping(self) -> bool: ...

    def on_connected(self, callback: Callable[[], None]) -> None:
        """Calls back after every (re)connection to the broker."""
        ...

    def consumers(self) -> list[ConsumerHealth]: ...

    def disconnected_seconds(self) -> float:
        """How long the bus has been without a broker connection (0 while connected)."""
        ...

    async def broker_reachable(self) -> bool:
        """Whether the broker answers at all, connected or not."""
        ...

    async def dead_letter_count(self, queue: str) -> int | None:
        """Messages waiting in the broker's dead-letter queue, or None where the bus keeps none."""
        ...


def retry_delay(attempt: int, *, base: float, cap: float) -> float:
    return float(min(cap, base * 2 ** (attempt - 1)))
