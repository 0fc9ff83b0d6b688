"""The public gateway (deploy/nginx/gateway.conf) keeps the services' metrics to the inside,
answers an unknown event schema as problem+json, and serves the index of the APIs and their
merged OpenAPI under /api/ as the Python gateway does, from a committed copy that is current.
nginx itself is not run here, so its locations are read and applied as nginx would."""

import json
import re
from pathlib import Path

import pytest
import yaml

from thidua_local.api_docs import (
    API_INDEX,
    MERGED_DOCS,
    MERGED_OPENAPI,
    PUBLISHED_DOCS,
    PUBLISHED_OPENAPI,
    REDIRECTS,
    api_index,
    published_files,
)

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CONF = DEPLOY / "nginx" / "gateway.conf"
COMPOSE = DEPLOY / "compose.yaml"
PUBLISHED = DEPLOY / "nginx" / "api"
SERVICES = ("campaigns", "pledges", "reports", "awards")


def _regex_locations() -> dict[str, str]:
    """Each `location ~ <regex> { ... }` block's regex and body (regex locations win over
    prefix ones in nginx, whatever their order)."""
    found = re.finditer(r"location ~ (\S+) \{(.*?)\n    \}", CONF.read_text(), re.DOTALL)
    return {match.group(1): match.group(2) for match in found}


@pytest.mark.parametrize("service", SERVICES)
def test_metrics_are_not_routed_by_the_public_gateway(service: str) -> None:
    refusing = [
        regex
        for regex, body in _regex_locations().items()
        if "return 404" in body and "proxy_pass" not in body
    ]
    assert any(re.match(regex, f"/{service}/metrics") for regex in refusing)
    for path in (f"/{service}/docs", f"/{service}/metrics-report", f"/{service}/readyz"):
        assert not any(re.match(regex, path) for regex in refusing), path


def test_an_unknown_event_schema_is_answered_as_problem_json() -> None:
    schema_block = next(
        body for regex, body in _regex_locations().items() if regex.startswith('"^/events/schemas/')
    )
    handler = re.search(r"error_page 404 = (@\w+);", schema_block)
    assert handler is not None, "a missing schema file would get nginx's HTML 404"
    named = re.search(
        r"location " + handler.group(1) + r" \{(.*?)\n    \}", CONF.read_text(), re.DOTALL
    )
    assert named is not None
    assert "default_type application/problem+json;" in named.group(1)
    assert re.search(r"return 404 '\{.*\"status\":404", named.group(1))


def _exact_location(path: str) -> str:
    found = re.search(
        r"location = " + re.escape(path) + r" \{(.*?)\n    \}", CONF.read_text(), re.DOTALL
    )
    assert found is not None, f"nginx has no `location = {path}`"
    return found.group(1)


def _mounted_at(container_folder: str) -> Path:
    """The repository folder compose mounts read-only into the gateway at `container_folder`."""
    gateway = yaml.safe_load(COMPOSE.read_text())["services"]["gateway"]
    for volume in gateway["volumes"]:
        source, target, mode = volume.split(":")
        if target == container_folder:
            assert mode == "ro"
            return (COMPOSE.parent / str(source)).resolve()
    raise AssertionError(f"compose mounts nothing at {container_folder} in the gateway")


def test_the_published_api_docs_are_what_the_code_generates_now() -> None:
    for name, generated in published_files().items():
        committed = PUBLISHED / name
        assert committed.read_text(encoding="utf-8") == generated, (
            f"deploy/nginx/api/{name} is stale: run `uv run thidua api-docs`"
        )


@pytest.mark.parametrize(
    ("path", "file", "media_type"),
    [
        (MERGED_OPENAPI, PUBLISHED_OPENAPI, "application/json"),
        (MERGED_DOCS, PUBLISHED_DOCS, "text/html"),
    ],
)
def test_nginx_serves_the_published_api_docs(path: str, file: str, media_type: str) -> None:
    block = _exact_location(path)
    served = re.search(r"alias (/\S+)/([^/\s]+);", block)
    assert served is not None
    assert served.group(2) == file
    assert _mounted_at(served.group(1)) == PUBLISHED
    # The file's extension must not decide: `types { }` leaves only the default type.
    assert "types { }" in block
    assert f"default_type {media_type};" in block


def test_nginx_lists_the_apis_as_the_python_gateway_does() -> None:
    index = re.search(r"return 200 '(.*)';", _exact_location(API_INDEX))
    assert index is not None
    assert json.loads(index.group(1)) == api_index(SERVICES)


def test_the_root_and_every_unclaimed_path_go_to_the_web_console() -> None:
    found = re.search(r"location / \{(.*?)\n    \}", CONF.read_text(), re.DOTALL)
    assert found is not None
    assert "http://console:8000" in found.group(1)
    assert "location = / {" not in CONF.read_text()


def test_the_old_addresses_of_the_merged_docs_redirect_under_api() -> None:
    for old, new in REDIRECTS.items():
        assert f"return 308 {new};" in _exact_location(old)
