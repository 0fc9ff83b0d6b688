"""`python -m pledges replay --from-start` rebuilds the pledges service's copy of the campaigns
and the unit directory, in a fresh database, from the broker's archive stream: the same rows as
the service built from its queue. Run again, it applies nothing (the inbox)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from pledges.main import spec as pledges_spec
from tests.ops.support import launched, service_cli
from tests.support.broker import BrokerNames, isolated_broker_names
from tests.support.waiting import eventually
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignCancelled,
    PhaseClosed,
    PhaseOpened,
)
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.contracts.envelope import Envelope, EventData, new_envelope
from thidua_shared.platform.bus import OutgoingMessage
from thidua_shared.platform.rabbit import RabbitBus
from thidua_shared.testing import AMQP_URL, migrated_database, running_service

# pledges' copy of other services' data, built from their events alone.
READ_MODEL = ("campaigns", "campaign_units", "directory_units", "directory_clusters")
AT = datetime(2018, 1, 5, 8, 0, tzinfo=UTC)


def _year() -> list[Envelope]:
    """A launch amended, another cancelled, a third closed with its last phase; the directory
    changed twice over."""
    first, second, third = launched(), launched(("VP",)), launched()
    amended = CampaignAmended(
        **{**first.model_dump(), "units": [*first.units[:1]], "title": "Kế hoạch (sửa đổi)"},
        amendment_number=1,
        reason="Bớt một đơn vị",
        changed_fields=["units", "title"],
        amended_at=AT + timedelta(days=30),
    )
    data: list[EventData] = [
        first,
        second,
        third,
        amended,
        CampaignCancelled(campaign_id=second.campaign_id, reason="Trùng kế hoạch", cancelled_at=AT),
        PhaseClosed(
            campaign_id=third.campaign_id,
            phase_number=2,
            phases_total=2,
            is_last=True,
            closed_at=AT,
        ),
        UnitChanged(code="VP", name="Văn phòng Sở", kind="phòng", changed_at=AT),
        UnitChanged(code="VP", name="Văn phòng (mới)", kind="phòng", changed_at=AT + timedelta(1)),
        ClusterChanged(code="C1", name="Cụm 1", unit_codes=["VP"], year=2018, changed_at=AT),
    ]
    return [new_envelope(d, source="/thidua/campaigns", subject=None) for d in data]


def _not_consumed() -> Envelope:
    opened = PhaseOpened(campaign_id=uuid4(), phase_number=1, opened_at=AT)
    return new_envelope(opened, source="/thidua/campaigns", subject=None)


async def _publish(names: BrokerNames, envelopes: list[Envelope]) -> None:
    publisher = RabbitBus(AMQP_URL, exchange=names.exchange)
    await publisher.start()
    try:
        messages = [OutgoingMessage(e.id, e.type, e.model_dump_json()) for e in envelopes]
        assert not await publisher.publish(messages)
    finally:
        await publisher.stop()


async def _rows(database: str, query: str) -> list[str]:
    dsn = make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        return sorted(str(row[0]) for row in await connection.fetch(query))
    finally:
        await connection.close()


async def _read_model(database: str) -> dict[str, list[str]]:
    return {t: await _rows(database, f"SELECT to_jsonb(t) FROM {t} t") for t in READ_MODEL}


@pytest.fixture
async def names() -> AsyncIterator[BrokerNames]:
    async with isolated_broker_names(("pledges",)) as broker_names:
        yield broker_names


async def test_replaying_the_archive_into_a_fresh_database_rebuilds_the_read_model(
    names: BrokerNames,
) -> None:
    original = await migrated_database(pledges_spec, "thidua_test_ops_replay_original")
    events = _year()
    broker: dict[str, object] = {
        "amqp_url": AMQP_URL,
        "exchange": names.exchange,
        "queue_prefix": names.queue_prefix,
    }
    async with running_service(pledges_spec, original, None, **broker):
        # The archive keeps a repeated publication twice (the inbox applies it once), and the
        # events of types pledges does not consume, which a replay passes over.
        await _publish(names, [*events, events[0], _not_consumed()])
        await eventually(
            lambda: _rows(original, "SELECT event_id FROM inbox"),
            lambda ids: len(ids) == len(events),
            what="every event applied",
        )
    built = await _read_model(original)
    assert all(built.values()), built

    rebuilt = await migrated_database(pledges_spec, "thidua_test_ops_replay_rebuilt")
    replay = ("replay", "--from-start", "--quiet-seconds", "2")
    ran = await service_cli("pledges", *replay, database=rebuilt, names=names)
    assert ran.code == 0, ran.err
    assert f"read {len(events) + 2} events" in ran.out
    assert f"{len(events)} applied now" in ran.out
    assert "0 events announced" in ran.out
    assert await _read_model(rebuilt) == built

    again = await service_cli("pledges", *replay, database=rebuilt, names=names)
    assert again.code == 0, again.err
    assert "0 applied now" in again.out
    assert await _read_model(rebuilt) == built
    audit = await _rows(rebuilt, "SELECT action || ' ' || target || ' ' || outcome FROM audit_log")
    assert audit == [f"python -m pledges replay --from-start {names.exchange}.archive 200"] * 2
