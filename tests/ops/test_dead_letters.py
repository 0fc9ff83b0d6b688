"""Dead letters as an operator handles them: a poison message dead-lettered, listed, shown,
redriven once its handler is fixed (applied once, however often it is redriven) and purged,
on the real broker and in the all-in-one mode's table, over HTTP and by command, every change
in the audit trail."""

import dataclasses
import json
from collections.abc import AsyncIterator
from uuid import UUID

import aio_pika
import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from pledges.main import spec as pledges_spec
from tests.api.test_access_matrix import access_rule, served_routes
from tests.ops.support import launched, service_cli
from tests.support.broker import BrokerNames, isolated_broker_names, queue_depth
from tests.support.waiting import eventually
from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.contracts.envelope import Envelope, new_envelope
from thidua_shared.platform.app import ServiceSpec
from thidua_shared.platform.audit_anchor import verify_trail
from thidua_shared.platform.auth import Role
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.platform.consumer import HandlerSpec
from thidua_shared.platform.inprocess import InProcessBus
from thidua_shared.platform.rabbit import RabbitBus
from thidua_shared.testing import AMQP_URL, TEST_AUDIT_KEY, migrated_database, running_service

FAST_FAILURES: dict[str, object] = {"max_deliveries": 2, "retry_backoff_seconds": 0.05}


class BuggyLaunch:
    """pledges' own launch handler behind a bug the test fixes; it counts the launches it
    applied, by campaign."""

    def __init__(self) -> None:
        self.broken = True
        self.applied: list[UUID] = []
        self._handle = pledges_spec.handlers[CampaignLaunched.event_type].handle

    async def handle(self, session: AsyncSession, payload: CampaignLaunched, e: Envelope) -> None:
        if self.broken:
            raise RuntimeError("the launch handler's bug")
        await self._handle(session, payload, e)
        self.applied.append(payload.campaign_id)

    def spec(self) -> ServiceSpec:
        handlers = {
            **pledges_spec.handlers,
            CampaignLaunched.event_type: HandlerSpec(CampaignLaunched, self.handle),
        }
        return dataclasses.replace(pledges_spec, handlers=handlers)


def _event() -> Envelope:
    return new_envelope(launched(), source="/thidua/campaigns", subject=None)


def _message(envelope: Envelope) -> OutgoingMessage:
    return OutgoingMessage(envelope.id, envelope.type, envelope.model_dump_json())


async def _publish(names: BrokerNames, *envelopes: Envelope) -> None:
    publisher = RabbitBus(AMQP_URL, exchange=names.exchange)
    await publisher.start()
    try:
        assert not await publisher.publish([_message(e) for e in envelopes])
    finally:
        await publisher.stop()


async def _fetch(database: str, query: str) -> list[asyncpg.Record]:
    dsn = make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(query)
        if query.startswith("SELECT * FROM audit_log"):
            verified = await verify_trail(connection, TEST_AUDIT_KEY.encode(), [])
            assert not verified.findings, "the audit chain is broken"
        return rows
    finally:
        await connection.close()


async def _campaigns(database: str) -> set[UUID]:
    return {row["id"] for row in await _fetch(database, "SELECT id FROM campaigns")}


@pytest.fixture
async def names() -> AsyncIterator[BrokerNames]:
    async with isolated_broker_names(("pledges",)) as broker_names:
        yield broker_names


