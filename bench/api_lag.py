"""The event lag to awards: from a write's answer to the awards service having applied the event
it caused, found by polling awards' read model.

The probe is told each write's id and the wall-clock moment its answer arrived; every
`interval` it asks the awards database which of the ids still awaited are in the read model
(`registrations.registration_id` for `pledge.approved`, `approved_reports.report_id` for
`report.approved`). A row is there once the awards consumer's transaction (inbox insert and
read-model change) has committed, so the lag covers relay, broker and consumer; the poll adds
up to `interval` (half of it on average) and one small indexed query to the database.
"""

import asyncio
import time
from collections.abc import Iterable

import asyncpg
from sqlalchemy.engine import make_url

QUERIES = {
    "registrations": "SELECT registration_id AS id FROM registrations "
    "WHERE registration_id = ANY($1::uuid[])",
    "approved_reports": "SELECT report_id AS id FROM approved_reports "
    "WHERE report_id = ANY($1::uuid[])",
}


class LagProbe:
    def __init__(self, database_url: str, table: str, interval: float = 0.02) -> None:
        self._dsn = make_url(database_url).set(drivername="postgresql")
        self._query = QUERIES[table]
        self._interval = interval
        self._waiting: dict[str, float] = {}
        self.lags: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "LagProbe":
        dsn = self._dsn.render_as_string(hide_password=False)
        self._connection = await asyncpg.connect(dsn)
        self._task = asyncio.create_task(self._poll())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        await self._connection.close()

    def expect(self, ids: Iterable[tuple[str, float]]) -> None:
        self._waiting.update(ids)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def _poll(self) -> None:
        while True:
            if self._waiting:
                ids = list(self._waiting)
                rows = await self._connection.fetch(self._query, ids)
                seen = time.time()
                for row in rows:
                    key = str(row["id"])
                    self.lags[key] = seen - self._waiting.pop(key)
            await asyncio.sleep(self._interval)

    async def settle(self, patience: float = 120) -> None:
        """Until every expected event has been applied, or `patience` seconds."""
        for _ in range(int(patience / 0.1)):
            if not self._waiting:
                return
            await asyncio.sleep(0.1)
