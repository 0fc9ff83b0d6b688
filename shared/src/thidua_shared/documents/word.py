"""DOCX rendering of administrative documents, in the fonts offices use (Times New Roman 13)."""

import io
import unicodedata
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from thidua_shared.documents.model import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    AdministrativeDocument,
    Signature,
    Table,
    format_cell,
    vietnamese_date,
)

_FONT = "Times New Roman"


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def render_docx(document: AdministrativeDocument) -> bytes:
    word = Document()
    _page_setup(word)
    _header(word, document)
    _paragraph(word, document.kind, bold=True, center=True, size=14, space_before=12)
    _paragraph(word, document.title, bold=True, center=True)
    for line in document.preamble:
        _paragraph(word, line, italic=True)
    for section in document.sections:
        if section.heading:
            _paragraph(word, section.heading, bold=True, space_before=6)
        for text in section.paragraphs:
            _paragraph(word, text)
        if section.table is not None:
            _table(word, section.table)
    _footer(word, document)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page_setup(word: Any) -> None:
    for section in word.sections:
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.left_margin, section.right_margin = Mm(30), Mm(20)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = word.styles["Normal"]
    style.font.name = _FONT
    style.font.size = Pt(13)
    # East-Asian text falls back to this attribute; without it Word may substitute the font.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), _FONT)


def _paragraph(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    center: bool = False,
    size: int | None = None,
    space_before: int = 0,
) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(3)
    run = paragraph.add_run(_nfc(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _cell_lines(cell: Any, lines: list[tuple[str, dict[str, bool]]]) -> None:
    cell.paragraphs[0].text = ""
    for index, (text, style) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(_nfc(text))
        run.bold = style.get("bold", False)
        run.italic = style.get("italic", False)
        run.underline = style.get("underline", False)


def _header(word: Any, document: AdministrativeDocument) -> None:
    table = word.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left: list[tuple[str, dict[str, bool]]] = []
    if document.parent_agency:
        left.append((document.parent_agency.upper(), {}))
    left += [
        (document.issuing_agency.upper(), {"bold": True}),
        (f"Số: {document.document_number}", {}),
    ]
    _cell_lines(table.cell(0, 0), left)
    _cell_lines(
        table.cell(0, 1),
        [
            (NATIONAL_NAME, {"bold": True}),
            (NATIONAL_MOTTO, {"bold": True, "underline": True}),
            (vietnamese_date(document.place, document.issued_on), {"italic": True}),
        ],
    )


def _table(word: Any, table: Table) -> None:
    rendered = word.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    rendered.style = "Table Grid"
    for column, header in enumerate(table.headers):
        cell = rendered.cell(0, column)
        cell.paragraphs[0].add_run(_nfc(header)).bold = True
    for row_index, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row):
            rendered.cell(row_index, column).text = _nfc(format_cell(value))


def _signature_lines(signature: Signature) -> list[tuple[str, dict[str, bool]]]:
    lines: list[tuple[str, dict[str, bool]]] = []
    if signature.authority:
        lines.append((signature.authority.upper(), {"bold": True}))
    lines.append((signature.title.upper(), {"bold": True}))
    if signature.note:
        lines.append((signature.note, {"italic": True}))
    lines += [("", {}), ("", {}), ("", {}), (signature.name, {"bold": True})]
    return lines


def _footer(word: Any, document: AdministrativeDocument) -> None:
    signatures = list(document.signatures)
    if len(signatures) > 1:
        grid = word.add_table(rows=(len(signatures) + 1) // 2, cols=2)
        for index, signature in enumerate(signatures):
            _cell_lines(grid.cell(index // 2, index % 2), _signature_lines(signature))
    table = word.add_table(rows=1, cols=2)
    recipients = table.cell(0, 0)
    if document.recipients:
        recipients.paragraphs[0].add_run("Nơi nhận:").bold = True
        for recipient in document.recipients:
            recipients.add_paragraph().add_run(_nfc(f"- {recipient};")).font.size = Pt(11)
    if len(signatures) == 1:
        _cell_lines(table.cell(0, 1), _signature_lines(signatures[0]))
