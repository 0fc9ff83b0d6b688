"""DOCX rendering of administrative documents: the layout of `pdf`, in Times New Roman, as the
editable original an office opens in its word processor."""

import io
import unicodedata
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from thidua_shared.documents import layout
from thidua_shared.documents.fonts import OFFICE_FONT
from thidua_shared.documents.model import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    RECIPIENTS_HEADING,
    AdministrativeDocument,
    Annex,
    Section,
    Signature,
    Table,
    annex_reference,
    format_cell,
    recipient_lines,
    vietnamese_date,
)

_CENTER, _LEFT, _JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
# The schema's order of a paragraph's properties after w:pBdr, and of a table's after w:tblInd.
_AFTER_BORDER = ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr")
_AFTER_INDENT = ("w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
_AFTER_MARGINS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _twips(points: float) -> str:
    return str(round(points * 20))


def render_docx(document: AdministrativeDocument) -> bytes:
    word = Document()
    _styles(word)
    _page(word.sections[0], landscape=False)
    _numbering(word.sections[0])
    _header(word, document)
    _title(word, document)
    for section in document.sections:
        _section(word, section)
    _footer(word, document)
    for annex in document.annexes:
        _annex(word, document, annex)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _styles(word: Any) -> None:
    style = word.styles["Normal"]
    style.font.name = OFFICE_FONT
    style.font.size = Pt(layout.BODY)
    # East-Asian text falls back to this attribute; without it Word may substitute the font.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), OFFICE_FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _page(section: Any, *, landscape: bool) -> None:
    width, height = layout.PAGE_WIDTH, layout.PAGE_HEIGHT
    if landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Pt(width), Pt(height)
    section.left_margin, section.right_margin = Pt(layout.LEFT), Pt(layout.RIGHT)
    section.top_margin, section.bottom_margin = Pt(layout.TOP), Pt(layout.BOTTOM)
    section.header_distance = Pt(layout.NUMBER_FROM_TOP - layout.PAGE_NUMBER)


def _numbering(section: Any) -> None:
    """The page number centred in the header, which the first page does not show."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = _CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    run = paragraph.add_run("2")
    run.font.size = Pt(layout.PAGE_NUMBER)
    # The run moves into the field as its last computed result, which Word updates on opening.
    field.append(run._r)


def _paragraph(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    align: Any = _JUSTIFY,
    size: float | None = None,
    indent: bool = False,
    after: float = layout.PARAGRAPH_AFTER,
) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(layout.FIRST_LINE_INDENT)
    run = paragraph.add_run(_nfc(text))
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    return paragraph


def _rule(container: Any, length: float, room: float) -> None:
    """A drawn rule: an empty, nearly flat paragraph as long as the rule, with a bottom border."""
    paragraph = container.add_paragraph()
    spacing = paragraph.paragraph_format
    spacing.left_indent = spacing.right_indent = Pt(max(0.0, (room - length) / 2))
    # Clear of the descenders above, as the PDF's rule is.
    spacing.space_before = Pt(3)
    spacing.space_after = Pt(2)
    spacing.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDER)


def _layout_table(
    word: Any,
    widths: Sequence[float],
    *,
    indent: float = 0,
    margin: float = 0,
    vertical_margin: float = 0,
) -> Any:
    table = word.add_table(rows=0, cols=len(widths))
    table.autofit = False
    properties = table._tbl.tblPr
    if indent:
        element = OxmlElement("w:tblInd")
        element.set(qn("w:w"), _twips(-indent))
        element.set(qn("w:type"), "dxa")
        properties.insert_element_before(element, *_AFTER_INDENT)
    margins = OxmlElement("w:tblCellMar")
    # The schema's order: top, left, bottom, right.
    for side, width in (
        ("top", vertical_margin),
        ("left", margin),
        ("bottom", vertical_margin),
        ("right", margin),
    ):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), _twips(width))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.insert_element_before(margins, *_AFTER_MARGINS)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(width)
    return table


def _row(table: Any, widths: Sequence[float]) -> Any:
    row = table.add_row()
    # A row stays on one page, as in the PDF: a signature block or nơi nhận is never split.
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    cells = row.cells
    for cell, width in zip(cells, widths, strict=True):
        cell.width = Pt(width)
    return cells


def _first(cell: Any) -> Any:
    """A cell about to be filled, without the empty paragraph a new cell starts with (a cell
    left unfilled keeps it: it must hold one)."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def _header(word: Any, document: AdministrativeDocument) -> None:
    widths = (layout.HEADER_LEFT, layout.HEADER_RIGHT)
    table = _layout_table(word, widths, indent=layout.HEADER_OUTDENT)
    left, right = (_first(c) for c in _row(table, widths))
    agency = document.issuing_agency.upper()
    if document.parent_agency:
        _paragraph(left, document.parent_agency.upper(), align=_CENTER, size=layout.HEADER, after=0)
    _paragraph(left, agency, bold=True, align=_CENTER, size=layout.HEADER, after=0)
    length = layout.rule_length(
        agency, layout.HEADER, share=layout.AGENCY_RULE_SHARE, room=layout.HEADER_LEFT
    )
    _rule(left, length, layout.HEADER_LEFT)
    _paragraph(left, f"Số: {document.document_number}", align=_CENTER, after=0)
    _paragraph(right, NATIONAL_NAME, bold=True, align=_CENTER, size=layout.HEADER, after=0)
    _paragraph(right, NATIONAL_MOTTO, bold=True, align=_CENTER, after=0)
    motto = layout.rule_length(NATIONAL_MOTTO, layout.BODY, room=layout.HEADER_RIGHT)
    _rule(right, motto, layout.HEADER_RIGHT)
    date_line = vietnamese_date(document.place, document.issued_on)
    _paragraph(right, date_line, italic=True, align=_CENTER, after=0)


def _title(word: Any, document: AdministrativeDocument) -> None:
    kind = _paragraph(word, document.kind.upper(), bold=True, align=_CENTER, size=layout.KIND)
    kind.paragraph_format.space_before = Pt(18)
    _paragraph(word, document.title, bold=True, align=_CENTER, after=0)
    _rule(word, layout.TITLE_RULE, layout.text_area_width())
    if document.authority:
        heading = _paragraph(word, document.authority.upper(), bold=True, align=_CENTER)
        heading.paragraph_format.space_before = Pt(8)
    for line in [*document.preamble, *document.proposals]:
        _paragraph(word, line, italic=True, indent=True)


def _section(word: Any, section: Section) -> None:
    if section.heading:
        align = _CENTER if section.centred else _LEFT
        heading = _paragraph(word, section.heading, bold=True, align=align)
        heading.paragraph_format.space_before = Pt(6)
    for text in section.paragraphs:
        _paragraph(word, text, indent=True)
    if section.table is not None:
        _table(word, section.table, layout.text_area_width())
        _paragraph(word, "", after=0)


def _table(word: Any, table: Table, width: float) -> None:
    widths = layout.column_widths(table, width)
    rendered = _layout_table(
        word, widths, margin=layout.CELL_PADDING, vertical_margin=layout.CELL_PADDING_VERTICAL
    )
    rendered.style = "Table Grid"
    rendered.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = _row(rendered, widths)
    # The header row repeats on every page the table runs over.
    repeat = OxmlElement("w:tblHeader")
    rendered.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header, table.headers, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _paragraph(_first(cell), text, bold=True, align=_CENTER, size=layout.CELL, after=0)
    for row in table.rows:
        for cell, value in zip(_row(rendered, widths), row, strict=True):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            align = _CENTER if isinstance(value, int) else _LEFT
            _paragraph(_first(cell), format_cell(value), align=align, size=layout.CELL, after=0)


def _signature(cell: Any, signature: Signature) -> None:
    for line in (signature.authority.upper(), signature.title.upper()):
        if line:
            _paragraph(cell, line, bold=True, align=_CENTER, after=0)
    if signature.note:
        _paragraph(cell, signature.note, italic=True, align=_CENTER, after=0)
    space = _paragraph(cell, "", align=_CENTER, after=0)
    space.paragraph_format.space_after = Pt(layout.SIGNATURE_SPACE - layout.BODY)
    # The space after keeps a row of signers clear of the next.
    _paragraph(cell, signature.name, bold=True, align=_CENTER, after=layout.SIGNATURE_GAP)


def _recipients(cell: Any, recipients: Sequence[str]) -> None:
    _paragraph(
        cell,
        RECIPIENTS_HEADING,
        bold=True,
        italic=True,
        align=_LEFT,
        size=layout.RECIPIENTS_HEADING,
        after=0,
    )
    for line in recipient_lines(recipients):
        _paragraph(cell, line, align=_LEFT, size=layout.RECIPIENTS, after=0)


def _footer(word: Any, document: AdministrativeDocument) -> None:
    """As in the PDF: nơi nhận left and one signature right, or the signers two to a row with
    nơi nhận under them."""
    half = layout.text_area_width() / 2
    widths = (half, half)
    _paragraph(word, "", after=0)
    table = _layout_table(word, widths)
    signatures = list(document.signatures)
    if len(signatures) <= 1:
        left, right = _row(table, widths)
        if document.recipients:
            _recipients(_first(left), document.recipients)
        if signatures:
            _signature(_first(right), signatures[0])
        return
    columns = layout.SIGNATURE_COLUMNS
    for start in range(0, len(signatures), columns):
        cells = _row(table, widths)
        for cell, signature in zip(cells, signatures[start : start + columns], strict=False):
            _signature(_first(cell), signature)
    if document.recipients:
        _recipients(_first(_row(table, widths)[0]), document.recipients)


def _annex(word: Any, document: AdministrativeDocument, annex: Annex) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=annex.landscape)
    # The new section copies the first one's "different first page"; an annex's first page is
    # numbered.
    section.different_first_page_header_footer = False
    _paragraph(word, annex.title, bold=True, align=_CENTER, size=layout.KIND, after=0)
    _paragraph(word, annex_reference(document), italic=True, align=_CENTER, after=0)
    width = layout.text_area_width(landscape=annex.landscape)
    _rule(word, layout.TITLE_RULE, width)
    for text in annex.paragraphs:
        _paragraph(word, text, indent=True)
    _table(word, annex.table, width)
