"""Every POST of every service honours Idempotency-Key, so a client may retry any of them: the
OpenAPI each service publishes documents the header on every POST operation.

Read from the published documents, so a POST added on a router without the idempotent route
class fails here.
"""

from typing import Any

import pytest

from thidua_local.allinone import SPECS
from thidua_shared.platform.app import ServiceSpec, create_service_app


def _post_operations(spec: ServiceSpec) -> dict[str, dict[str, Any]]:
    document = create_service_app(spec).openapi()
    # Public POSTs (a comment on a disclosed list) take no token, so there is no caller to keep a
    # key for; they are limited per address instead (awards/disclosure/public_limits.py).
    return {
        path: operations["post"]
        for path, operations in document["paths"].items()
        if "post" in operations and "/public/" not in path
    }


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_post_documents_the_idempotency_key(spec: ServiceSpec) -> None:
    operations = _post_operations(spec)
    assert operations, f"{spec.name} publishes no POST"
    undocumented = [
        path
        for path, operation in operations.items()
        if not any(
            p["in"] == "header" and p["name"].lower() == "idempotency-key"
            for p in operation.get("parameters", [])
        )
    ]
    assert undocumented == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_the_key_is_optional_and_explained(spec: ServiceSpec) -> None:
    for path, operation in _post_operations(spec).items():
        [key] = [p for p in operation["parameters"] if p["name"].lower() == "idempotency-key"]
        assert key["required"] is False, path
        assert "Idempotent-Replayed" in key["description"], path
