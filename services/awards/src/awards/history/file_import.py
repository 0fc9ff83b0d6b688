"""Past years' titles from a spreadsheet (XLSX) or CSV file. Every row is checked and every
error reported by spreadsheet row (the header is row 1); a file with any error is refused
whole, so nothing is written."""

from collections.abc import Sequence

from awards.history.service import HistoryRecord
from thidua_shared.contracts.vocabulary import PERSON_TITLES, TITLES, UNIT_TITLES, SubjectKind
from thidua_shared.documents import (
    FileKind,
    RowError,
    RowLimit,
    RowsRejected,
    cell_text,
    fold,
    header_fields,
    read_rows,
    row_error,
)
from thidua_shared.platform.errors import Unprocessable

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500_000
MAX_COLUMNS = 32
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
_HEADERS = header_fields(COLUMNS)
_TITLE_CODES = {fold(code): code for code in TITLES} | {
    fold(name): code for code, name in TITLES.items()
}


def parse_history(body: bytes, kind: FileKind, this_year: int) -> list[HistoryRecord]:
    rows = read_rows(body, kind, limit=RowLimit(MAX_ROWS), max_columns=MAX_COLUMNS)
    return _records(rows, this_year)


def _records(rows: list[Sequence[object]], this_year: int) -> list[HistoryRecord]:
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(cell_text(c) for c in r)]
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
            field: cell_text(cell)
            for field, cell in zip(fields, cells, strict=False)
            if field is not None
        }
        record, row_errors = _record(number, values, this_year)
        errors.extend(row_errors)
        if record is None:
            continue
        key = (record.subject_kind, record.subject_code, record.year, record.title)
        if key in seen:
            errors.append(
                row_error(number, "title", f"The same title and year as row {seen[key]}.")
            )
        seen.setdefault(key, number)
        records.append(record)
    if errors:
        raise RowsRejected(errors)
    return records


def _header(number: int, cells: Sequence[object]) -> tuple[list[str | None], list[RowError]]:
    fields: list[str | None] = []
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = cell_text(cell)
        field = _HEADERS.get(fold(name)) if name else None
        if name and field is None:
            expected = ", ".join(label for _, label in COLUMNS)
            errors.append(
                row_error(
                    number,
                    f"column {index + 1}",
                    f"Unknown column '{name}'; the columns are: {expected}.",
                )
            )
        fields.append(field)
    for field, label in COLUMNS:
        if field in REQUIRED and field not in fields:
            errors.append(row_error(number, field, f"Missing column '{label}' ({field})."))
    return fields, errors


def _record(
    number: int, values: dict[str, str], this_year: int
) -> tuple[HistoryRecord | None, list[RowError]]:
    errors = [row_error(number, field, "Required.") for field in REQUIRED if not values.get(field)]
    if errors:
        return None, errors
    for field in ("subject_code", "unit_code"):
        if len(values.get(field, "")) > MAX_CODE_LENGTH:
            errors.append(row_error(number, field, f"At most {MAX_CODE_LENGTH} characters."))
    kind = SUBJECT_KINDS.get(fold(values["subject_kind"]))
    if kind is None:
        errors.append(
            row_error(number, "subject_kind", "Either 'Cá nhân' (person) or 'Tập thể' (unit).")
        )
    year = int(values["year"]) if values["year"].isdigit() else None
    if year is None or not FIRST_YEAR <= year <= this_year:
        errors.append(row_error(number, "year", f"A year from {FIRST_YEAR} to {this_year}."))
    title = _TITLE_CODES.get(fold(values["title"]))
    allowed = PERSON_TITLES if kind == SubjectKind.PERSON else UNIT_TITLES
    if title is None or (kind is not None and title not in allowed):
        names = ", ".join(TITLES[t] for t in allowed)
        errors.append(
            row_error(number, "title", f"Unknown title '{values['title']}'; one of: {names}.")
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
