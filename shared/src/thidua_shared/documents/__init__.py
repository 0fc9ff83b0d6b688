"""Documents the agency hands out: plans, covenants, decisions (PDF, DOCX) and lists (XLSX);
and the lists it takes in (CSV, XLSX uploads), read into rows in `tabular`.

Presentation only: each service decides what goes into a document; this kit lays it out the way
Vietnamese administrative documents are laid out.
"""

from thidua_shared.documents.model import (
    DOCX_MEDIA_TYPE,
    PDF_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    AdministrativeDocument,
    Annex,
    Section,
    Signature,
    Table,
    format_vnd,
    vietnamese_date,
)
from thidua_shared.documents.pdf import render_pdf
from thidua_shared.documents.spreadsheet import Sheet, render_xlsx
from thidua_shared.documents.tabular import (
    CSV_MEDIA_TYPE,
    FileKind,
    RowError,
    RowLimit,
    RowsRejected,
    cell_text,
    column_letter,
    file_kind,
    file_request_body,
    fold,
    header_fields,
    read_rows,
    row_error,
    write_template,
)
from thidua_shared.documents.word import render_docx

__all__ = [
    "CSV_MEDIA_TYPE",
    "DOCX_MEDIA_TYPE",
    "PDF_MEDIA_TYPE",
    "XLSX_MEDIA_TYPE",
    "AdministrativeDocument",
    "Annex",
    "FileKind",
    "RowError",
    "RowLimit",
    "RowsRejected",
    "Section",
    "Sheet",
    "Signature",
    "Table",
    "cell_text",
    "column_letter",
    "file_kind",
    "file_request_body",
    "fold",
    "format_vnd",
    "header_fields",
    "read_rows",
    "render_docx",
    "render_pdf",
    "render_xlsx",
    "row_error",
    "vietnamese_date",
    "write_template",
]
