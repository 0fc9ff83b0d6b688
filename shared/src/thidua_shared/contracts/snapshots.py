"""JSON-Schema snapshots of the event contracts, and the rule that changes stay additive.

`python -m thidua_shared.contracts.snapshots` rewrites the committed snapshots after a
reviewed, additive change.
"""

import json
import sys
from pathlib import Path
from typing import Any

from thidua_shared.contracts import CATALOGUE
from thidua_shared.contracts.envelope import Envelope

SNAPSHOT_DIR = Path(__file__).resolve().parents[3] / "contract-schemas"


def current_schemas() -> dict[str, dict[str, Any]]:
    schemas = {f"{t}.v{m.event_version}": m.model_json_schema() for t, m in CATALOGUE.items()}
    schemas["envelope"] = Envelope.model_json_schema()
    return schemas


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _resolve(root["$defs"][ref.removeprefix("#/$defs/")], root)
    return schema


def breaking_changes(
    old: dict[str, Any],
    new: dict[str, Any],
    path: str = "",
    old_root: dict[str, Any] | None = None,
    new_root: dict[str, Any] | None = None,
) -> list[str]:
    """Removed or retyped fields, and fields that became required, anywhere in the tree."""
    old_root, new_root = old_root or old, new_root or new
    old, new = _resolve(old, old_root), _resolve(new, new_root)
    problems: list[str] = []
    if old.get("type") != new.get("type"):
        problems.append(f"{path or '<root>'}: type {old.get('type')} became {new.get('type')}")
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, old_prop in old_props.items():
        if name not in new_props:
            problems.append(f"{path}{name}: removed")
        else:
            problems += breaking_changes(
                old_prop, new_props[name], f"{path}{name}.", old_root, new_root
            )
    for name in set(new.get("required", [])) - set(old.get("required", [])):
        problems.append(f"{path}{name}: became required")
    if "items" in old and "items" in new:
        problems += breaking_changes(old["items"], new["items"], f"{path}[].", old_root, new_root)
    for key in ("anyOf", "enum", "const", "format"):
        if key in old and old.get(key) != new.get(key) and key != "anyOf":
            problems.append(f"{path or '<root>'}: {key} changed")
    if "anyOf" in old:
        old_types = sorted(json.dumps(_resolve(o, old_root).get("type")) for o in old["anyOf"])
        new_types = sorted(
            json.dumps(_resolve(o, new_root).get("type")) for o in new.get("anyOf", [new])
        )
        if not set(old_types) <= set(new_types):
            problems.append(f"{path or '<root>'}: accepted types narrowed")
    return problems


def write_snapshots(directory: Path = SNAPSHOT_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, schema in current_schemas().items():
        text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        (directory / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_snapshots(Path(sys.argv[1]) if len(sys.argv) > 1 else SNAPSHOT_DIR)
