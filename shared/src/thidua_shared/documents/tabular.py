"""Uploaded lists (CSV or XLSX) read into rows of cells, and blank templates to fill in.

Generic only: which columns a file has and what a cell may hold is each service's business.
Whatever cannot be read is a problem the service answers as it is (415 or 422).
"""

import csv
import io
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal, TypedDict

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from thidua_shared.documents.cell_safety import csv_row, csv_text_read, keep_as_text
from thidua_shared.documents.model import XLSX_MEDIA_TYPE
from thidua_shared.documents.workbook_guard import check_workbook
from thidua_shared.platform.control_characters import control_character
from thidua_shared.platform.errors import Unprocessable, UnsupportedMediaType

FileKind = Literal["xlsx", "csv"]
Row = Sequence[object]

CSV_MEDIA_TYPE = "text/csv"
# Browsers send a .csv as application/vnd.ms-excel on Windows; octet-stream is told apart by
# its first bytes.
ACCEPTED_MEDIA_TYPES = frozenset(
    {
        XLSX_MEDIA_TYPE,
        CSV_MEDIA_TYPE,
        "application/csv",
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)
_ZIP_SIGNATURE = b"PK\x03\x04"


class RowError(TypedDict):
    row: int
    field: str
    message: str


def row_error(row: int, field: str, message: str) -> RowError:
    return RowError(row=row, field=field, message=message)


class RowsRejected(Unprocessable):
    """A file refused whole, with every error by spreadsheet row (the header is row 1)."""

    code = "invalid-rows"

    def __init__(self, errors: list[RowError]) -> None:
        first = errors[0]
        super().__init__(
            f"{len(errors)} error(s) in the file, nothing was imported; the first: row "
            f"{first['row']}, {first['field']}: {first['message']}",
            field=first["field"],
            errors=errors,
        )


@dataclass(frozen=True)
class RowLimit:
    """How many rows a file may have, blank ones included, so a sheet is not read forever."""

    rows: int
    # A service may say what the limit is for ("at most 1000 members") and blame its own field.
    message: str = ""
    field: str = "body"

    def refusal(self) -> Unprocessable:
        message = self.message or f"The file has more than {self.rows} rows."
        return Unprocessable(message, field=self.field)


def fold(name: str) -> str:
    """The form in which header names and coded labels compare: NFC, case folded."""
    return unicodedata.normalize("NFC", name).casefold()


def header_fields(columns: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each (field, label) column found by either its field name or its label, folded."""
    return {fold(name): field for field, label in columns for name in (field, label)}


def cell_text(value: object) -> str:
    """A cell as text: Unicode NFC, runs of spaces (non-breaking ones too) made one, stripped."""
    if value is None:
        return ""
    # Excel stores every number as a float: a code or a year 2018 must not read "2018.0".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def file_kind(content_type: str | None, body: bytes) -> FileKind:
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"Send the file as {XLSX_MEDIA_TYPE} or {CSV_MEDIA_TYPE}, not "
            f"{media_type or 'no content type'}.",
            field="Content-Type",
        )
    # An XLSX workbook is a zip archive, whatever the browser called it.
    if body.startswith(_ZIP_SIGNATURE):
        return "xlsx"
    if media_type == XLSX_MEDIA_TYPE:
        raise Unprocessable("The body is not an XLSX workbook.", field="body")
    return "csv"


def read_rows(body: bytes, kind: FileKind, *, limit: RowLimit, max_columns: int) -> list[Row]:
    """Every row of a CSV file or of a workbook's first sheet, in order, blank ones too.

    A workbook is checked against the archive limits before it is opened, and only its first
    `max_columns` columns of `limit.rows` rows are kept. A file with a control character in a
    cell is refused, naming the cell's row and column."""
    rows = _xlsx_rows(body, limit, max_columns) if kind == "xlsx" else _csv_rows(body, limit)
    _refuse_control_characters(rows)
    return rows


def _csv_rows(body: bytes, limit: RowLimit) -> list[Row]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unprocessable(
            f"The CSV file is not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8'.",
            field="body",
        ) from exc
    # Excel writes ';' where the decimal separator is a comma, as in Vietnamese settings.
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        rows = _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), limit)
    except csv.Error as exc:
        raise Unprocessable(f"The CSV file cannot be read: {exc}.", field="body") from exc
    # thidua's own CSV exports put an apostrophe before formula-like text; it is not data.
    return [[csv_text_read(str(cell)) for cell in row] for row in rows]


