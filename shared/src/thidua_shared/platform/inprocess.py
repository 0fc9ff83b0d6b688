"""In-process event bus for the all-in-one mode.

Publishing returns only after every subscriber has committed (or dead-lettered) the event, so
the outbox row is marked sent only once its effect is durable: a crash loses nothing here
either, at the price of the relay moving at the consumers' pace.
"""

import asyncio
import logging
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.platform.bus import ConsumerHealth, OutgoingMessage, Subscription, retry_delay

log = logging.getLogger(__name__)


class InProcessBus:
    def __init__(
        self, *, max_deliveries: int = 5, backoff_seconds: float = 0.5, backoff_cap: float = 30.0
    ) -> None:
        self._subscriptions: list[Subscription] = []
        self._max_deliveries = max_deliveries
        self._backoff = backoff_seconds
        self._backoff_cap = backoff_cap

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def subscribe(self, subscription: Subscription) -> None:
        self._subscriptions.append(subscription)

    async def ping(self) -> bool:
        return True

    def on_connected(self, callback: Callable[[], None]) -> None:
        return None

    def consumers(self) -> list[ConsumerHealth]:
        # Delivery is a function call: a subscriber is attached for as long as the process runs.
        return [
            ConsumerHealth(s.queue, attached=True, detached_seconds=0.0)
            for s in self._subscriptions
        ]

    async def broker_reachable(self) -> bool:
        return True

    def disconnected_seconds(self) -> float:
        return 0.0

    async def dead_letter_count(self, queue: str) -> int | None:
        return None

    async def publish(self, messages: Sequence[OutgoingMessage]) -> set[str]:
        for message in messages:
            targets = [s for s in self._subscriptions if message.event_type in s.event_types]
            if targets:
                await asyncio.gather(*(self._deliver(s, message) for s in targets))
        return set()

    async def redeliver(self, queue: str, message: OutgoingMessage) -> None:
        """A dead letter delivered again to the subscriber of `queue` alone (the others have
        applied it); failing again, it is stored anew."""
        targets = [s for s in self._subscriptions if s.queue == queue]
        if not targets:
            raise LookupError(f"nothing subscribes as {queue} in this process")
        await self._deliver(targets[0], message)

    async def _deliver(self, subscription: Subscription, message: OutgoingMessage) -> None:
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as exc:
            await self._dead_letter(subscription, message, repr(exc), 1)
            return
        for attempt in range(1, self._max_deliveries + 1):
            try:
                await subscription.handle(envelope)
                return
            except Exception as exc:
                if attempt == self._max_deliveries:
                    await self._dead_letter(subscription, message, repr(exc), attempt)
                    return
                log.warning(
                    "%s failed on %s (attempt %d): %r",
                    subscription.queue,
                    message.event_type,
                    attempt,
                    exc,
                )
                await asyncio.sleep(retry_delay(attempt, base=self._backoff, cap=self._backoff_cap))

    async def _dead_letter(
        self, subscription: Subscription, message: OutgoingMessage, error: str, attempts: int
    ) -> None:
        log.error(
            "dead-lettering %s %s for %s after %d attempts: %s",
            message.event_type,
            message.event_id,
            subscription.queue,
            attempts,
            error,
        )
        await subscription.store_dead_letter(
            message.event_id, message.event_type, message.body, error, attempts
        )
