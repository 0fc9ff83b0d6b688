"""Documents the agency hands out: plans, covenants, decisions (PDF, DOCX) and lists (XLSX).

Presentation only: each service decides what goes into a document; this kit lays it out the way
Vietnamese administrative documents are laid out.
"""

from thidua_shared.documents.model import (
    DOCX_MEDIA_TYPE,
    PDF_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    AdministrativeDocument,
    Section,
    Signature,
    Table,
    format_vnd,
    vietnamese_date,
)
from thidua_shared.documents.pdf import render_pdf
from thidua_shared.documents.spreadsheet import Sheet, render_xlsx
from thidua_shared.documents.word import render_docx

__all__ = [
    "DOCX_MEDIA_TYPE",
    "PDF_MEDIA_TYPE",
    "XLSX_MEDIA_TYPE",
    "AdministrativeDocument",
    "Section",
    "Sheet",
    "Signature",
    "Table",
    "format_vnd",
    "render_docx",
    "render_pdf",
    "render_xlsx",
    "vietnamese_date",
]
