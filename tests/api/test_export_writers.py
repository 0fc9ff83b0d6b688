"""Every spreadsheet or CSV a service writes goes through the documents kit, whose writers keep
formula-like text as text (ADR 15): no service module writes with openpyxl or the csv module
itself, and the kit's own writers are the known few."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Writing a workbook or a CSV file directly, bypassing documents/cell_safety.py.
DIRECT_WRITER = re.compile(r"\bopenpyxl\b|\bcsv\.(writer|DictWriter)\b|\bWorkbook\(")
KIT_WRITERS = {
    "shared/src/thidua_shared/documents/cell_safety.py",
    "shared/src/thidua_shared/documents/spreadsheet.py",
    "shared/src/thidua_shared/documents/tabular.py",
    "shared/src/thidua_shared/documents/workbook_guard.py",
    "shared/src/thidua_shared/platform/audit.py",
    "shared/src/thidua_shared/testing_workbooks.py",
}
SAFE_CALL = {
    "shared/src/thidua_shared/documents/spreadsheet.py": "keep_as_text(",
    "shared/src/thidua_shared/documents/tabular.py": "csv_row(",
    "shared/src/thidua_shared/platform/audit.py": "csv_record(",
}


def _sources() -> list[Path]:
    roots = [ROOT / "shared" / "src", ROOT / "deploy" / "local" / "src"]
    roots += sorted((ROOT / "services").glob("*/src"))
    return [path for root in roots for path in sorted(root.rglob("*.py"))]


def test_only_the_documents_kit_writes_spreadsheets_and_csv() -> None:
    writers = {
        str(path.relative_to(ROOT))
        for path in _sources()
        if DIRECT_WRITER.search(path.read_text(encoding="utf-8"))
    }

    assert writers <= KIT_WRITERS, sorted(writers - KIT_WRITERS)


def test_the_kits_writers_pass_every_cell_through_cell_safety() -> None:
    for name, call in SAFE_CALL.items():
        assert call in (ROOT / name).read_text(encoding="utf-8"), name
