"""A registration's members from a spreadsheet (XLSX) or CSV file: the template, and parsing.

Every row is checked with the member schema of the JSON API and every error is reported by
spreadsheet row (the header is row 1); a file with any error is refused whole.
"""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Literal, TypedDict
from xml.etree.ElementTree import ParseError

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError

from pledges.schemas import MAX_MEMBERS, MemberIn
from thidua_shared.contracts.vocabulary import GENDERS, PERSON_TITLES, TITLES
from thidua_shared.platform.errors import Unprocessable, UnsupportedMediaType

Kind = Literal["xlsx", "csv"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv"
# Browsers send a .csv as application/vnd.ms-excel on Windows; octet-stream is told apart by
# its first bytes.
ACCEPTED_TYPES = frozenset(
    {XLSX_TYPE, CSV_TYPE, "application/csv", "application/vnd.ms-excel", "application/octet-stream"}
)
MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 64
# Blank rows are skipped, but a sheet is not read forever.
MAX_ROWS = 2 * MAX_MEMBERS

# (field, the template's Vietnamese header).
COLUMNS = (
    ("staff_code", "Mã cán bộ"),
    ("full_name", "Họ và tên"),
    ("gender", "Giới tính"),
    ("position", "Chức vụ"),
    ("title_aimed", "Danh hiệu đăng ký"),
)
REQUIRED = frozenset({"staff_code", "full_name"})
EXAMPLE = ("CB001", "Nguyễn Thị Hoà", "Nữ", "Chuyên viên", "Lao động tiên tiến")
WIDTHS = (16, 32, 12, 24, 32)
TEMPLATE_NAME = "mau-danh-sach-ca-nhan-dang-ky"


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


def clean(value: object) -> str:
    """A cell as text: Unicode NFC, runs of spaces (non-breaking ones too) made one, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _by_label(codes: dict[str, str]) -> dict[str, str]:
    return {
        key: code
        for code, label in codes.items()
        for key in (code, unicodedata.normalize("NFC", label).casefold())
    }


# People fill spreadsheets with the Vietnamese words ("Nữ", "Lao động tiên tiến"); the API
# takes the codes. Either is read; anything else reaches the member schema as written, which
# names what it accepts.
_CODED = {
    "gender": _by_label(GENDERS),
    "title_aimed": _by_label({code: TITLES[code] for code in PERSON_TITLES}),
}


def _coded(field: str, text: str) -> str:
    codes = _CODED.get(field)
    return text if codes is None else codes.get(text.casefold(), text)


_HEADERS = {
    unicodedata.normalize("NFC", name).casefold(): field
    for field, label in COLUMNS
    for name in (field, label)
}


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


def parse_members(body: bytes, kind: Kind) -> list[MemberIn]:
    """The members the file lists, in its order, or RowsRejected naming every bad row."""
    rows = _xlsx_rows(body) if kind == "xlsx" else _csv_rows(body)
    return _members(enumerate(rows, start=1))


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
            raise Unprocessable(
                f"The file has more than {MAX_ROWS} rows; at most {MAX_MEMBERS} members.",
                field="members",
            )
        read.append(row)
    return read


def _header(number: int, cells: Sequence[object]) -> tuple[list[str | None], list[RowError]]:
    fields: list[str | None] = []
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = clean(cell)
        field = _HEADERS.get(name.casefold()) if name else None
        if name and field is None:
            expected = ", ".join(label for _, label in COLUMNS)
            errors.append(
                _error(
                    number,
                    f"column {_letter(index)}",
                    f"Unknown column '{name}'; the columns are: {expected}.",
                )
            )
        elif field is not None and field in fields:
            errors.append(_error(number, field, f"Column '{name}' appears twice."))
        fields.append(field)
    for field, label in COLUMNS:
        if field in REQUIRED and field not in fields:
            errors.append(_error(number, field, f"Missing column '{label}' ({field})."))
    return fields, errors


def _members(rows: Iterator[tuple[int, Sequence[object]]]) -> list[MemberIn]:
    fields: list[str | None] | None = None
    errors: list[RowError] = []
    members: list[MemberIn] = []
    seen: dict[str, int] = {}
    last = 0
    for number, cells in rows:
        last = number
        if fields is None:
            if any(clean(c) for c in cells):
                fields, errors = _header(number, cells)
                if errors:
                    break
            continue
        values: dict[str, str] = {}
        for index, cell in enumerate(cells):
            if not (text := clean(cell)):
                continue
            field = fields[index] if index < len(fields) else None
            if field is None:
                errors.append(
                    _error(
                        number, f"column {_letter(index)}", "A value in a column without a header."
                    )
                )
            else:
                values[field] = _coded(field, text)
        if not values:
            continue
        try:
            member = MemberIn.model_validate(values)
        except ValidationError as exc:
            errors += [
                _error(number, ".".join(str(p) for p in e["loc"]) or "row", e["msg"])
                for e in exc.errors()
            ]
            continue
        if (first := seen.get(member.staff_code)) is not None:
            errors.append(
                _error(
                    number,
                    "staff_code",
                    f"Staff code {member.staff_code} is already on row {first}.",
                )
            )
            continue
        seen[member.staff_code] = number
        members.append(member)
    if fields is None:
        errors.append(_error(1, "staff_code", "The file is empty: no header row."))
    elif not errors and not members:
        errors.append(_error(last + 1, "members", "The file lists no members."))
    elif len(members) > MAX_MEMBERS:
        errors.append(
            _error(last, "members", f"At most {MAX_MEMBERS} members, not {len(members)}.")
        )
    if errors:
        raise RowsRejected(errors)
    return members


def _error(row: int, field: str, message: str) -> RowError:
    return RowError(row=row, field=field, message=message)


def _letter(index: int) -> str:
    return str(get_column_letter(index + 1))


def template(kind: Kind) -> tuple[bytes, str, str]:
    """The template file with its header and one example row: (content, media type, name)."""
    labels = [label for _, label in COLUMNS]
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows([labels, EXAMPLE])
        # The byte order mark makes Excel open it as UTF-8.
        return ("\ufeff" + out.getvalue()).encode(), f"{CSV_TYPE}; charset=utf-8", "csv"
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách đăng ký"
    sheet.append(labels)
    sheet.append(list(EXAMPLE))
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[_letter(index)].width = width
        sheet.cell(row=1, column=index + 1).font = Font(bold=True)
    for field, choices in (
        ("gender", GENDERS.values()),
        ("title_aimed", (TITLES[code] for code in PERSON_TITLES)),
    ):
        letter = _letter([f for f, _ in COLUMNS].index(field))
        listed = '"' + ",".join(choices) + '"'
        choice = DataValidation(type="list", formula1=listed, allow_blank=True)
        choice.add(f"{letter}2:{letter}{MAX_MEMBERS + 1}")
        sheet.add_data_validation(choice)
    # Staff codes are text: Excel must keep their leading zeros.
    sheet.column_dimensions["A"].number_format = "@"
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    return out_bytes.getvalue(), XLSX_TYPE, "xlsx"
