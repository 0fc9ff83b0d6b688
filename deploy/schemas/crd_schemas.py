"""Turns CustomResourceDefinitions into the JSON Schema files that the tests validate against.

    uv run python deploy/schemas/crd_schemas.py deploy/schemas/crds path/to/crd.yaml ...

The API server would prune a field it does not know; a manifest should not carry one (a typo in
`spec.replicas` would silently do nothing), so every object that lists its properties is closed
(`additionalProperties: false`) unless the CRD keeps unknown fields on purpose. OpenAPI's
`nullable` and Kubernetes' int-or-string become plain JSON Schema.
"""

import json
import sys
from pathlib import Path
from typing import Any

import yaml


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    schema = {key: _strict(value) for key, value in node.items()}
    if schema.pop("x-kubernetes-int-or-string", False) and "anyOf" not in schema:
        schema.pop("type", None)
        schema["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.pop("nullable", False) and isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], "null"]
    if (
        "properties" in schema
        and "additionalProperties" not in schema
        and not schema.get("x-kubernetes-preserve-unknown-fields")
    ):
        schema["additionalProperties"] = False
    return schema


def schemas(crd: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`<group>_<Kind>_<version>.json` to its schema, for every served version."""
    group = crd["spec"]["group"]
    kind = crd["spec"]["names"]["kind"]
    found = {}
    for version in crd["spec"]["versions"]:
        if not version.get("served", True):
            continue
        schema = _strict(version["schema"]["openAPIV3Schema"])
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
        schema["properties"]["apiVersion"] = {"const": f"{group}/{version['name']}"}
        schema["properties"]["kind"] = {"const": kind}
        schema["properties"]["metadata"] = {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string", "minLength": 1}},
        }
        schema["required"] = sorted({*schema.get("required", []), "apiVersion", "kind", "metadata"})
        found[f"{group}_{kind}_{version['name']}.json"] = schema
    return found


def main(out: Path, sources: list[Path]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for source in sources:
        for name, schema in schemas(yaml.safe_load(source.read_text(encoding="utf-8"))).items():
            (out / name).write_text(json.dumps(schema, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), [Path(arg) for arg in sys.argv[2:]])
