import json
from typing import Any

import pytest

from thidua_shared.contracts import CATALOGUE, PRODUCERS
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.snapshots import SNAPSHOT_DIR, breaking_changes, current_schemas


def _snapshot(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SNAPSHOT_DIR / f"{name}.json").read_text("utf-8"))
    return loaded


@pytest.mark.parametrize("name", sorted(current_schemas()))
def test_contract_changes_are_additive(name: str) -> None:
    path = SNAPSHOT_DIR / f"{name}.json"
    assert path.exists(), f"no committed snapshot for {name}: a new contract needs one"
    assert breaking_changes(_snapshot(name), current_schemas()[name]) == []


@pytest.mark.parametrize("name", sorted(current_schemas()))
def test_snapshot_is_current(name: str) -> None:
    assert _snapshot(name) == json.loads(json.dumps(current_schemas()[name])), (
        f"{name} changed additively; review and run "
        "`uv run python -m thidua_shared.contracts.snapshots`"
    )


def test_the_checker_catches_removed_retyped_and_newly_required_fields() -> None:
    old: dict[str, Any] = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "required": ["a"],
    }
    assert breaking_changes(old, {**old, "properties": {"a": {"type": "string"}}})
    assert breaking_changes(
        old, {**old, "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}
    )
    assert breaking_changes(old, {**old, "required": ["a", "b"]})
    grown = {**old, "properties": {**old["properties"], "c": {"type": "string"}}}
    assert breaking_changes(old, grown) == []


def test_every_produced_type_is_in_the_catalogue_and_routable_by_its_name() -> None:
    produced = {t for types in PRODUCERS.values() for t in types}
    assert produced == set(CATALOGUE)
    for event_type, model in CATALOGUE.items():
        assert model.event_type == event_type
        assert model.dataschema() == f"urn:thidua:events:{event_type}:v{model.event_version}"


def test_envelope_is_cloudevents_1_0_structured_json() -> None:
    from cloudevents.core.bindings.rabbitmq import RabbitMQMessage, from_rabbitmq
    from cloudevents.core.formats.json import JSONFormat

    from thidua_shared.contracts.campaigns import PhaseOpened
    from thidua_shared.contracts.envelope import new_envelope

    data = PhaseOpened(
        campaign_id="6dcd9f43-ef9c-492a-b771-bd0716711475",
        phase_number=1,
        opened_at="2018-01-01T00:00:00+07:00",
    )
    envelope = new_envelope(
        data, source="/thidua/campaigns", subject="campaigns/x", correlation_id="req-1"
    )
    parsed = from_rabbitmq(
        RabbitMQMessage(
            headers={},
            content_type="application/cloudevents+json",
            body=envelope.model_dump_json().encode(),
        ),
        JSONFormat(),
    )
    assert parsed.get_specversion() == "1.0"
    assert parsed.get_type() == "phase.opened"
    assert parsed.get_id() == envelope.id
    assert parsed.get_extension("correlationid") == "req-1"
    assert Envelope.model_validate_json(envelope.model_dump_json()).payload(PhaseOpened) == data
