"""Coalesced acknowledgements for one consuming channel.

Deliveries finished in the same turn of the event loop are acked with one `multiple` ack for
the finished prefix of the channel's delivery tags, which spares the broker a settle per message
(a quorum queue writes each one to its log). A finished delivery behind one still in progress —
a message waiting out its retry backoff, say — is acked on its own, so it never waits.
"""

import asyncio
import logging

from aio_pika.abc import AbstractIncomingMessage

log = logging.getLogger(__name__)


class AckCoalescer:
    def __init__(self) -> None:
        self._outstanding: dict[int, AbstractIncomingMessage | None] = {}
        self._flush: asyncio.Task[None] | None = None

    def received(self, message: AbstractIncomingMessage) -> None:
        self._outstanding[self._tag(message)] = None

    def settled_elsewhere(self, message: AbstractIncomingMessage) -> None:
        """The delivery was nacked or rejected: it no longer blocks the prefix."""
        self._outstanding.pop(self._tag(message), None)
        self._schedule()

    def finished(self, message: AbstractIncomingMessage) -> None:
        self._outstanding[self._tag(message)] = message
        self._schedule()

    async def drain(self) -> None:
        while self._flush is not None and not self._flush.done():
            await self._flush

    @staticmethod
    def _tag(message: AbstractIncomingMessage) -> int:
        tag = message.delivery_tag
        assert tag is not None
        return tag

    def _schedule(self) -> None:
        if self._flush is None or self._flush.done():
            self._flush = asyncio.create_task(self._ack_finished())

    async def _ack_finished(self) -> None:
        last: AbstractIncomingMessage | None = None
        while self._outstanding:
            tag, message = next(iter(self._outstanding.items()))
            if message is None:
                break
            del self._outstanding[tag]
            last = message
        behind = [(tag, m) for tag, m in self._outstanding.items() if m is not None]
        for tag, _ in behind:
            del self._outstanding[tag]
        try:
            if last is not None:
                await last.ack(multiple=True)
            for _, message in behind:
                await message.ack()
        except Exception as exc:
            # The channel is gone: the broker requeues whatever was unacked, and the inbox
            # absorbs the redelivery of what was already applied.
            log.info("acks lost with their channel: %r", exc)
