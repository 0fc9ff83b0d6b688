"""A registration's members from a spreadsheet (XLSX) or CSV file: the template, and parsing.

Every row is checked with the member schema of the JSON API and every error is reported by
spreadsheet row (the header is row 1); a file with any error is refused whole.
"""

from collections.abc import Iterator, Sequence

from pydantic import ValidationError

from pledges.schemas import MAX_MEMBERS, MemberIn
from thidua_shared.contracts.vocabulary import GENDERS, PERSON_TITLES, TITLES
from thidua_shared.documents import (
    FileKind,
    RowError,
    RowLimit,
    RowsRejected,
    cell_text,
    column_letter,
    fold,
    header_fields,
    read_rows,
    row_error,
    write_template,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 64
# Blank rows are skipped, but a sheet is not read forever.
MAX_ROWS = 2 * MAX_MEMBERS
_ROW_LIMIT = RowLimit(
    MAX_ROWS,
    message=f"The file has more than {MAX_ROWS} rows; at most {MAX_MEMBERS} members.",
    field="members",
)

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


def _by_label(codes: dict[str, str]) -> dict[str, str]:
    return {key: code for code, label in codes.items() for key in (code, fold(label))}


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


_HEADERS = header_fields(COLUMNS)


def parse_members(body: bytes, kind: FileKind) -> list[MemberIn]:
    """The members the file lists, in its order, or RowsRejected naming every bad row."""
    rows = read_rows(body, kind, limit=_ROW_LIMIT, max_columns=MAX_COLUMNS)
    return _members(enumerate(rows, start=1))


def _header(number: int, cells: Sequence[object]) -> tuple[list[str | None], list[RowError]]:
    fields: list[str | None] = []
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = cell_text(cell)
        field = _HEADERS.get(name.casefold()) if name else None
        if name and field is None:
            expected = ", ".join(label for _, label in COLUMNS)
            errors.append(
                row_error(
                    number,
                    f"column {column_letter(index)}",
                    f"Unknown column '{name}'; the columns are: {expected}.",
                )
            )
        elif field is not None and field in fields:
            errors.append(row_error(number, field, f"Column '{name}' appears twice."))
        fields.append(field)
    for field, label in COLUMNS:
        if field in REQUIRED and field not in fields:
            errors.append(row_error(number, field, f"Missing column '{label}' ({field})."))
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
            if any(cell_text(c) for c in cells):
                fields, errors = _header(number, cells)
                if errors:
                    break
            continue
        values: dict[str, str] = {}
        for index, cell in enumerate(cells):
            if not (text := cell_text(cell)):
                continue
            field = fields[index] if index < len(fields) else None
            if field is None:
                errors.append(
                    row_error(
                        number,
                        f"column {column_letter(index)}",
                        "A value in a column without a header.",
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
                row_error(number, ".".join(str(p) for p in e["loc"]) or "row", e["msg"])
                for e in exc.errors()
            ]
            continue
        if (first := seen.get(member.staff_code)) is not None:
            errors.append(
                row_error(
                    number,
                    "staff_code",
                    f"Staff code {member.staff_code} is already on row {first}.",
                )
            )
            continue
        seen[member.staff_code] = number
        members.append(member)
    if fields is None:
        errors.append(row_error(1, "staff_code", "The file is empty: no header row."))
    elif not errors and not members:
        errors.append(row_error(last + 1, "members", "The file lists no members."))
    elif len(members) > MAX_MEMBERS:
        errors.append(
            row_error(last, "members", f"At most {MAX_MEMBERS} members, not {len(members)}.")
        )
    if errors:
        raise RowsRejected(errors)
    return members


def template(kind: FileKind) -> tuple[bytes, str]:
    """The template file with its header and one example row: (content, media type)."""
    fields = [field for field, _ in COLUMNS]
    return write_template(
        kind,
        title="Danh sách đăng ký",
        labels=[label for _, label in COLUMNS],
        rows=[EXAMPLE],
        widths=WIDTHS,
        choices={
            fields.index("gender"): GENDERS.values(),
            fields.index("title_aimed"): [TITLES[code] for code in PERSON_TITLES],
        },
        choice_rows=MAX_MEMBERS,
        # Staff codes are text: Excel must keep their leading zeros.
        text_columns=[fields.index("staff_code")],
    )
