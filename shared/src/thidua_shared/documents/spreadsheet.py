"""XLSX rendering of tabular reports and lists."""

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thidua_shared.documents.cell_safety import keep_as_text
from thidua_shared.documents.model import Cell

_MAX_SHEET_TITLE = 31
_INVALID_TITLE_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    heading: str = ""


def _value(value: Cell) -> Cell:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def render_xlsx(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        title = _value(sheet.title.translate(_INVALID_TITLE_CHARS))
        worksheet = workbook.create_sheet(str(title)[:_MAX_SHEET_TITLE])
        if sheet.heading:
            worksheet.append([_value(sheet.heading)])
            worksheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        worksheet.append([_value(h) for h in sheet.headers])
        header_row = worksheet.max_row
        for column in range(1, len(sheet.headers) + 1):
            cell = worksheet.cell(row=header_row, column=column)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in sheet.rows:
            worksheet.append([_value(v) for v in row])
        for row in worksheet.iter_rows():
            for cell in row:
                keep_as_text(cell)
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
        worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1)
        _fit_columns(worksheet, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fit_columns(worksheet: Any, sheet: Sheet) -> None:
    for column, header in enumerate(sheet.headers, start=1):
        values = [header] + [str(row[column - 1] or "") for row in sheet.rows[:200]]
        width = min(60, max(8, *(len(v) for v in values)) + 2)
        worksheet.column_dimensions[get_column_letter(column)].width = width
