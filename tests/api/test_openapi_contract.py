"""The OpenAPI every service publishes says what the services do: a bearer security scheme,
every error as problem+json of one schema, stable operationIds, one name per schema, binary
content for files, the paged lists' parameters and the deprecated aliases; and the documents,
each service's and the gateway's merged one, pass Redocly's recommended rules with 0 errors."""

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from thidua_local.allinone import SPECS
from thidua_shared.platform.app import ServiceSpec, create_service_app
from thidua_shared.platform.errors import PROBLEM_JSON
from thidua_shared.platform.openapi import merge_openapi

ROOT = Path(__file__).resolve().parents[2]
REDOCLY = ROOT / ".ci" / "npm" / "node_modules" / ".bin" / "redocly"
DESCRIPTIONS = ROOT / "shared" / "src" / "thidua_shared" / "platform" / "openapi_texts"
PUBLIC = ("/healthz", "/readyz", "/public/")


def _document(spec: ServiceSpec) -> dict[str, Any]:
    return create_service_app(spec).openapi()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_operation_names_its_security_and_its_problems(spec: ServiceSpec) -> None:
    document = _document(spec)
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["security"] == [{"bearer": []}]
    responses = document["components"]["responses"]
    for path, method, operation in _operations(document):
        where = f"{method.upper()} {path}"
        if operation.get("security") == []:
            assert any(marker in path for marker in PUBLIC) or path.endswith("/metrics"), where
        else:
            assert {"401", "403"} <= operation["responses"].keys(), where
        assert "422" in operation["responses"], where
        if method in ("put", "patch"):
            assert {"412", "428"} <= operation["responses"].keys(), where
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                name = response["$ref"].rsplit("/", 1)[1]
                content = responses[name]["content"]
                assert list(content) == [PROBLEM_JSON], where
                assert content[PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert "code" in document["components"]["schemas"]["Problem"]["required"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_operation_ids_are_the_service_and_the_route_name(spec: ServiceSpec) -> None:
    ids = [operation["operationId"] for _, _, operation in _operations(_document(spec))]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        service, _, name = operation_id.partition(".")
        assert service == spec.name
        assert name.replace("_", "").isalnum(), operation_id


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_no_two_schemas_share_a_title_and_files_are_binary(spec: ServiceSpec) -> None:
    document = _document(spec)
    titles = Counter(s["title"] for s in document["components"]["schemas"].values())
    assert [title for title, count in titles.items() if count > 1] == []
    for path, method, operation in _operations(document):
        for media_type, content in operation["responses"].get("200", {}).get("content", {}).items():
            if "json" not in media_type:
                assert content["schema"]["type"] == "string", f"{method} {path} {media_type}"


def test_the_campaign_units_are_two_schemas_of_two_names() -> None:
    [campaigns] = [spec for spec in SPECS if spec.name == "campaigns"]
    schemas = _document(campaigns)["components"]["schemas"]
    assert {"UnitRead", "DirectoryUnitRead"} <= schemas.keys()


def test_the_second_paths_of_awards_resources_are_deprecated() -> None:
    [awards] = [spec for spec in SPECS if spec.name == "awards"]
    paths = _document(awards)["paths"]
    assert paths["/awards/nominations"]["get"]["deprecated"] is True
    assert paths["/awards/compilations/{campaign_id}"]["get"]["deprecated"] is True
    assert "deprecated" not in paths["/awards/campaigns/{campaign_id}/nominations"]["get"]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_lists_of_bare_items_document_their_paging(spec: ServiceSpec) -> None:
    for path, method, operation in _operations(_document(spec)):
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        if method == "get" and ok.get("schema", {}).get("type") == "array":
            names = {p["name"] for p in operation.get("parameters", [])}
            assert {"limit", "offset"} <= names, path


def _redocly() -> str | None:
    if REDOCLY.exists():
        return str(REDOCLY)
    return shutil.which("redocly")


def test_redocly_recommended_rules_find_no_error(tmp_path: Path) -> None:
    redocly = _redocly()
    # Missing is a failure, never a skip: the lint is part of the contract.
    assert redocly is not None, (
        "Redocly CLI is missing: npm install --prefix .ci/npm @redocly/cli@2.77.0 (.ci/run does)"
    )
    documents = {spec.name: _document(spec) for spec in SPECS}
    files = []
    for name, document in {**documents, "thidua": merge_openapi(documents)}.items():
        file = tmp_path / f"{name}.json"
        file.write_text(json.dumps(document), encoding="utf-8")
        files.append(str(file))
    run = subprocess.run(
        [redocly, "lint", "--extends=recommended", "--format=summary", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert " error" not in run.stdout, run.stdout


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_operation_is_described_and_no_description_is_stale(spec: ServiceSpec) -> None:
    operations = _operations(_document(spec))
    assert [op["operationId"] for _, _, op in operations if not op.get("description")] == []
    written = yaml.safe_load((DESCRIPTIONS / f"{spec.name}.yaml").read_text(encoding="utf-8"))
    assert set(written) <= {op["operationId"] for _, _, op in operations}


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_patterns_read_the_same_in_json_schema_as_in_the_service(spec: ServiceSpec) -> None:
    # \w, \d, \s and \b are Unicode-aware in Python but ASCII-only in JSON Schema's ECMA-262
    # dialect: a client validating against the document would refuse what the service accepts.
    patterns = _patterns(_document(spec))
    assert patterns
    for pattern in patterns:
        assert not re.search(r"\\[wWdDsSbB]", pattern), pattern
    unit_code = next(p for p in patterns if p.endswith(".-]+$"))
    assert re.fullmatch(unit_code, "ĐƠN_VỊ-Ưu.1")
