"""A digest of what a compilation decided, to hold the awards compile to its results while its
code changes.

The digest is a SHA-256 over every nomination (subject, unit, title, rule, citation,
multiplier, basis, the facts that passed, the initiatives used) and every refusal (subject,
unit, title, rule, citation, the condition that failed, the facts that passed), sorted in
Python so that no database collation changes the order. It is read from the awards database's
tables rather than from the compile's code, whose modules may move.

`bench/golden/compile-digest.json` holds the digests of the benchmark's generated province at
0.1× and 1×. A change that alters what the compile decides changes them: check it on purpose,
then record the new ones with `uv run python bench/awards_compile.py --golden write`.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

import asyncpg

GOLDEN = Path(__file__).resolve().parent / "golden" / "compile-digest.json"

_NOMINATIONS = """
SELECT subject_kind, subject_code, subject_name, unit_code, title, rule_id, citation,
       multiplier::text, basis, facts, initiative_identifiers
FROM nominations
"""
_REFUSALS = """
SELECT subject_kind, subject_code, subject_name, unit_code, title, rule_id, citation,
       failed_condition, facts
FROM refusals
"""


def _sorted_rows(records: list[asyncpg.Record]) -> list[list[Any]]:
    rows = [[list(v) if isinstance(v, list) else v for v in record.values()] for record in records]
    rows.sort(key=lambda row: json.dumps(row, ensure_ascii=False))
    return rows


async def result_digest(database: str) -> dict[str, Any]:
    """The digest of the compiled results in an awards database, with their counts."""
    connection = await asyncpg.connect(database.replace("postgresql+asyncpg", "postgresql"))
    try:
        nominations = _sorted_rows(await connection.fetch(_NOMINATIONS))
        refusals = _sorted_rows(await connection.fetch(_REFUSALS))
    finally:
        await connection.close()
    digest = hashlib.sha256()
    for kind, rows in (("nomination", nominations), ("refusal", refusals)):
        for row in rows:
            digest.update(json.dumps([kind, *row], ensure_ascii=False).encode() + b"\n")
    return {
        "sha256": digest.hexdigest(),
        "nominations": len(nominations),
        "refusals": len(refusals),
    }


def golden() -> dict[str, dict[str, Any]]:
    """The committed digests by scale ("0.1", "1.0")."""
    recorded: dict[str, dict[str, Any]] = json.loads(GOLDEN.read_text())["scales"]
    return recorded


def write_golden(digests: dict[str, dict[str, Any]]) -> None:
    """Records the digests of the scales given, keeping those of the others."""
    scales = golden() if GOLDEN.exists() else {}
    scales.update(digests)
    document = {
        "about": "Digests of the awards compile's results on the generated province of "
        "bench/awards_compile.py (seeded); see bench/compile_digest.py. Regenerate only on "
        "purpose: uv run python bench/awards_compile.py --golden write",
        "scales": dict(sorted(scales.items(), key=lambda item: float(item[0]))),
    }
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
