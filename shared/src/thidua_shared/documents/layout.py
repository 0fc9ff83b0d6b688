"""The page both renderers lay out, in points: Decree 30/2020, Phụ lục I, on A4.

Sizes and widths are decided once here so the PDF and the DOCX break lines alike: Liberation
Serif, which the PDF embeds, has the metrics of Times New Roman, which the DOCX names.
"""

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from thidua_shared.documents.fonts import text_width
from thidua_shared.documents.model import Table, format_cell

PAGE_SIZE = A4
PAGE_WIDTH, PAGE_HEIGHT = A4
TOP, BOTTOM, LEFT, RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
# Where the page number's baseline sits, in the top margin.
NUMBER_FROM_TOP = 12 * mm


def text_area_width(*, landscape: bool = False) -> float:
    width: float = (PAGE_HEIGHT if landscape else PAGE_WIDTH) - LEFT - RIGHT
    return width


BODY = 13
HEADER = 12  # the agency names and the Quốc hiệu
KIND = 14
RECIPIENTS = 11
RECIPIENTS_HEADING = 12
CELL = 11
PAGE_NUMBER = 13
FIRST_LINE_INDENT = 10 * mm
PARAGRAPH_AFTER = 4
SIGNATURE_SPACE = 22 * mm
SIGNATURE_GAP = 12  # under a signer's name, before the next row of signers

# The header's two blocks reach 10 mm into the left margin, as in the offices' templates, so
# "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" and the Quốc hiệu each hold on one line at 12 pt.
HEADER_OUTDENT = 10 * mm
HEADER_LEFT = 78 * mm
HEADER_RIGHT = text_area_width() + HEADER_OUTDENT - HEADER_LEFT
# A rule under the agency name is a third of it; under a title, a third of the text area.
AGENCY_RULE_SHARE = 1 / 3
TITLE_RULE = text_area_width() / 4

CELL_PADDING = 4  # each side of a table cell's text
CELL_PADDING_VERTICAL = 3  # above and below it, reportlab's default
SIGNATURE_COLUMNS = 2
# Between two signers' blocks side by side (the PDF's cell padding, half on each side).
SIGNATURE_GUTTER = 6 * mm


def rule_length(text: str, size: float, *, share: float = 1.0, room: float) -> float:
    """A rule under a line of bold text: its share of the line's width, within the room."""
    return min(text_width(text, size, bold=True), room) * share


def column_widths(table: Table, width: float) -> list[float]:
    """Widths that keep every word of a header (bold) and of a value on one line, then share the
    remaining room so that the columns with the shortest values hold them unwrapped (under a
    header on at most two lines), and the others wrap at a common width.

    Reportlab splits a word that does not fit its column; Word wraps it inside too. Only when
    the longest words alone overflow the width are the columns scaled down (a landscape annex is
    then the remedy).
    """
    floors: list[float] = []
    natural: list[float] = []
    for index, header in enumerate(table.headers):
        values = [format_cell(row[index]) for row in table.rows]
        words = [(w, True) for w in header.split()] + [
            (w, False) for v in values for w in v.split()
        ]
        floors.append(max((text_width(w, CELL, bold=b) for w, b in words), default=0))
        # A header may take two lines, so that the values get the room.
        lines = [text_width(header, CELL, bold=True) / 2] + [text_width(v, CELL) for v in values]
        natural.append(max([floors[-1], *lines]))
    padding = 2 * CELL_PADDING
    floors = [f + padding for f in floors]
    natural = [n + padding for n in natural]
    if sum(floors) >= width:
        return _scaled(floors, width)
    if sum(natural) <= width:
        return _scaled(natural, width)
    return _filled(floors, natural, width)


def _filled(floors: Sequence[float], natural: Sequence[float], width: float) -> list[float]:
    """Raises a common level until the columns fill the width: each column is as wide as the
    level, but no narrower than its floor and no wider than its unwrapped text."""
    low, high = 0.0, max(natural)
    for _ in range(60):
        level = (low + high) / 2
        used = sum(min(n, max(f, level)) for f, n in zip(floors, natural, strict=True))
        low, high = (level, high) if used < width else (low, level)
    widths = [min(n, max(f, low)) for f, n in zip(floors, natural, strict=True)]
    return _scaled(widths, width)


def _scaled(widths: Sequence[float], width: float) -> list[float]:
    total = sum(widths)
    return [width * w / total for w in widths]
