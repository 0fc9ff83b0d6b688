"""PDF rendering of administrative documents: A4, the layout of Decree 30/2020, Liberation Serif
embedded."""

import io
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import TableStyle as PdfTableStyle

from thidua_shared.documents import layout
from thidua_shared.documents.fonts import REPORTLAB_LOCK, register_fonts
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

Styles = dict[str, ParagraphStyle]
_RULE_WIDTH = 0.6


class Rule(Flowable):  # type: ignore[misc]
    """A solid rule of a given length, centred in its column: the short lines under the agency
    name, the tiêu ngữ and the title, which the decree asks to be drawn, not underlined."""

    def __init__(self, length: float) -> None:
        super().__init__()
        self.length = length
        self.room = length

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.room = available_width
        return available_width, 10

    def draw(self) -> None:
        start = (self.room - self.length) / 2
        self.canv.setLineWidth(_RULE_WIDTH)
        self.canv.line(start, 3, start + self.length, 3)


def _styles(font: str) -> Styles:
    body = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=layout.BODY,
        leading=layout.BODY * 1.2,
        alignment=TA_JUSTIFY,
        spaceAfter=layout.PARAGRAPH_AFTER,
    )
    center = ParagraphStyle("center", parent=body, alignment=TA_CENTER, spaceAfter=0)
    return {
        "body": ParagraphStyle("indented", parent=body, firstLineIndent=layout.FIRST_LINE_INDENT),
        "heading": ParagraphStyle("heading", parent=body, alignment=TA_LEFT, spaceBefore=4),
        "center": center,
        "header": ParagraphStyle("header", parent=center, fontSize=layout.HEADER, leading=14),
        "kind": ParagraphStyle("kind", parent=center, fontSize=layout.KIND, leading=18),
        "recipients_heading": ParagraphStyle(
            "recipients_heading",
            parent=body,
            alignment=TA_LEFT,
            fontSize=layout.RECIPIENTS_HEADING,
            spaceAfter=0,
        ),
        "recipients": ParagraphStyle(
            "recipients",
            parent=body,
            alignment=TA_LEFT,
            fontSize=layout.RECIPIENTS,
            leading=layout.RECIPIENTS * 1.2,
        ),
        "cell": ParagraphStyle(
            "cell", parent=body, fontSize=layout.CELL, leading=13, alignment=TA_LEFT, spaceAfter=0
        ),
        "cell_center": ParagraphStyle(
            "cell_center", parent=body, fontSize=layout.CELL, leading=13, alignment=TA_CENTER
        ),
    }


def _text(value: str) -> str:
    return escape(unicodedata.normalize("NFC", value))


