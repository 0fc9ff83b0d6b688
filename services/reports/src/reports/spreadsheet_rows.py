"""Reading a spreadsheet (XLSX) or CSV upload into rows, and writing a template."""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Literal, TypedDict
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from thidua_shared.documents import XLSX_MEDIA_TYPE
from thidua_shared.platform.errors import Unprocessable, UnsupportedMediaType

Kind = Literal["xlsx", "csv"]

CSV_TYPE = "text/csv"
# Browsers send a .csv as application/vnd.ms-excel on Windows; octet-stream is told apart by
# its first bytes.
ACCEPTED_TYPES = frozenset(
    {
        XLSX_MEDIA_TYPE,
        CSV_TYPE,
        "application/csv",
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)
MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 64
# Blank rows are skipped, but a sheet is not read forever.
MAX_ROWS = 20_000


class RowError(TypedDict):
    row: int
    field: str
    message: str


def row_error(row: int, field: str, message: str) -> RowError:
    return RowError(row=row, field=field, message=message)


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


def clean(value: object) -> str:
    """A cell as text: Unicode NFC, runs of spaces (non-breaking ones too) made one, stripped."""
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
            f"Send the file as {XLSX_MEDIA_TYPE} or {CSV_TYPE}, not "
            f"{media_type or 'no content type'}.",
            field="Content-Type",
        )
    if body.startswith(b"PK\x03\x04"):
        return "xlsx"
    if media_type == XLSX_MEDIA_TYPE:
        raise Unprocessable("The body is not an XLSX workbook.", field="body")
    return "csv"


def read_rows(body: bytes, kind: Kind) -> list[Sequence[object]]:
    return _xlsx_rows(body) if kind == "xlsx" else _csv_rows(body)


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
        if len(read) == MAX_ROWS:
            raise Unprocessable(f"The file has more than {MAX_ROWS} rows.", field="body")
        read.append(row)
    return read


def template(
    kind: Kind, title: str, labels: Sequence[str], rows: Sequence[Sequence[str]]
) -> tuple[bytes, str]:
    """A template with its header and the given rows: (content, media type)."""
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows([labels, *rows])
        # The byte order mark makes Excel open it as UTF-8.
        return ("\ufeff" + out.getvalue()).encode(), f"{CSV_TYPE}; charset=utf-8"
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(labels))
    for row in rows:
        sheet.append(list(row))
    for index, label in enumerate(labels, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(label) + 4)
        sheet.cell(row=1, column=index).font = Font(bold=True)
    # Staff codes are text: Excel must keep their leading zeros.
    sheet.column_dimensions["A"].number_format = "@"
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    return out_bytes.getvalue(), XLSX_MEDIA_TYPE