# calamine (Rust) reads a workbook in about a twentieth of openpyxl's CPU, nearly all of a
# member or evaluation import's cost, but holds the whole sheet in memory; openpyxl's read-only
# mode streams it. A workbook with a part bigger than this (a history of hundreds of thousands
# of rows, or a hostile sheet of wide rows) is streamed, so its memory stays bounded.
WHOLE_SHEET_BYTES = 16 * 1024 * 1024


def _xlsx_rows(
    body: bytes, limit: RowLimit, max_columns: int, whole_sheet_bytes: int = WHOLE_SHEET_BYTES
) -> list[Row]:
    largest_part = check_workbook(body)
    try:
        if largest_part <= whole_sheet_bytes:
            return _bounded(_calamine_rows(body, max_columns), limit)
        return _streamed_rows(body, limit, max_columns)
    except Unprocessable:
        raise
    except Exception as exc:
        # Hostile or damaged input fails wherever the parsing happens to stop, with whatever
        # exception that code raises; each means the same to the sender.
        raise _unreadable(exc) from exc


def _streamed_rows(body: bytes, limit: RowLimit, max_columns: int) -> list[Row]:
    book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:
        return _bounded(book.worksheets[0].iter_rows(max_col=max_columns, values_only=True), limit)
    finally:
        book.close()


def _calamine_rows(body: bytes, max_columns: int) -> Iterator[Row]:
    """The first sheet's rows as openpyxl reads them, so the services see one kind of cell
    whichever reader read the file: each row max_columns wide, padded with None. Empty leading
    rows and columns are kept: row numbers are the sheet's own."""
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0)
    padding = [None] * max_columns
    for row in sheet.to_python(skip_empty_area=False):
        yield [_cell_value(v) for v in row[:max_columns]] + padding[len(row) :]


def _cell_value(value: object) -> object:
    """None for an empty cell, whole numbers as int, a date as a datetime at midnight."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    return value


def _unreadable(exc: Exception) -> Unprocessable:
    return Unprocessable(f"The XLSX workbook cannot be read: {exc}.", field="body")


def _refuse_control_characters(rows: list[Row]) -> None:
    header = rows[0] if rows else ()
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            character = control_character(value) if isinstance(value, str) else None
            if character:
                label = cell_text(header[index]) if index < len(header) else ""
                field = label or column_letter(index)
                errors.append(
                    row_error(number, field, f"contains the control character {character}")
                )
    if errors:
        raise RowsRejected(errors)


def _bounded(rows: Iterable[Row], limit: RowLimit) -> list[Row]:
    read: list[Row] = []
    for row in rows:
        if len(read) == limit.rows:
            raise limit.refusal()
        read.append(row)
    return read


def file_request_body(description: str) -> dict[str, Any]:
    """The OpenAPI request body of an upload route taking a CSV or XLSX file."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
                CSV_MEDIA_TYPE: {"schema": {"type": "string"}},
            },
        }
    }


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column counted from 0: A, B, ..., AA."""
    return str(get_column_letter(index + 1))


def write_template(
    kind: FileKind,
    *,
    title: str,
    labels: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int] = (),
    choices: Mapping[int, Iterable[str]] | None = None,
    choice_rows: int = 1000,
    text_columns: Collection[int] = (),
) -> tuple[bytes, str]:
    """A file with a bold header and the given rows: (content, media type).

    In a workbook, `choices` offers a drop-down list in a column (counted from 0) for
    `choice_rows` rows below the header; `text_columns` keep what is typed as text.
    """
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows(csv_row(row) for row in [labels, *rows])
        # The byte order mark makes Excel open it as UTF-8.
        return ("\ufeff" + out.getvalue()).encode(), f"{CSV_MEDIA_TYPE}; charset=utf-8"
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(labels))
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            keep_as_text(cell)
    for index, label in enumerate(labels):
        width = widths[index] if index < len(widths) else max(14, len(label) + 4)
        sheet.column_dimensions[column_letter(index)].width = width
        sheet.cell(row=1, column=index + 1).font = Font(bold=True)
    for index, listed in (choices or {}).items():
        letter = column_letter(index)
        choice = DataValidation(
            type="list", formula1='"' + ",".join(listed) + '"', allow_blank=True
        )
        choice.add(f"{letter}2:{letter}{choice_rows + 1}")
        sheet.add_data_validation(choice)
    # Codes such as staff codes must keep their leading zeros.
    for index in text_columns:
        sheet.column_dimensions[column_letter(index)].number_format = "@"
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    return out_bytes.getvalue(), XLSX_MEDIA_TYPE
