"""Every message of the 2018 year, as it lies in the archive stream, is what the published
AsyncAPI document says: the whole CloudEvent validates against its message's payload schema
(envelope and `data`), the content type is the message's, and the AMQP correlation_id property
is the envelope's correlationid. The schema `dataschema` names is the one the gateway serves."""

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import jsonschema  # type: ignore[import-untyped]  # no stubs; there through check-jsonschema
import pytest
import yaml
from aio_pika.abc import AbstractIncomingMessage
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from tests.support.broker import BrokerNames, isolated_broker_names
from tests.support.processes import SERVICES, RunningSystem, running_system
from tests.system.test_year import DEMO_ENV, EXPECTED_EVENTS, signed_token
from thidua_local.demo.run import play_year
from thidua_local.gateway import event_schema
from thidua_shared.testing import AMQP_URL

pytestmark = pytest.mark.system

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
BASE = "urn:thidua:asyncapi"


@pytest.fixture(scope="module")
async def names() -> AsyncIterator[BrokerNames]:
    async with isolated_broker_names((*SERVICES, "department")) as broker_names:
        yield broker_names


@pytest.fixture(scope="module")
async def messages(
    names: BrokerNames, tmp_path_factory: pytest.TempPathFactory
) -> list[AbstractIncomingMessage]:
    async with (
        running_system(names, "year_asyncapi", DEMO_ENV) as system,
        httpx.AsyncClient(base_url=system.gateway, timeout=60) as http,
    ):
        await play_year(
            http,
            signed_token,
            out_dir=tmp_path_factory.mktemp("demo-2018"),
            progress=lambda line: None,
        )
        return await _archive_until(names.exchange, sum(EXPECTED_EVENTS.values()), system)


async def _archive_until(
    exchange: str, at_least: int, system: RunningSystem, quiet_seconds: float = 3.0
) -> list[AbstractIncomingMessage]:
    """The archive's messages as they travelled (properties and bytes), read as a department
    replays it: passive declare, a prefetch, manual acks, x-stream-offset."""
    read: list[AbstractIncomingMessage] = []
    arrived = asyncio.Event()
    async with await aio_pika.connect(AMQP_URL) as connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=500)
        archive = await channel.declare_queue(f"{exchange}.archive", passive=True)

        async def on_message(message: AbstractIncomingMessage) -> None:
            read.append(message)
            await message.ack()
            arrived.set()

        tag = await archive.consume(on_message, arguments={"x-stream-offset": "first"})
        try:
            while True:
                arrived.clear()
                try:
                    await asyncio.wait_for(arrived.wait(), quiet_seconds)
                except TimeoutError:
                    if len(read) >= at_least:
                        break
        finally:
            await archive.cancel(tag)
    return read


def _schema_path(dataschema: str) -> str:
    """urn:thidua:events:<type>:v<n> → the gateway's /events/schemas/<type>/v<n>."""
    event_type, version = dataschema.removeprefix("urn:thidua:events:").rsplit(":v", 1)
    return f"/events/schemas/{event_type}/v{version}"


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    return loaded


def _validators(document: dict[str, Any]) -> dict[str, jsonschema.Draft202012Validator]:
    """A validator per message name, resolving references within the document, and each data
    schema also under its own `$id` (its `$defs` are relative to it)."""
    schemas = document["components"]["schemas"]
    resources = [(BASE, DRAFT202012.create_resource(document))]
    for schema in schemas.values():
        if "$id" in schema:
            resources.append((schema["$id"], DRAFT202012.create_resource(schema)))
        # An envelope's `data` is an embedded schema resource: reached by its `$id`, so that
        # its own `#/$defs/...` resolve within it.
        data = schema.get("properties", {}).get("data", {})
        target = schemas.get(str(data.get("$ref", "")).rsplit("/", 1)[-1], {})
        if "$id" in target:
            data["$ref"] = target["$id"]
    registry: Registry[Any] = Registry().with_resources(resources)
    validators = {}
    for name, message in document["components"]["messages"].items():
        payload = {"$ref": BASE + message["payload"]["$ref"]}
        validators[name] = jsonschema.Draft202012Validator(
            payload,
            registry=registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
    return validators


async def test_every_message_of_the_year_is_its_asyncapi_message(
    messages: list[AbstractIncomingMessage],
) -> None:
    document = _document()
    validators = _validators(document)
    catalogue = document["components"]["messages"]
    schemas = {s["$id"]: s for s in document["components"]["schemas"].values() if "$id" in s}
    seen: set[str] = set()
    for message in messages:
        body = json.loads(message.body)
        event_type = body["type"]
        assert message.type == event_type
        assert event_type in catalogue, f"{event_type} is not in the AsyncAPI document"
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validators[event_type].iter_errors(body)
        ]
        assert not errors, f"{event_type} {body['id']}: {errors}"
        assert message.content_type == catalogue[event_type]["contentType"]
        assert message.content_type == document["defaultContentType"]
        assert message.correlation_id == body["correlationid"]
        assert message.message_id == body["id"]
        assert event_schema(_schema_path(body["dataschema"])) == schemas[body["dataschema"]]
        seen.add(event_type)
    assert set(EXPECTED_EVENTS) <= seen, "the year announced fewer types than it should"
