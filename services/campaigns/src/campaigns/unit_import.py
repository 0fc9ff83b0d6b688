"""The unit directory from a CSV or XLSX file: one row per unit, with its cluster if any.

Every row is checked with the unit schema of the JSON API and every error is reported by
spreadsheet row (the header is row 1); a file with any error is refused whole.
"""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypedDict
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from campaigns.directory_schemas import Name, UnitCreate
from campaigns.schemas import UnitCode
from thidua_shared.platform.errors import Unprocessable, UnsupportedMediaType

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"
ACCEPTED_TYPES = frozenset(
    {XLSX_TYPE, CSV_TYPE, "application/csv", "application/vnd.ms-excel", "application/octet-stream"}
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
_HEADERS = {
    unicodedata.normalize("NFC", name).casefold(): field
    for field, label in COLUMNS
    for name in (field, label)
}


class RowError(TypedDict):
    row: int
    field: str
    message: str


class RowsRejected(Unprocessable):
    code = "invalid-rows"

    def __init__(self, errors: list[RowError]) -> None:
        first = errors[0]
        super().__init__(
            f"{len(errors)} error(s) in the file, nothing was imported; the first: row "
            f"{first['row']}, {first['field']}: {first['message']}",
            field=first["field"],
            errors=errors,
        )


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


def error(row: int, field: str, message: str) -> RowError:
    return RowError(row=row, field=field, message=message)


def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def file_rows(content_type: str | None, body: bytes) -> list[Sequence[object]]:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise UnsupportedMediaType(
            f"Send the file as {XLSX_TYPE} or {CSV_TYPE}, not {media_type or 'no content type'}.",
            field="Content-Type",
        )
    if body.startswith(b"PK\x03\x04"):
        return _xlsx_rows(body)
    if media_type == XLSX_TYPE:
        raise Unprocessable("The body is not an XLSX workbook.", field="body")
    return _csv_rows(body)


def _csv_rows(body: bytes) -> list[Sequence[object]]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unprocessable(
            f"The CSV file is not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8'.",
            field="body",
        ) from exc
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise Unprocessable(f"The CSV file cannot be read: {exc}.", field="body") from exc


def _xlsx_rows(body: bytes) -> list[Sequence[object]]:
    try:
        book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return _bounded(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        finally:
            book.close()
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        ParseError,
        IndexError,
        KeyError,
        TypeError,
        ValueError,
        OSError,
    ) as exc:
        raise Unprocessable(f"The XLSX workbook cannot be read: {exc}.", field="body") from exc


def _bounded(rows: Iterable[Sequence[object]]) -> list[Sequence[object]]:
    read: list[Sequence[object]] = []
    for row in rows:
        if len(read) > MAX_ROWS:
            raise Unprocessable(f"The file has more than {MAX_ROWS} rows.", field="body")
        read.append(row)
    return read


def _header(cells: Sequence[object]) -> tuple[list[str | None], list[RowError]]:
    fields: list[str | None] = []
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = _clean(cell)
        field = _HEADERS.get(name.casefold()) if name else None
        if name and field is None:
            errors.append(error(1, f"column {index + 1}", f"Unknown column '{name}'."))
        elif field is not None and field in fields:
            errors.append(error(1, field, f"Column '{name}' appears twice."))
        fields.append(field)
    errors += [
        error(1, field, f"Missing column '{field}'.") for field in REQUIRED if field not in fields
    ]
    return fields, errors


def parse_units(rows: Sequence[Sequence[object]]) -> ParsedFile:
    """The file's valid rows in order, and an error per bad cell; a bad header stops here."""
    if not rows:
        raise RowsRejected([error(1, "code", "The file is empty: no header row.")])
    fields, errors = _header(rows[0])
    if errors:
        raise RowsRejected(errors)
    parsed: list[UnitRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        values = {
            field: text
            for field, cell in zip(fields, cells, strict=False)
            if field is not None and (text := _clean(cell))
        }
        if not values:
            continue
        try:
            row = ImportRow.model_validate(values)
        except ValidationError as exc:
            errors += [
                error(number, ".".join(str(p) for p in e["loc"]) or "row", e["msg"])
                for e in exc.errors()
            ]
            continue
        unit = UnitCreate.model_validate(row.model_dump(exclude={"cluster_code", "cluster_name"}))
        if (first := seen.get(unit.code)) is not None:
            errors.append(error(number, "code", f"Unit {unit.code} is already on row {first}."))
            continue
        seen[unit.code] = number
        parsed.append(UnitRow(number, unit, row.cluster_code, row.cluster_name))
    if not errors and not parsed:
        raise RowsRejected([error(2, "code", "The file lists no units.")])
    return ParsedFile(parsed, errors)
