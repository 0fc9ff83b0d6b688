"""Member evaluations (đánh giá, xếp loại cá nhân) from an XLSX or CSV file.

One row per member. A second initiative goes on a following row that repeats the staff code
and fills only the initiative columns. A registered member who left is a row with the date
they left ("Ngày chuyển đi") and no rating. Codes or their Vietnamese labels are accepted
("tot" or "Hoàn thành tốt nhiệm vụ"). Every row is checked, against the unit's registration
too, and every error is reported by spreadsheet row (the header is row 1); a file with any
error is refused whole.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from reports.content_schemas import MemberEvaluationIn, MemberLeftIn
from thidua_shared.contracts.pledges import RegisteredMember
from thidua_shared.contracts.vocabulary import (
    DISCIPLINES,
    INITIATIVE_LEVELS,
    TASK_RATINGS,
    TASK_RATINGS_SHORT,
    Discipline,
    InitiativeLevel,
)
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
    write_template,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 64
# Blank rows are skipped, but a sheet is not read forever.
MAX_ROWS = 20_000

COLUMNS = (
    ("staff_code", "Mã cán bộ"),
    ("full_name", "Họ và tên"),
    ("task_rating", "Xếp loại"),
    ("discipline", "Kỷ luật"),
    ("discipline_from", "Kỷ luật từ ngày"),
    ("discipline_to", "Kỷ luật đến ngày"),
    ("under_investigation", "Đang bị xem xét, điều tra"),
    ("initiative_identifier", "Số công nhận sáng kiến"),
    ("initiative_title", "Tên sáng kiến, đề tài"),
    ("initiative_level", "Cấp công nhận"),
    ("initiative_year", "Năm công nhận"),
    ("counted_leave_days", "Số ngày nghỉ tính công"),
    ("joined_during_year", "Mới chuyển đến"),
    ("left_on", "Ngày chuyển đi"),
    ("notes", "Ghi chú"),
)
REQUIRED = frozenset({"staff_code"})
INITIATIVE_FIELDS = (
    "initiative_identifier",
    "initiative_title",
    "initiative_level",
    "initiative_year",
)
EXAMPLE = (
    "CB001",
    "Nguyễn Thị Hoà",
    "Hoàn thành tốt nhiệm vụ",
    "Không",
    "",
    "",
    "",
    "SK-2018-014",
    "Số hoá hồ sơ một cửa",
    "Cấp cơ sở",
    "2018",
    "0",
    "",
    "",
    "",
)
_LABELS = header_fields(COLUMNS)
TEMPLATE_NAME = "mau-danh-gia-ca-nhan"
_TRUE = frozenset({"x", "có", "co", "yes", "true", "1"})
_FALSE = frozenset({"", "không", "khong", "no", "false", "0"})


def _choices(codes: Mapping[str, str], *extra: tuple[str, str]) -> dict[str, str]:
    """Code and label, both folded, to the code."""
    folded = {}
    for code, label in [*codes.items(), *extra]:
        folded[code.casefold()] = code
        folded[fold(label)] = code
    return folded


RATINGS = _choices(TASK_RATINGS, *TASK_RATINGS_SHORT.items())
DISCIPLINE_CHOICES = _choices(DISCIPLINES, (Discipline.NONE, ""), (Discipline.HIGHER, "Cao hơn"))
LEVELS = _choices(
    INITIATIVE_LEVELS, (InitiativeLevel.GRASSROOTS, "Cơ sở"), (InitiativeLevel.PROVINCIAL, "Tỉnh")
)


def template_file(kind: FileKind, members: Sequence[RegisteredMember] | None) -> tuple[bytes, str]:
    """The template: with an example row, or with a row per registered member to be rated."""
    rows = [EXAMPLE] if members is None else [(m.staff_code, m.full_name) for m in members]
    return write_template(
        kind,
        title="Đánh giá cá nhân",
        labels=[label for _, label in COLUMNS],
        rows=rows,
        # Staff codes are text: Excel must keep their leading zeros.
        text_columns=[0],
    )


@dataclass(frozen=True)
class ImportedMembers:
    evaluations: list[MemberEvaluationIn]
    left: list[MemberLeftIn]


def parse_evaluations(
    body: bytes, kind: FileKind, registered: Mapping[str, RegisteredMember]
) -> ImportedMembers:
    rows = read_rows(body, kind, limit=RowLimit(MAX_ROWS), max_columns=MAX_COLUMNS)
    parser = _Parser(registered)
    for number, cells in parser.records(rows):
        parser.row(number, cells)
    return parser.finish()


class _Parser:
    def __init__(self, registered: Mapping[str, RegisteredMember]) -> None:
        self.registered = registered
        self.errors: list[RowError] = []
        self.evaluations: dict[str, dict[str, Any]] = {}
        self.left: dict[str, MemberLeftIn] = {}
        self.first_row: dict[str, int] = {}
        self.header_found = False

    def records(self, rows: Sequence[Sequence[object]]) -> Iterable[tuple[int, dict[str, object]]]:
        fields: list[str | None] | None = None
        for number, cells in enumerate(rows, start=1):
            if fields is None:
                if any(cell_text(c) for c in cells):
                    fields = self._header(number, cells)
                    if self.errors:
                        return
                continue
            values = {
                field: cell
                for field, cell in zip(fields, cells, strict=False)
                if field is not None and cell_text(cell)
            }
            if values:
                yield number, values

    def _header(self, number: int, cells: Sequence[object]) -> list[str | None]:
        self.header_found = True
        fields = [_LABELS.get(cell_text(c).casefold()) for c in cells]
        for index, cell in enumerate(cells):
            if cell_text(cell) and fields[index] is None:
                self.errors.append(
                    row_error(number, f"column {index + 1}", f"Unknown column '{cell_text(cell)}'.")
                )
        for field, label in COLUMNS:
            if field in REQUIRED and field not in fields:
                self.errors.append(row_error(number, field, f"Missing column '{label}'."))
        return fields

    def row(self, number: int, cells: dict[str, object]) -> None:
        code = cell_text(cells.get("staff_code"))
        if not code:
            self.errors.append(row_error(number, "staff_code", "Every row names a staff code."))
            return
        others = set(cells) - {"staff_code", *INITIATIVE_FIELDS}
        if code in self.first_row:
            if others or code not in self.evaluations:
                first = self.first_row[code]
                self.errors.append(
                    row_error(number, "staff_code", f"Staff code {code} is already on row {first}.")
                )
                return
            self._initiative(number, code, cells)
            return
        self.first_row[code] = number
        if cells.get("left_on") is not None:
            self._left(number, code, cells)
        else:
            self._evaluation(number, code, cells)

    def _registration_error(self, number: int, code: str, joined: bool, left: bool) -> bool:
        member = self.registered.get(code)
        message = None
        if member is None and left:
            message = f"{code} is not on the unit's registration; only registered members leave."
        elif member is None and not joined:
            message = (
                f"{code} was never registered by the unit; mark 'Mới chuyển đến' for a member "
                "who joined during the year."
            )
        elif member is not None and joined:
            message = f"{member.full_name} ({code}) is registered: leave 'Mới chuyển đến' empty."
        if message:
            self.errors.append(row_error(number, "staff_code", message))
        return message is not None

    def _left(self, number: int, code: str, cells: dict[str, object]) -> None:
        if self._registration_error(number, code, joined=False, left=True):
            return
        values = {
            "staff_code": code,
            "left_on": _date(cells["left_on"]),
            "notes": cells.get("notes"),
        }
        try:
            self.left[code] = MemberLeftIn.model_validate(_present(values))
        except ValidationError as exc:
            self._validation(number, exc)

    def _evaluation(self, number: int, code: str, cells: dict[str, object]) -> None:
        try:
            joined = _flag(cells.get("joined_during_year"), "joined_during_year")
            values: dict[str, Any] = {
                "staff_code": code,
                "full_name": cells.get("full_name"),
                "task_rating": _choice(cells.get("task_rating"), RATINGS, "task_rating"),
                "discipline": _choice(cells.get("discipline"), DISCIPLINE_CHOICES, "discipline"),
                "discipline_from": _date(cells.get("discipline_from")),
                "discipline_to": _date(cells.get("discipline_to")),
                "under_investigation": _flag(
                    cells.get("under_investigation"), "under_investigation"
                ),
                "counted_leave_days": cells.get("counted_leave_days"),
                "joined_during_year": joined,
                "notes": cells.get("notes"),
                "initiatives": [],
            }
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            self.errors.append(row_error(number, field, message))
            return
        if self._registration_error(number, code, joined=joined, left=False):
            return
        if not joined:
            values.pop("full_name")
        values = _present(values)
        try:
            MemberEvaluationIn.model_validate(values)
        except ValidationError as exc:
            self._validation(number, exc)
            return
        self.evaluations[code] = values
        self._initiative(number, code, cells)

    def _initiative(self, number: int, code: str, cells: dict[str, object]) -> None:
        if not any(cells.get(f) is not None for f in INITIATIVE_FIELDS):
            return
        try:
            level = _choice(cells.get("initiative_level"), LEVELS, "initiative_level")
        except ValueError as exc:
            self.errors.append(row_error(number, "initiative_level", str(exc).partition(": ")[2]))
            return
        initiative = {
            "identifier": cells.get("initiative_identifier"),
            "title": cells.get("initiative_title"),
            "level": level,
            "year": cells.get("initiative_year"),
        }
        candidate = {**self.evaluations[code]}
        candidate["initiatives"] = [*candidate["initiatives"], _present(initiative)]
        try:
            MemberEvaluationIn.model_validate(candidate)
        except ValidationError as exc:
            self._validation(number, exc, prefix="initiative_")
            return
        self.evaluations[code] = candidate

    def _validation(self, number: int, exc: ValidationError, prefix: str = "") -> None:
        for error in exc.errors():
            location = [str(p) for p in error["loc"] if not isinstance(p, int)]
            field = location[-1] if location else "row"
            if location[:1] == ["initiatives"]:
                field = prefix + field if prefix else f"initiative_{field}"
            self.errors.append(row_error(number, field, error["msg"]))

    def finish(self) -> ImportedMembers:
        if not self.header_found:
            self.errors.append(row_error(1, "staff_code", "The file is empty: no header row."))
        elif not self.errors and not self.evaluations and not self.left:
            self.errors.append(row_error(2, "staff_code", "The file lists no members."))
        if self.errors:
            raise RowsRejected(self.errors)
        return ImportedMembers(
            [MemberEvaluationIn.model_validate(v) for v in self.evaluations.values()],
            list(self.left.values()),
        )


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: cell_text(v) if isinstance(v, str) else v for k, v in values.items() if v is not None
    }


def _choice(value: object, choices: Mapping[str, str], field: str) -> str | None:
    text = cell_text(value)
    if not text and field != "discipline":
        return None
    code = choices.get(text.casefold())
    if code is None:
        raise ValueError(
            f"{field}: '{text}' is not one of {', '.join(sorted(set(choices.values())))}"
        )
    return code


def _flag(value: object, field: str) -> bool:
    text = cell_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{field}: '{cell_text(value)}' is neither 'x' (yes) nor empty (no)")


def _date(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = cell_text(value)
    day, _, rest = text.partition("/")
    month, _, year = rest.partition("/")
    if day.isdigit() and month.isdigit() and year.isdigit():
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return text
