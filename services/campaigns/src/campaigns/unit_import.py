"""The unit directory from a CSV or XLSX file: one row per unit, with its cluster if any.

Every row is checked with the unit schema of the JSON API and every error is reported by
spreadsheet row (the header is row 1); a file with any error is refused whole.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from campaigns.directory_schemas import Name, UnitCreate
from campaigns.schemas import UnitCode
from thidua_shared.documents import (
    RowError,
    RowLimit,
    RowsRejected,
    cell_text,
    file_kind,
    header_fields,
    read_rows,
    row_error,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 32

# (field, the Vietnamese header); either spelling is accepted in a file.
COLUMNS = (
    ("code", "Mã đơn vị"),
    ("name", "Tên đơn vị"),
    ("kind", "Loại hình"),
    ("parent_code", "Mã đơn vị cấp trên"),
    ("contact", "Liên hệ"),
    ("cluster_code", "Mã cụm thi đua"),
    ("cluster_name", "Tên cụm thi đua"),
)
REQUIRED = ("code", "name")
_HEADERS = header_fields(COLUMNS)
# The header row besides MAX_ROWS units.
_ROW_LIMIT = RowLimit(MAX_ROWS + 1, message=f"The file has more than {MAX_ROWS} rows.")


class ImportRow(UnitCreate):
    cluster_code: UnitCode | None = None
    cluster_name: Name | None = None


@dataclass(frozen=True)
class UnitRow:
    row: int
    unit: UnitCreate
    cluster_code: str | None
    cluster_name: str | None


@dataclass(frozen=True)
class ParsedFile:
    rows: list[UnitRow]
    errors: list[RowError]


def file_rows(content_type: str | None, body: bytes) -> list[Sequence[object]]:
    kind = file_kind(content_type, body)
    return read_rows(body, kind, limit=_ROW_LIMIT, max_columns=MAX_COLUMNS)


def _header(cells: Sequence[object]) -> tuple[list[str | None], list[RowError]]:
    fields: list[str | None] = []
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = cell_text(cell)
        field = _HEADERS.get(name.casefold()) if name else None
        if name and field is None:
            errors.append(row_error(1, f"column {index + 1}", f"Unknown column '{name}'."))
        elif field is not None and field in fields:
            errors.append(row_error(1, field, f"Column '{name}' appears twice."))
        fields.append(field)
    errors += [
        row_error(1, field, f"Missing column '{field}'.")
        for field in REQUIRED
        if field not in fields
    ]
    return fields, errors


def parse_units(rows: Sequence[Sequence[object]]) -> ParsedFile:
    """The file's valid rows in order, and an error per bad cell; a bad header stops here."""
    if not rows:
        raise RowsRejected([row_error(1, "code", "The file is empty: no header row.")])
    fields, errors = _header(rows[0])
    if errors:
        raise RowsRejected(errors)
    parsed: list[UnitRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        values = {
            field: text
            for field, cell in zip(fields, cells, strict=False)
            if field is not None and (text := cell_text(cell))
        }
        if not values:
            continue
        try:
            row = ImportRow.model_validate(values)
        except ValidationError as exc:
            errors += [
                row_error(number, ".".join(str(p) for p in e["loc"]) or "row", e["msg"])
                for e in exc.errors()
            ]
            continue
        unit = UnitCreate.model_validate(row.model_dump(exclude={"cluster_code", "cluster_name"}))
        if (first := seen.get(unit.code)) is not None:
            errors.append(row_error(number, "code", f"Unit {unit.code} is already on row {first}."))
            continue
        seen[unit.code] = number
        parsed.append(UnitRow(number, unit, row.cluster_code, row.cluster_name))
    if not errors and not parsed:
        raise RowsRejected([row_error(2, "code", "The file lists no units.")])
    return ParsedFile(parsed, errors)
