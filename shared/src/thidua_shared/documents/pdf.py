"""PDF rendering of administrative documents (A4, Vietnamese administrative layout)."""

import io
import unicodedata
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus import (
    Table as PdfTable,
)
from reportlab.platypus import (
    TableStyle as PdfTableStyle,
)

from thidua_shared.documents.fonts import register_fonts
from thidua_shared.documents.model import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    AdministrativeDocument,
    Signature,
    Table,
    format_cell,
    vietnamese_date,
)

_WIDTH = A4[0] - 50 * mm


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=16, alignment=TA_JUSTIFY)
    return {
        "body": base,
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "left": ParagraphStyle("left", parent=base, alignment=TA_LEFT),
        "small": ParagraphStyle("small", parent=base, fontSize=10, leading=13, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=12, alignment=TA_LEFT),
        "kind": ParagraphStyle("kind", parent=base, fontSize=14, leading=20, alignment=TA_CENTER),
    }


def _text(value: str) -> str:
    return escape(unicodedata.normalize("NFC", value))


def render_pdf(document: AdministrativeDocument) -> bytes:
    styles = _styles(register_fonts())
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{document.kind} {document.document_number}",
        author=document.issuing_agency,
    )
    story: list[Flowable] = [_header(document, styles), Spacer(1, 8 * mm)]
    story.append(Paragraph(f"<b>{_text(document.kind)}</b>", styles["kind"]))
    story.append(Paragraph(f"<b>{_text(document.title)}</b>", styles["center"]))
    story.append(Spacer(1, 6 * mm))
    for line in document.preamble:
        story.append(Paragraph(f"<i>{_text(line)}</i>", styles["body"]))
    for section in document.sections:
        if section.heading:
            story.append(Spacer(1, 2 * mm))
            story.append(Paragraph(f"<b>{_text(section.heading)}</b>", styles["body"]))
        story.extend(Paragraph(_text(p), styles["body"]) for p in section.paragraphs)
        if section.table is not None:
            story.append(Spacer(1, 2 * mm))
            story.append(_table(section.table, styles))
    story.append(Spacer(1, 8 * mm))
    story.append(KeepTogether([_footer(document, styles)]))
    template.build(story)
    return buffer.getvalue()


def _header(document: AdministrativeDocument, styles: dict[str, ParagraphStyle]) -> PdfTable:
    agency_lines = []
    if document.parent_agency:
        agency_lines.append(_text(document.parent_agency.upper()))
    agency_lines.append(f"<b>{_text(document.issuing_agency.upper())}</b>")
    left = [
        Paragraph("<br/>".join(agency_lines), styles["center"]),
        Paragraph(f"Số: {_text(document.document_number)}", styles["center"]),
    ]
    right = [
        Paragraph(f"<b>{NATIONAL_NAME}</b>", styles["center"]),
        Paragraph(f"<b><u>{NATIONAL_MOTTO}</u></b>", styles["center"]),
        Paragraph(
            f"<i>{_text(vietnamese_date(document.place, document.issued_on))}</i>",
            styles["center"],
        ),
    ]
    table = PdfTable([[left, right]], colWidths=[_WIDTH * 0.45, _WIDTH * 0.55])
    table.setStyle(PdfTableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _table(table: Table, styles: dict[str, ParagraphStyle]) -> PdfTable:
    cell = styles["cell"]
    rows = [[Paragraph(f"<b>{_text(h)}</b>", cell) for h in table.headers]]
    rows += [[Paragraph(_text(format_cell(v)), cell) for v in row] for row in table.rows]
    rendered = PdfTable(rows, repeatRows=1, colWidths=_column_widths(table))
    rendered.setStyle(
        PdfTableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    return rendered


def _column_widths(table: Table) -> list[float]:
    """Wide columns for long text, narrow ones for numbers: a header counts by its longest word,
    since headers wrap."""
    weights = []
    for index, header in enumerate(table.headers):
        longest_word = max((len(word) for word in header.split()), default=1)
        longest_value = max((len(format_cell(row[index])) for row in table.rows), default=1)
        # The constant stands for the cell's padding, which narrow columns feel most.
        weights.append(min(24, max(longest_word, longest_value)) + 5)
    total = sum(weights)
    return [_WIDTH * weight / total for weight in weights]


def _signature_block(signature: Signature, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    lines = [f"<b>{_text(signature.authority.upper())}</b>"] if signature.authority else []
    lines.append(f"<b>{_text(signature.title.upper())}</b>")
    block: list[Flowable] = [Paragraph("<br/>".join(lines), styles["center"])]
    if signature.note:
        block.append(Paragraph(f"<i>{_text(signature.note)}</i>", styles["center"]))
    block += [Spacer(1, 18 * mm), Paragraph(f"<b>{_text(signature.name)}</b>", styles["center"])]
    return block


def _recipients(recipients: Sequence[str], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if not recipients:
        return []
    lines = ["<b><i>Nơi nhận:</i></b>"] + [f"- {_text(r)};" for r in recipients]
    return [Paragraph("<br/>".join(lines), styles["small"])]


def _footer(document: AdministrativeDocument, styles: dict[str, ParagraphStyle]) -> PdfTable:
    signatures = list(document.signatures)
    if len(signatures) <= 1:
        right = _signature_block(signatures[0], styles) if signatures else []
        table = PdfTable(
            [[_recipients(document.recipients, styles), right]],
            colWidths=[_WIDTH * 0.5, _WIDTH * 0.5],
        )
    else:
        blocks = [_signature_block(s, styles) for s in signatures]
        if len(blocks) % 2:
            blocks.append([])
        rows = [[blocks[i], blocks[i + 1]] for i in range(0, len(blocks), 2)]
        rows.append([_recipients(document.recipients, styles), []])
        table = PdfTable(rows, colWidths=[_WIDTH * 0.5, _WIDTH * 0.5])
    table.setStyle(PdfTableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
