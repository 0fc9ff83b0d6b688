"""One write and the events it causes in a single SQL statement: the pipeline benchmark's
stand-in for a product endpoint.

The product's endpoints write through the ORM session (`SessionDep`), with validation and the
audit trail; the benchmark measures the messaging pipeline behind them (outbox, relay, broker,
inbox), so its producer does the least a write can do and still record its event atomically.
A statement is a transaction of its own in PostgreSQL, so the change and its outbox rows still
commit together or not at all, without the BEGIN and COMMIT round trips of a request
transaction: about 0.1 ms of the service's CPU each, measured in the benchmark. The write goes
in a data-modifying WITH clause, which PostgreSQL runs exactly once whether or not the outbox
insert reads from it.
"""

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from thidua_shared.contracts.envelope import Envelope
from thidua_shared.platform.http import runtime_of

_WITH_EVENTS = (
    "WITH change AS ({statement}) "
    "INSERT INTO outbox (event_id, event_type, body) "
    "SELECT * FROM unnest(${first}::uuid[], ${second}::text[], ${third}::text[])"
)


class DriverWriter:
    """Writes through the service's asyncpg pool, for an endpoint whose change is one statement.

    A connection is taken from the pool for the statement alone, so the request needs no
    dependency that holds one open until the response.
    """

    def __init__(self, pool: asyncpg.Pool, on_events: Callable[[], None]) -> None:
        self._pool = pool
        self._on_events = on_events

    async def execute_with_events(
        self, statement: str, *args: Any, events: Sequence[Envelope]
    ) -> None:
        """Runs an INSERT, UPDATE or DELETE (with no WITH clause of its own) and records the
        events in the outbox, atomically. The statement's parameters are $1…$n as usual."""
        first = len(args) + 1
        query = _WITH_EVENTS.format(
            statement=statement, first=first, second=first + 1, third=first + 2
        )
        await self._pool.execute(
            query,
            *args,
            [event.id for event in events],
            [event.type for event in events],
            [event.model_dump_json() for event in events],
        )
        if events:
            self._on_events()


async def get_driver_writer(request: Request) -> DriverWriter:
    runtime = runtime_of(request)
    return DriverWriter(runtime.driver_pool, runtime.relay.wake)


DriverWriterDep = Annotated[DriverWriter, Depends(get_driver_writer)]
