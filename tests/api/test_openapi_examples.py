"""Every request body in every service's OpenAPI shows an example, and every JSON example is
one the route itself accepts: it is validated by the route's own body model, so that an example
cannot drift from the schema. (A value YAML reads as a date, unquoted, already fails the
document's build: it is not JSON.)"""

from typing import Any

import pytest

from thidua_local.allinone import SPECS
from thidua_shared.platform.app import ServiceSpec, create_service_app
from thidua_shared.platform.openapi import operation_texts
from thidua_shared.platform.routes import api_routes


def _bodies(spec: ServiceSpec) -> list[tuple[str, str, dict[str, Any]]]:
    """(operationId, media type, content) of every request body of the service's document."""
    document = create_service_app(spec).openapi()
    return [
        (operation["operationId"], media_type, content)
        for methods in document["paths"].values()
        for operation in methods.values()
        for media_type, content in (operation.get("requestBody") or {}).get("content", {}).items()
    ]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_request_body_has_an_example(spec: ServiceSpec) -> None:
    missing = [
        f"{operation_id} ({media_type})"
        for operation_id, media_type, content in _bodies(spec)
        if "example" not in content and "examples" not in content
    ]
    assert missing == [], "request bodies without an example in openapi_texts: " + ", ".join(
        missing
    )


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_json_example_is_a_body_its_route_accepts(spec: ServiceSpec) -> None:
    body_fields = {
        f"{spec.name}.{route.name}": route.body_field
        for route in api_routes(create_service_app(spec))
        if route.body_field is not None
    }
    refused: list[str] = []
    for operation_id, media_type, content in _bodies(spec):
        if "json" not in media_type or "example" not in content:
            continue
        # Files are read by their route itself; a JSON body is always declared by a model.
        assert operation_id in body_fields, f"{operation_id}: JSON body without a body model"
        _, errors = body_fields[operation_id].validate(content["example"], loc=("body",))
        refused += [
            f"{operation_id}: {'.'.join(map(str, error['loc']))}: {error['msg']}"
            for error in errors
        ]
    assert refused == [], "examples the route refuses:\n" + "\n".join(refused)


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_no_example_is_written_for_a_body_that_does_not_exist(spec: ServiceSpec) -> None:
    with_json_body = {
        operation_id for operation_id, media_type, _ in _bodies(spec) if "json" in media_type
    }
    written = {
        operation_id
        for operation_id, text in operation_texts(spec.name).items()
        if "example" in text
    }
    assert written - with_json_body == set()
