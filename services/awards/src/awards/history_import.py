"""Past years' titles from a spreadsheet (XLSX) or CSV file. Every row is checked and every
error reported by spreadsheet row (the header is row 1); a file with any error is refused
whole, so nothing is written."""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal, TypedDict
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from awards.history import HistoryRecord
from thidua_shared.contracts.vocabulary import PERSON_TITLES, TITLES, UNIT_TITLES
from thidua_shared.platform.errors import Unprocessable, UnsupportedMediaType

Kind = Literal["xlsx", "csv"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"
ACCEPTED_TYPES = frozenset(
    {XLSX_TYPE, CSV_TYPE, "application/csv", "application/vnd.ms-excel", "application/octet-stream"}
)
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500_000
FIRST_YEAR = 1945
MAX_CODE_LENGTH = 50

# (field, the template's Vietnamese header).
COLUMNS = (
    ("subject_kind", "Đối tượng"),
    ("subject_code", "Mã"),
    ("subject_name", "Tên"),
    ("unit_code", "Mã đơn vị"),
    ("year", "Năm"),
    ("title", "Danh hiệu"),
    ("initiative_identifiers", "Sáng kiến"),
)
REQUIRED = ("subject_kind", "subject_code", "year", "title")
SUBJECT_KINDS = {"person": "person", "cá nhân": "person", "unit": "unit", "tập thể": "unit"}


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


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


_HEADERS = {_fold(name): field for field, label in COLUMNS for name in (field, label)}
_TITLE_CODES = {_fold(code): code for code in TITLES} | {
    _fold(name): code for code, name in TITLES.items()
}


def clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def file_kind(content_type: str | None, body: bytes) -> Kind:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise UnsupportedMediaType(
            f"Send the file as {XLSX_TYPE} or {CSV_TYPE}, not {media_type or 'no content type'}.",
            field="Content-Type",
        )
    if body.startswith(b"PK\x03\x04"):
        return "xlsx"
    if media_type == XLSX_TYPE:
        raise Unprocessable("The body is not an XLSX workbook.", field="body")
    return "csv"


def parse_history(body: bytes, kind: Kind, this_year: int) -> list[HistoryRecord]:
    rows = _xlsx_rows(body) if kind == "xlsx" else _csv_rows(body)
    return _records(rows, this_year)


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
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise Unprocessable(f"The CSV file cannot be read: {exc}.", field="body") from exc


def _xlsx_rows(body: bytes) -> list[Sequence[object]]:
    try:
        book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
        try:
            return list(book.worksheets[0].iter_rows(max_col=32, values_only=True))
        finally:
            book.close()
    except (zipfile.BadZipFile, InvalidFileException, ParseError, IndexError, KeyError,
            TypeError, ValueError, OSError) as exc:  # fmt: skip
        raise Unprocessable(f"The XLSX workbook cannot be read: {exc}.", field="body") from exc


def _records(rows: list[Sequence[object]], this_year: int) -> list[HistoryRecord]:
    if len(rows) > MAX_ROWS:
        raise Unprocessable(f"The file has more than {MAX_ROWS} rows.", field="body")
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(clean(c) for c in r)]
    if not numbered:
        raise Unprocessable("The file has no header row.", field="body")
    header_number, header = numbered[0]
    fields, errors = _header(header_number, header)
    if errors:
        raise RowsRejected(errors)
    records: list[HistoryRecord] = []
    seen: dict[tuple[str, str, int, str], int] = {}
    for number, cells in numbered[1:]:
        values = {
            field: clean(cell)
            for field, cell in zip(fields, cells, strict=False)
            if field is not None
        }
        record, row_errors = _record(number, values, this_year)
        errors.extend(row_errors)
        if record is None:
            continue
        key = (record.subject_kind, record.subject_code, record.year, record.title)
        if key in seen:
            errors.append(_error(number, "title", f"The same title and year as row {seen[key]}."))
        seen.setdefault(key, number)
        records.append(record)
    if errors:
        raise RowsRejected(errors)
    return records


def _header(number: int, cells: Sequence[object]) -> tuple[list[str | None], list[RowError]]:
    fields: list[str | None] = []
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = clean(cell)
        field = _HEADERS.get(_fold(name)) if name else None
        if name and field is None:
            expected = ", ".join(label for _, label in COLUMNS)
            errors.append(
                _error(
                    number,
                    f"column {index + 1}",
                    f"Unknown column '{name}'; the columns are: {expected}.",
                )
            )
        fields.append(field)
    for field, label in COLUMNS:
        if field in REQUIRED and field not in fields:
            errors.append(_error(number, field, f"Missing column '{label}' ({field})."))
    return fields, errors


def _record(
    number: int, values: dict[str, str], this_year: int
) -> tuple[HistoryRecord | None, list[RowError]]:
    errors = [_error(number, field, "Required.") for field in REQUIRED if not values.get(field)]
    if errors:
        return None, errors
    for field in ("subject_code", "unit_code"):
        if len(values.get(field, "")) > MAX_CODE_LENGTH:
            errors.append(_error(number, field, f"At most {MAX_CODE_LENGTH} characters."))
    kind = SUBJECT_KINDS.get(_fold(values["subject_kind"]))
    if kind is None:
        errors.append(
            _error(number, "subject_kind", "Either 'Cá nhân' (person) or 'Tập thể' (unit).")
        )
    year = int(values["year"]) if values["year"].isdigit() else None
    if year is None or not FIRST_YEAR <= year <= this_year:
        errors.append(_error(number, "year", f"A year from {FIRST_YEAR} to {this_year}."))
    title = _TITLE_CODES.get(_fold(values["title"]))
    allowed = PERSON_TITLES if kind == "person" else UNIT_TITLES
    if title is None or (kind is not None and title not in allowed):
        names = ", ".join(TITLES[t] for t in allowed)
        errors.append(
            _error(number, "title", f"Unknown title '{values['title']}'; one of: {names}.")
        )
    if errors or kind is None or year is None or title is None:
        return None, errors
    initiatives = [
        part.strip()
        for part in values.get("initiative_identifiers", "").replace(",", ";").split(";")
        if part.strip()
    ]
    return (
        HistoryRecord(
            subject_kind=kind,
            subject_code=values["subject_code"],
            year=year,
            title=title,
            subject_name=values.get("subject_name", ""),
            unit_code=values.get("unit_code", ""),
            initiative_identifiers=tuple(initiatives),
        ),
        [],
    )


def _error(row: int, field: str, message: str) -> RowError:
    return {"row": row, "field": field, "message": message}