async def test_a_poison_message_on_the_broker_is_listed_shown_redriven_once_and_purged(
    names: BrokerNames,
) -> None:
    database = await migrated_database(pledges_spec, "thidua_test_ops_dead_letters")
    dlq = f"{names.queue('pledges')}.dlq"
    bug = BuggyLaunch()
    broker: dict[str, object] = {
        "amqp_url": AMQP_URL,
        "exchange": names.exchange,
        "queue_prefix": names.queue_prefix,
    }
    async with running_service(bug.spec(), database, None, **broker, **FAST_FAILURES) as pledges:
        poison = _event()
        await _publish(names, poison)
        await eventually(lambda: queue_depth(dlq), lambda n: n == 1, what="the dead letter")

        listed = (await pledges.client.get("/pledges/ops/dead-letters")).json()
        assert listed["broker_dead_letter_queue"] == 1
        assert listed["stored"] == 0
        [entry] = listed["dead_letters"]
        assert entry["event_id"] == poison.id
        assert entry["event_type"] == "campaign.launched"
        assert (entry["source"], entry["reason"], entry["count"]) == ("broker", "rejected", 1)
        by_command = await service_cli(
            "pledges", "dead-letters", "list", database=database, names=names
        )
        assert by_command.code == 0, by_command.err
        assert poison.id in by_command.out
        assert "rejected" in by_command.out
        assert await queue_depth(dlq) == 1, "listing must put every message back"

        shown = await pledges.client.get(f"/pledges/ops/dead-letters/{poison.id}")
        [letter] = shown.json()["dead_letters"]
        assert letter["envelope"] == json.loads(poison.model_dump_json())
        assert letter["details"]["headers"]["x-first-death-queue"] == names.queue("pledges")
        printed = await service_cli(
            "pledges", "dead-letters", "show", poison.id, database=database, names=names
        )
        assert json.loads(printed.out)[0]["envelope"]["id"] == poison.id
        missing = await pledges.client.get(f"/pledges/ops/dead-letters/{_event().id}")
        assert missing.status_code == 404

        bug.broken = False
        redriven = await service_cli(
            "pledges", "dead-letters", "redrive", "--all", database=database, names=names
        )
        assert redriven.code == 0, redriven.err
        assert "1 dead letters redriven" in redriven.out
        assert "redrive [" in redriven.err, "the command shows its progress"
        campaign = launched_id(poison)
        await eventually(lambda: _campaigns(database), lambda ids: campaign in ids, what="applied")
        assert await queue_depth(dlq) == 0

        # The same dead letter again (a second copy, or a redrive repeated after a crash): the
        # inbox skips it. A later launch shows the consumer has read past it.
        await _dead_letter_again(names, poison)
        answer = await pledges.client.post(f"/pledges/ops/dead-letters/{poison.id}/redrive")
        assert answer.status_code == 200, answer.text
        assert answer.json()["redriven"] == 1
        later = _event()
        await _publish(names, later)
        await eventually(
            lambda: _campaigns(database), lambda ids: launched_id(later) in ids, what="the later"
        )
        assert bug.applied.count(campaign) == 1, "redriving twice must apply it once"
        inbox = await _fetch(database, f"SELECT * FROM inbox WHERE event_id = '{poison.id}'")
        assert len(inbox) == 1

        bug.broken = True
        poisons = [_event(), _event()]
        await _publish(names, *poisons)
        await eventually(lambda: queue_depth(dlq), lambda n: n == 2, what="two dead letters")
        refused = await service_cli(
            "pledges", "dead-letters", "purge", "--all", database=database, names=names
        )
        assert refused.code != 0
        assert "--yes" in refused.err
        unconfirmed = await pledges.client.delete("/pledges/ops/dead-letters")
        assert unconfirmed.status_code == 422
        one = await pledges.client.delete(f"/pledges/ops/dead-letters/{poisons[0].id}")
        assert one.json()["purged"] == 1
        purged = await service_cli(
            "pledges", "dead-letters", "purge", "--all", "--yes", database=database, names=names
        )
        assert purged.code == 0, purged.err
        assert "1 dead letters purged" in purged.out
        assert await queue_depth(dlq) == 0

    audit = await _fetch(database, "SELECT * FROM audit_log ORDER BY id")
    trail = [(r["action"], r["target"], r["outcome"]) for r in audit]
    base = "/pledges/ops/dead-letters"
    assert trail == [
        ("python -m pledges dead-letters redrive", f"{base}/redrive", 200),
        (
            "POST /pledges/ops/dead-letters/{event_id}/redrive",
            f"{base}/{poison.id}/redrive",
            200,
        ),
        ("DELETE /pledges/ops/dead-letters", base, 422),
        ("DELETE /pledges/ops/dead-letters/{event_id}", f"{base}/{poisons[0].id}", 200),
        ("python -m pledges dead-letters purge", base, 200),
    ]
    assert audit[0]["actor"].startswith("cli:")
    assert audit[1]["role"] == "office"


