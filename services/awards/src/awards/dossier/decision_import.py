"""The higher authority's decision from a workbook: the dossier's decision template (one row
per proposal) filled in with Kết quả and, for a refusal, Lý do. Every row is checked and every
error reported by spreadsheet row (the header is row 1); a file with any error is refused
whole."""

from collections.abc import Sequence

from pydantic import ValidationError

from awards.dossier.models import Dossier
from awards.dossier.schemas import GrantedProposal, HigherDecisionCreate, RefusedProposal
from thidua_shared.contracts.vocabulary import TITLES, SubjectKind
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
from thidua_shared.platform.errors import Unprocessable

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 16
COLUMNS = (
    ("subject_kind", "Đối tượng"),
    ("subject_code", "Mã"),
    ("subject_name", "Tên"),
    ("title", "Danh hiệu"),
    ("outcome", "Kết quả"),
    ("reason", "Lý do"),
)
REQUIRED = ("subject_kind", "subject_code", "title", "outcome")
GRANTED, REFUSED = "Khen thưởng", "Không khen thưởng"
OUTCOMES = {fold(GRANTED): True, "granted": True, fold(REFUSED): False, "refused": False}
KINDS = {"cá nhân": SubjectKind.PERSON, "tập thể": SubjectKind.UNIT} | {
    str(kind): kind for kind in SubjectKind
}
KIND_LABELS = {SubjectKind.PERSON: "Cá nhân", SubjectKind.UNIT: "Tập thể"}
_HEADERS = header_fields(COLUMNS)
_TITLES = {fold(code): code for code in TITLES} | {
    fold(name): code for code, name in TITLES.items()
}


def decision_template(dossier: Dossier) -> bytes:
    """The proposals, each granted until the user says otherwise."""
    rows = [
        [
            KIND_LABELS.get(SubjectKind(item["subject_kind"]), str(item["subject_kind"])),
            str(item["subject_code"]),
            str(item.get("subject_name") or ""),
            TITLES.get(str(item["title"]), str(item["title"])),
            GRANTED,
            "",
        ]
        for item in dossier.items
    ]
    content, _ = write_template(
        "xlsx",
        title="Kết quả",
        labels=[label for _, label in COLUMNS],
        rows=rows,
        widths=[12, 16, 32, 32, 20, 40],
        choices={4: [GRANTED, REFUSED]},
        text_columns=[1],
    )
    return content


def parse_decision(body: bytes, kind: FileKind, heading: dict[str, str]) -> HigherDecisionCreate:
    rows = read_rows(body, kind, limit=RowLimit(MAX_ROWS), max_columns=MAX_COLUMNS)
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(cell_text(c) for c in r)]
    if not numbered:
        raise Unprocessable("The file has no header row.", field="body")
    header_number, header = numbered[0]
    fields = [_HEADERS.get(fold(cell_text(c))) for c in header]
    errors: list[RowError] = [
        row_error(header_number, field, f"Missing column '{label}' ({field}).")
        for field, label in COLUMNS
        if field in REQUIRED and field not in fields
    ]
    if errors:
        raise RowsRejected(errors)
    granted: list[GrantedProposal] = []
    refused: list[RefusedProposal] = []
    for number, cells in numbered[1:]:
        values = {f: cell_text(c) for f, c in zip(fields, cells, strict=False) if f is not None}
        row_errors = _row(number, values, granted, refused)
        errors.extend(row_errors)
    if errors:
        raise RowsRejected(errors)
    try:
        return HigherDecisionCreate.model_validate(
            {**heading, "granted": granted, "refused": refused}
        )
    except ValidationError as problem:
        first = problem.errors()[0]
        raise Unprocessable(
            f"{first['msg']}.", field=".".join(str(p) for p in first["loc"])
        ) from problem


def _row(
    number: int,
    values: dict[str, str],
    granted: list[GrantedProposal],
    refused: list[RefusedProposal],
) -> Sequence[RowError]:
    errors = [row_error(number, field, "Required.") for field in REQUIRED if not values.get(field)]
    if errors:
        return errors
    subject_kind = KINDS.get(fold(values["subject_kind"]))
    title = _TITLES.get(fold(values["title"]))
    outcome = OUTCOMES.get(fold(values["outcome"]))
    if subject_kind is None:
        errors.append(row_error(number, "subject_kind", "Either 'Cá nhân' or 'Tập thể'."))
    if title is None:
        errors.append(row_error(number, "title", f"Unknown title '{values['title']}'."))
    if outcome is None:
        errors.append(row_error(number, "outcome", f"Either '{GRANTED}' or '{REFUSED}'."))
    elif not outcome and not values.get("reason"):
        errors.append(row_error(number, "reason", "A refusal states its reason."))
    if errors or subject_kind is None or title is None:
        return errors
    try:
        if outcome:
            granted.append(
                GrantedProposal(
                    subject_kind=subject_kind, subject_code=values["subject_code"], title=title
                )
            )
        else:
            refused.append(
                RefusedProposal(
                    subject_kind=subject_kind,
                    subject_code=values["subject_code"],
                    title=title,
                    reason=values["reason"],
                )
            )
    except ValidationError:
        return [row_error(number, "subject_code", "Letters, digits, '.', '_' or '-' only.")]
    return []
