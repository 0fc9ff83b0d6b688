"""A client generated from the published OpenAPI (openapi-python-client, as an integrator
would) registers a unit for a campaign and reads the registration back, parsed into its models:
the document describes what the service really sends."""

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
# The generator has no model for files; it takes them as bytes when told they are octets.
FILES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/csv",
)
CONFIG = {"content_type_overrides": dict.fromkeys(FILES, "application/octet-stream")}


@pytest.fixture
def on_path(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in [
        n for n in sys.modules if n == "pledges_client" or n.startswith("pledges_client.")
    ]:
        del sys.modules[name]


async def test_a_generated_client_registers_and_reads_back(
    pledges: RunningService,
    launched: CampaignLaunched,
    new_registration: Callable[..., dict[str, Any]],
    on_path: Path,
) -> None:
    document = (await pledges.client.get("/pledges/openapi.json")).json()
    (on_path / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    (on_path / "config.json").write_text(json.dumps(CONFIG), encoding="utf-8")
    generated = await asyncio.to_thread(
        subprocess.run,
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(on_path / "openapi.json"),
            "--config",
            str(on_path / "config.json"),
            "--output-path",
            str(on_path / "pledges_client"),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "will not be generated" not in generated.stdout, generated.stdout
    assert "will be omitted" not in generated.stdout, generated.stdout

    client_module = importlib.import_module("pledges_client.client")
    create = importlib.import_module("pledges_client.api.registrations.pledges_create_registration")
    read = importlib.import_module("pledges_client.api.registrations.pledges_get_registration")
    models = importlib.import_module("pledges_client.models")

    token = bearer(Role.UNIT_HEAD, "VP")["Authorization"].removeprefix("Bearer ")
    client = client_module.AuthenticatedClient(base_url="http://pledges", token=token)
    client.set_async_httpx_client(
        httpx.AsyncClient(
            base_url="http://pledges",
            transport=pledges.client._transport,
            headers={"Authorization": f"Bearer {token}"},
        )
    )
    body = models.RegistrationCreate.from_dict(new_registration(launched.campaign_id))
    created = await create.asyncio_detailed(client=client, body=body)
    assert created.status_code == 201, created.content
    registration = created.parsed
    assert isinstance(registration, models.RegistrationRead)
    assert registration.unit_code == "VP"

    again = await read.asyncio(client=client, registration_id=registration.id)
    assert isinstance(again, models.RegistrationRead)
    assert again.to_dict() == registration.to_dict()

    missing = await read.asyncio_detailed(client=client, registration_id=launched.campaign_id)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)
    assert missing.parsed.code == "not-found"
    await client.get_async_httpx_client().aclose()
