"""Test support: documents read back as an office would see them. The text of a PDF and of a
DOCX in reading order, the page numbers, the drawn rules and the embedded fonts.

For tests only: it needs pypdf, a development dependency.
"""

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import docx
import pypdf
from docx.oxml.ns import qn


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def pdf_body_text(content: bytes, repeated: Sequence[Sequence[str]] = ()) -> str:
    """The text of every page without its page number, which must be the first line of every
    page but the first, and absent from the first; without the `repeated` table headers that
    open a page a table runs on to (the DOCX holds them once)."""
    texts = []
    for number, text in enumerate(pdf_pages(content), start=1):
        first, _, rest = text.strip().partition("\n")
        if number == 1:
            assert not first.strip().isdigit(), f"page 1 starts with a number: {first!r}"
            texts.append(normalise(text))
            continue
        assert first.strip() == str(number), f"page {number} starts with {first!r}"
        rest = normalise(rest)
        for headers in repeated:
            header = normalise(" ".join(headers))
            if rest.startswith(header + " "):
                rest = rest.removeprefix(header)
        texts.append(rest)
    return normalise(" ".join(texts))


def docx_body_text(content: bytes) -> str:
    """The body's paragraphs and table cells in document order, as the PDF lays them out."""
    body = docx.Document(io.BytesIO(content)).element.body
    return normalise(" ".join(_texts(body)))


def _texts(element: Any) -> list[str]:
    texts: list[str] = []
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            texts.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag in (qn("w:tbl"), qn("w:tr"), qn("w:tc")):
            texts += _texts(child)
    return texts


@dataclass(frozen=True)
class Line:
    """A straight line the PDF draws, in points from the page's bottom-left corner."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def length(self) -> float:
        return float(abs(self.x2 - self.x1))


_NUMBER = r"(-?[\d.]+)"
_LINE = re.compile(rf"{_NUMBER} {_NUMBER} m\s+{_NUMBER} {_NUMBER} l\s+S")
_TRANSLATE = re.compile(rf"1 0 0 1 {_NUMBER} {_NUMBER} cm")


def pdf_horizontal_lines(content: bytes, page: int = 0) -> list[Line]:
    """The horizontal lines a page strokes, on the page; a line drawn inside a translated
    flowable is placed by the translations before it (reportlab draws with `cm` and `m ... l S`
    only, restoring with Q)."""
    stream = pypdf.PdfReader(io.BytesIO(content)).pages[page].get_contents()
    data = "" if stream is None else stream.get_data().decode("latin-1")
    # Text objects go first: their strings may hold any byte, "q" and "Q" included.
    graphics = re.sub(r"\bBT\b.*?\bET\b", "", data, flags=re.DOTALL)
    lines = []
    offsets = [(0.0, 0.0)]
    for token in re.finditer(rf"{_TRANSLATE.pattern}|{_LINE.pattern}|(?m:^[qQ]$)", graphics):
        text = token.group(0)
        if text == "q":
            offsets.append(offsets[-1])
        elif text == "Q":
            offsets.pop()
        elif text.endswith("cm"):
            dx, dy = (float(v) for v in _TRANSLATE.fullmatch(text).groups())  # type: ignore[union-attr]
            offsets[-1] = (offsets[-1][0] + dx, offsets[-1][1] + dy)
        else:
            x1, y1, x2, y2 = (float(v) for v in _LINE.fullmatch(text).groups())  # type: ignore[union-attr]
            dx, dy = offsets[-1]
            if y1 == y2:
                lines.append(Line(x1 + dx, y1 + dy, x2 + dx, y2 + dy))
    return lines


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of the fonts a PDF embeds, without the subset prefix."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        resources: Any = page["/Resources"].get_object()
        for reference in resources.get("/Font", {}).values():
            font = reference.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add(str(font["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def docx_document(content: bytes) -> Any:
    """The document opened with python-docx, for checks on its properties (borders, sections)."""
    return docx.Document(io.BytesIO(content))