def _numbered(landscape: bool) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Draws the page number centred over the text area in the top margin."""
    width = layout.PAGE_HEIGHT if landscape else layout.PAGE_WIDTH
    height = layout.PAGE_WIDTH if landscape else layout.PAGE_HEIGHT

    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(register_fonts(), layout.PAGE_NUMBER)
        centre = layout.LEFT + (width - layout.LEFT - layout.RIGHT) / 2
        canvas.drawCentredString(centre, height - layout.NUMBER_FROM_TOP, str(document.page))
        canvas.restoreState()

    return draw


def _page(name: str, *, landscape: bool = False, numbered: bool = True) -> PageTemplate:
    size = (layout.PAGE_HEIGHT, layout.PAGE_WIDTH) if landscape else layout.PAGE_SIZE
    frame = Frame(
        layout.LEFT,
        layout.BOTTOM,
        size[0] - layout.LEFT - layout.RIGHT,
        size[1] - layout.TOP - layout.BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id=name,
    )
    # The first page carries no number; the pages after it are "later" unless an annex turns.
    if not numbered:
        return PageTemplate(id=name, frames=[frame], pagesize=size, autoNextPageTemplate="later")
    return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=_numbered(landscape))


def render_pdf(document: AdministrativeDocument) -> bytes:
    with REPORTLAB_LOCK:
        return _render(document)


def _render(document: AdministrativeDocument) -> bytes:
    styles = _styles(register_fonts())
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=layout.PAGE_SIZE,
        title=f"{document.kind} {document.document_number}".strip(),
        author=document.issuing_agency,
    )
    template.addPageTemplates(
        [
            _page("first", numbered=False),
            _page("later"),
            _page("landscape", landscape=True),
        ]
    )
    story: list[Flowable] = [_header(document, styles), Spacer(1, 6 * mm)]
    story += _title(document, styles)
    for section in document.sections:
        story += _section(section, styles)
    story.append(Spacer(1, 4 * mm))
    story.append(_footer(document, styles))
    for annex in document.annexes:
        story += _annex(document, annex, styles)
    template.build(story)
    return buffer.getvalue()


def _header(document: AdministrativeDocument, styles: Styles) -> PdfTable:
    header = styles["header"]
    room = layout.HEADER_LEFT
    agency = document.issuing_agency.upper()
    left: list[Flowable] = []
    if document.parent_agency:
        left.append(Paragraph(_text(document.parent_agency.upper()), header))
    left += [
        Paragraph(f"<b>{_text(agency)}</b>", header),
        Rule(layout.rule_length(agency, layout.HEADER, share=layout.AGENCY_RULE_SHARE, room=room)),
        Spacer(1, 2 * mm),
        Paragraph(f"Số: {_text(document.document_number)}", styles["center"]),
    ]
    right: list[Flowable] = [
        Paragraph(f"<b>{NATIONAL_NAME}</b>", header),
        Paragraph(f"<b>{NATIONAL_MOTTO}</b>", styles["center"]),
        Rule(layout.rule_length(NATIONAL_MOTTO, layout.BODY, room=layout.HEADER_RIGHT)),
        Spacer(1, 2 * mm),
        Paragraph(
            f"<i>{_text(vietnamese_date(document.place, document.issued_on))}</i>",
            styles["center"],
        ),
    ]
    # Aligned right, the wider-than-the-frame table reaches into the left margin.
    table = PdfTable(
        [[left, right]], colWidths=[layout.HEADER_LEFT, layout.HEADER_RIGHT], hAlign="RIGHT"
    )
    table.setStyle(_plain())
    return table


def _plain() -> PdfTableStyle:
    return PdfTableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )


def _title(document: AdministrativeDocument, styles: Styles) -> list[Flowable]:
    parts: list[Flowable] = [
        Paragraph(f"<b>{_text(document.kind.upper())}</b>", styles["kind"]),
        Paragraph(f"<b>{_text(document.title)}</b>", styles["center"]),
        Rule(layout.TITLE_RULE),
        Spacer(1, 4 * mm),
    ]
    if document.authority:
        parts.append(Paragraph(f"<b>{_text(document.authority.upper())}</b>", styles["center"]))
        parts.append(Spacer(1, 3 * mm))
    parts += [Paragraph(f"<i>{_text(line)}</i>", styles["body"]) for line in document.preamble]
    parts += [Paragraph(f"<i>{_text(line)}</i>", styles["body"]) for line in document.proposals]
    return parts


def _section(section: Section, styles: Styles) -> list[Flowable]:
    parts: list[Flowable] = []
    if section.heading:
        style = styles["center"] if section.centred else styles["heading"]
        if section.centred:
            parts.append(Spacer(1, 2 * mm))
        parts.append(Paragraph(f"<b>{_text(section.heading)}</b>", style))
        if section.centred:
            parts.append(Spacer(1, 2 * mm))
    parts += [Paragraph(_text(p), styles["body"]) for p in section.paragraphs]
    if section.table is not None:
        parts += [Spacer(1, 1 * mm), _table(section.table, styles, layout.text_area_width())]
        parts.append(Spacer(1, 2 * mm))
    return parts


def _table(table: Table, styles: Styles, width: float) -> PdfTable:
    header = styles["cell_center"]
    rows: list[list[Any]] = [[Paragraph(f"<b>{_text(h)}</b>", header) for h in table.headers]]
    for row in table.rows:
        rows.append(
            [
                Paragraph(_text(format_cell(v)), header if isinstance(v, int) else styles["cell"])
                for v in row
            ]
        )
    rendered = PdfTable(rows, repeatRows=1, colWidths=layout.column_widths(table, width))
    rendered.setStyle(
        PdfTableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), layout.CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), layout.CELL_PADDING),
            ]
        )
    )
    return rendered


def _signature_block(signature: Signature, styles: Styles) -> list[Flowable]:
    lines = [signature.authority.upper(), signature.title.upper()]
    block: list[Flowable] = [
        Paragraph(f"<b>{_text(line)}</b>", styles["center"]) for line in lines if line
    ]
    if signature.note:
        block.append(Paragraph(f"<i>{_text(signature.note)}</i>", styles["center"]))
    block += [
        Spacer(1, layout.SIGNATURE_SPACE),
        Paragraph(f"<b>{_text(signature.name)}</b>", styles["center"]),
    ]
    return block


def _recipients(recipients: Sequence[str], styles: Styles) -> list[Flowable]:
    if not recipients:
        return []
    lines = "<br/>".join(_text(line) for line in recipient_lines(recipients))
    return [
        Paragraph(f"<b><i>{RECIPIENTS_HEADING}</i></b>", styles["recipients_heading"]),
        Paragraph(lines, styles["recipients"]),
    ]


def _footer(document: AdministrativeDocument, styles: Styles) -> Flowable:
    """Nơi nhận on the left, the signature on the right; several signers side by side, two to a
    row, with nơi nhận under them."""
    half = layout.text_area_width() / 2
    recipients = _recipients(document.recipients, styles)
    blocks = [_signature_block(s, styles) for s in document.signatures]
    if len(blocks) <= 1:
        rows: list[list[Any]] = [[recipients, blocks[0] if blocks else []]]
    else:
        columns = layout.SIGNATURE_COLUMNS
        padded = blocks + [[]] * (-len(blocks) % columns)
        rows = [padded[i : i + columns] for i in range(0, len(padded), columns)]
        if recipients:
            rows.append([recipients, []])
    table = PdfTable(rows, colWidths=[half, half])
    table.setStyle(_plain())
    table.setStyle(PdfTableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), layout.SIGNATURE_GAP)]))
    if len(blocks) > 1:
        # Signers side by side keep a gutter between their blocks; nơi nhận stays flush left.
        last = (len(blocks) - 1) // layout.SIGNATURE_COLUMNS
        gutter = layout.SIGNATURE_GUTTER / 2
        table.setStyle(
            PdfTableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, last), gutter),
                    ("RIGHTPADDING", (0, 0), (-1, last), gutter),
                ]
            )
        )
    # A single signature stays with nơi nhận; a grid may run on, a row at a time.
    return KeepTogether([table]) if len(blocks) <= 1 else table


def _annex(document: AdministrativeDocument, annex: Annex, styles: Styles) -> list[Flowable]:
    width = layout.text_area_width(landscape=annex.landscape)
    return [
        NextPageTemplate("landscape" if annex.landscape else "later"),
        PageBreak(),
        Paragraph(f"<b>{_text(annex.title)}</b>", styles["kind"]),
        Paragraph(f"<i>{_text(annex_reference(document))}</i>", styles["center"]),
        Rule(layout.TITLE_RULE),
        Spacer(1, 4 * mm),
        *(Paragraph(_text(p), styles["body"]) for p in annex.paragraphs),
        _table(annex.table, styles, width),
    ]
