"""Text that a spreadsheet would run as a formula, kept as text in every export (OWASP's
"CSV injection"): unit names, commitments and member names come from users, and a value such as
=HYPERLINK(...) must reach the reader as the characters typed, never as a live formula.

XLSX keeps such a cell a string cell; CSV, which has no cell types, prefixes it with an
apostrophe, which spreadsheet programs hide, and which thidua's importers strip again. Numbers
are not text and stay numbers, a negative one included.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl.cell.cell import Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_TEXT_PREFIX = "'"
_FORMULA = "f"
_STRING = "s"


def starts_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_value(value: Any) -> Any:
    """A value to write into a CSV file."""
    return CSV_TEXT_PREFIX + value if starts_like_formula(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]


def csv_record(record: Mapping[str, Any]) -> dict[str, Any]:
    return {key: csv_value(value) for key, value in record.items()}


def csv_text_read(text: str) -> str:
    """A CSV cell as it was meant: the apostrophe an export put before formula-like text gone."""
    unquoted = text.removeprefix(CSV_TEXT_PREFIX)
    return unquoted if unquoted != text and starts_like_formula(unquoted) else text


def keep_as_text(cell: Cell) -> None:
    """openpyxl takes a string starting with '=' for a formula; an export's cells never are."""
    if cell.data_type == _FORMULA:
        cell.data_type = _STRING
