"""The embedded font for PDFs: Source Sans Pro, shipped as a wheel, covers Vietnamese fully.

Shipping the font as a dependency keeps PDFs identical on every machine, whatever fonts the
operating system has.
"""

from functools import cache
from pathlib import Path

import font_source_sans_pro
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "ThiduaSans"
_FILES = {
    FAMILY: "SourceSansPro-Regular.ttf",
    f"{FAMILY}-Bold": "SourceSansPro-Bold.ttf",
    f"{FAMILY}-Italic": "SourceSansPro-It.ttf",
    f"{FAMILY}-BoldItalic": "SourceSansPro-BoldIt.ttf",
}


@cache
def register_fonts() -> str:
    directory = Path(font_source_sans_pro.__file__).parent / "files"
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(directory / filename)))
    addMapping(FAMILY, 0, 0, FAMILY)
    addMapping(FAMILY, 1, 0, f"{FAMILY}-Bold")
    addMapping(FAMILY, 0, 1, f"{FAMILY}-Italic")
    addMapping(FAMILY, 1, 1, f"{FAMILY}-BoldItalic")
    return FAMILY