def launched_id(envelope: Envelope) -> UUID:
    return envelope.payload(CampaignLaunched).campaign_id


async def _dead_letter_again(names: BrokerNames, envelope: Envelope) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        message = aio_pika.Message(
            envelope.model_dump_json().encode(), message_id=envelope.id, type=envelope.type
        )
        await channel.default_exchange.publish(message, f"{names.queue('pledges')}.dlq")


async def test_the_all_in_one_modes_stored_dead_letters_are_redriven_and_purged() -> None:
    database = await migrated_database(pledges_spec, "thidua_test_ops_dead_letters_stored")
    bug = BuggyLaunch()
    bus = InProcessBus(max_deliveries=2, backoff_seconds=0.01)
    async with running_service(bug.spec(), database, bus) as pledges:
        poison = _event()
        await bus.publish([_message(poison)])
        listed = (await pledges.client.get("/pledges/ops/dead-letters")).json()
        assert listed["broker_dead_letter_queue"] is None
        [entry] = listed["dead_letters"]
        assert (entry["event_id"], entry["source"], entry["count"]) == (poison.id, "stored", 2)
        assert "the launch handler's bug" in entry["reason"]

        # Still broken: it fails again and is stored anew.
        answer = await pledges.client.post("/pledges/ops/dead-letters/redrive")
        assert answer.json()["redriven"] == 1
        [again] = (await pledges.client.get("/pledges/ops/dead-letters")).json()["dead_letters"]
        assert again["event_id"] == poison.id

        bug.broken = False
        answer = await pledges.client.post(f"/pledges/ops/dead-letters/{poison.id}/redrive")
        assert answer.status_code == 200, answer.text
        assert launched_id(poison) in await _campaigns(database)
        assert (await pledges.client.get("/pledges/ops/dead-letters")).json()["stored"] == 0

    # By command, as beside a running `thidua up`: the service's own handlers take it back.
    stored = _event()
    dsn = make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        insert = (
            "INSERT INTO dead_letters (event_id, event_type, body, error, attempts) "
            "VALUES ($1, $2, $3, 'RuntimeError()', 5)"
        )
        for envelope in (stored, _event()):
            await connection.execute(insert, envelope.id, envelope.type, envelope.model_dump_json())
    finally:
        await connection.close()
    redriven = await service_cli("pledges", "dead-letters", "redrive", stored.id, database=database)
    assert redriven.code == 0, redriven.err
    assert launched_id(stored) in await _campaigns(database)
    purged = await service_cli(
        "pledges", "dead-letters", "purge", "--all", "--yes", database=database
    )
    assert purged.code == 0, purged.err
    assert await _fetch(database, "SELECT * FROM dead_letters") == []
    audit = await _fetch(database, "SELECT * FROM audit_log ORDER BY id")
    assert [(r["target"], r["outcome"]) for r in audit][-2:] == [
        (f"/pledges/ops/dead-letters/{stored.id}/redrive", 200),
        ("/pledges/ops/dead-letters", 200),
    ]


async def test_only_the_office_may_touch_dead_letters() -> None:
    """The access matrix (tests/api) calls every route as every role; this names the rule."""
    routes = [(p, r) for p, r in served_routes(pledges_spec) if "/ops/dead-letters" in p]
    assert len(routes) == 6
    assert all(access_rule(route) == frozenset({Role.OFFICE}) for _, route in routes)
