"""The published event catalogue is generated from the code and kept current; it describes the
whole CloudEvent a department receives and its side of the broker, not the services' queues;
the schema an envelope's `dataschema` names is served by the gateway."""

from pathlib import Path

import httpx
import yaml

from thidua_local.asyncapi import build_document
from thidua_local.gateway import PrefixDispatcher
from thidua_shared.contracts import CATALOGUE
from thidua_shared.contracts.envelope import JSON_SCHEMA_DIALECT

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
SERVICES = ("campaigns", "pledges", "reports", "awards")


def committed() -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    return loaded


def test_the_committed_asyncapi_document_is_current() -> None:
    generated = yaml.safe_load(yaml.safe_dump(build_document(), sort_keys=True))
    assert committed() == generated, "docs/asyncapi.yaml is stale: run `uv run thidua asyncapi`"


def test_every_event_type_is_a_cloudevent_message_whose_data_is_its_schema() -> None:
    document = build_document()
    components = document["components"]
    assert document["defaultContentType"] == "application/cloudevents+json"
    for event_type, model in CATALOGUE.items():
        message = components["messages"][event_type]
        assert message["contentType"] == "application/cloudevents+json"
        envelope = components["schemas"][message["payload"]["$ref"].rsplit("/", 1)[1]]
        assert envelope["properties"]["type"]["const"] == event_type
        assert envelope["properties"]["dataschema"]["const"] == model.dataschema()
        assert envelope["properties"]["data"] == {"$ref": f"#/components/schemas/{model.__name__}"}
        assert {"id", "source", "type", "time", "data", "correlationid"} <= set(
            envelope["required"]
        )
        data = components["schemas"][model.__name__]
        assert data["$id"] == model.dataschema()
        assert data["$schema"] == JSON_SCHEMA_DIALECT


def test_the_services_queues_are_left_out_and_the_departments_side_is_in() -> None:
    document = build_document()
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert not {*SERVICES, "<event type>"} & addresses
    assert {"dept.{name}", "thidua.events.archive"} <= addresses
    assert "department" in document["components"]["securitySchemes"]
    replay = document["channels"]["archive"]["x-replay"]
    assert replay["declare"] == "passive"
    assert "x-stream-offset" in replay["consumerArguments"]
    assert "prefetch" in replay


async def test_the_gateway_serves_each_data_schema_at_its_urn_path() -> None:
    transport = httpx.ASGITransport(app=PrefixDispatcher({}))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        for event_type, model in CATALOGUE.items():
            path = f"/events/schemas/{event_type}/v{model.event_version}"
            served = await client.get(path)
            assert served.status_code == 200, path
            assert served.headers["content-type"] == "application/schema+json"
            assert served.json()["$id"] == model.dataschema()
        for missing in ("/events/schemas/phase.opened/v9", "/events/schemas/nothing/v1"):
            assert (await client.get(missing)).status_code == 404
