"""Publishes committed outbox rows, oldest first, and deletes them once the broker confirmed them.

Rows are claimed with FOR UPDATE SKIP LOCKED and stay locked while they are published, so
several relays never publish the same row concurrently. A relay that dies after publishing and
before marking leaves the rows pending: they are published again, and the consumers' inbox
absorbs the duplicate. The relay wakes as soon as its own process commits an outbox row, or,
listening on the outbox's notification channel, when any process does; it also polls slowly
in case a notification is missed (a dropped listening connection). Under load it needs no
waking and stops listening until a pass finds the outbox all but empty again.
"""

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from thidua_shared.platform import faults
from thidua_shared.platform.bus import EventBus, OutgoingMessage
from thidua_shared.platform.db import OUTBOX_CHANNEL
from thidua_shared.platform.metrics import observed_publish

log = logging.getLogger(__name__)

_CLAIM = (
    "SELECT id, event_id, event_type, body FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED"
)
_BACKLOG = text(
    "SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) "
    "FROM outbox"
)
# Sent rows go: the archive stream keeps every published event, and a table that holds only
# pending rows stays small and needs no index for the claim.
_MARK_SENT = "DELETE FROM outbox WHERE id = ANY($1::bigint[])"


@dataclass(frozen=True)
class Backlog:
    pending: int
    oldest_age_seconds: float


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        bus: EventBus,
        *,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        linger_seconds: float = 0.0,
        listen: bool = False,
        service: str = "",
    ) -> None:
        self._service = service
        self._linger = linger_seconds
        self._engine = engine
        self._listen = listen
        self._listener: asyncpg.Connection | None = None
        self._listening = False
        self._bus = bus
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wakeup.set()

    def _notified(self, *_: object) -> None:
        self.wake()

    async def _listen_while_idle(self, idle: bool) -> bool:
        """Listens only while idle; True when it has just begun listening again.

        A busy relay comes back after its linger without being told, and a notification for
        every commit costs PostgreSQL (signalling this connection's backend, which reads the
        queue and sends each one) and this process more than the events' other work there.
        """
        if self._listener is None or idle == self._listening:
            return False
        if idle:
            await self._listener.add_listener(OUTBOX_CHANNEL, self._notified)
        else:
            await self._listener.remove_listener(OUTBOX_CHANNEL, self._notified)
        self._listening = idle
        return idle

    async def start(self) -> None:
        if self._listen:
            dsn = make_url(self._engine.url).set(drivername="postgresql")
            self._listener = await asyncpg.connect(dsn.render_as_string(hide_password=False))
            await self._listener.add_listener(OUTBOX_CHANNEL, self._notified)
            self._listening = True
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        # A flag as well as the cancel: on Python 3.11 a cancel that lands while the wait is
        # being woken can be swallowed, and the relay would outlive its engine.
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._listener is not None:
            await self._listener.close()
            self._listener = None

    async def relay_once(self) -> int:
        # Straight on the driver: the relay runs for every batch and needs nothing of the ORM.
        async with self._engine.connect() as pooled:
            driver = (await pooled.get_raw_connection()).driver_connection
            assert driver is not None
            async with driver.transaction():
                rows = await driver.fetch(_CLAIM, self._batch_size)
                if not rows:
                    return 0
                failed = await observed_publish(
                    self._service,
                    self._bus,
                    [OutgoingMessage(str(r["event_id"]), r["event_type"], r["body"]) for r in rows],
                )
                faults.hit("relay.mid_batch")
                sent = [r["id"] for r in rows if str(r["event_id"]) not in failed]
                if sent:
                    await driver.execute(_MARK_SENT, sent)
        if failed:
            raise RuntimeError(f"{len(failed)} of {len(rows)} events were not accepted")
        return len(rows)

    async def pending(self) -> int:
        return (await self.backlog()).pending

    async def backlog(self) -> Backlog:
        async with self._engine.connect() as conn:
            pending, age = (await conn.execute(_BACKLOG)).one()
        return Backlog(int(pending), float(age))

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            self._wakeup.clear()
            try:
                relayed = await self.relay_once()
                failures = 0
                # Rows committed before listening began again are not announced: one more pass
                # finds them, and from then on every commit is.
                if await self._listen_while_idle(relayed <= 1):
                    continue
            except Exception as exc:
                failures += 1
                log.warning("outbox relay failed (%d in a row); retrying: %r", failures, exc)
                # Bounded and jittered; a reconnected bus wakes the relay at once.
                ceiling = min(3.0, 0.25 * 2 ** min(failures, 6))
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(random.uniform(ceiling / 2, ceiling)):
                        await self._wakeup.wait()
                continue
            if relayed == self._batch_size:
                continue
            if relayed > 1:
                # Under load a short pause lets commits gather into one batch: one claim, one
                # mark and one round of confirms for many events instead of one each.
                await asyncio.sleep(self._linger)
                continue
            # A relay that found a single row (or none) is not under load: it waits to be
            # woken and then publishes at once.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._wakeup.wait()
