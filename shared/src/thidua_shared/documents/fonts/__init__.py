"""The typeface of the documents: Liberation Serif, shipped in this package (SIL OFL 1.1, see
LICENSE.txt).

Decree 30/2020 asks for Times New Roman; Liberation Serif has the same metrics, so a PDF set in
it breaks lines where Times New Roman would, and it covers every Vietnamese letter. Shipping the
files keeps PDFs identical on every machine, whatever fonts the operating system has. The DOCX
names Times New Roman itself, which the offices' word processors have.
"""

import threading
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "LiberationSerif"
BOLD = f"{FAMILY}-Bold"
# The name the DOCX gives, and the name Liberation Serif stands in for.
OFFICE_FONT = "Times New Roman"
_DIRECTORY = Path(__file__).parent
_FILES = {
    FAMILY: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    f"{FAMILY}-Italic": "LiberationSerif-Italic.ttf",
    f"{FAMILY}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}


# ReportLab keeps fonts, their per-document subsets and its paragraph parser in module state and
# is not thread-safe; its maintainers advise one job at a time. Documents render in worker
# threads (off the event loop), so every use of ReportLab in a process holds this lock. Rendering
# is CPU-bound under the GIL anyway: serialising it costs no throughput.
REPORTLAB_LOCK = threading.RLock()


def register_fonts() -> str:
    with REPORTLAB_LOCK:
        return _register_once()


@cache
def _register_once() -> str:
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(_DIRECTORY / filename)))
    addMapping(FAMILY, 0, 0, FAMILY)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, f"{FAMILY}-Italic")
    addMapping(FAMILY, 1, 1, f"{FAMILY}-BoldItalic")
    return FAMILY


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in points of one line of text; the same in Times New Roman, whose metrics
    Liberation Serif shares, so the DOCX can be measured with it too."""
    register_fonts()
    with REPORTLAB_LOCK:
        return float(pdfmetrics.stringWidth(text, BOLD if bold else FAMILY, size))
