"""PNG previews of the first page of every document the services issue, from the 2018 seed, for
the docs (`python -m thidua_local.previews [folder]`, by default docs/documents/).

The documents are built from the seed in memory, with no database, and rendered to PDF by the
services' own code; pypdfium2 turns the first page into an image, so no office suite is needed.
"""

import sys
from collections.abc import Callable
from pathlib import Path

import pypdfium2

from thidua_local.preview_documents import DOCUMENTS
from thidua_shared.documents import AdministrativeDocument, render_pdf

# About 100 dpi: the layout reads clearly and the images stay small.
SCALE = 100 / 72
DEFAULT_FOLDER = Path("docs/documents")


def first_page_png(document: AdministrativeDocument, path: Path) -> None:
    pdf = pypdfium2.PdfDocument(render_pdf(document))
    try:
        image = pdf[0].render(scale=SCALE, grayscale=True).to_pil()
        image.save(path, optimize=True)
    finally:
        pdf.close()


def write_previews(
    folder: Path, documents: dict[str, Callable[[], AdministrativeDocument]]
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in documents.items():
        path = folder / f"{name}.png"
        first_page_png(build(), path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    folder = Path(arguments[0]) if arguments else DEFAULT_FOLDER
    for path in write_previews(folder, DOCUMENTS):
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
