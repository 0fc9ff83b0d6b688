"""The layout of Decree 30/2020 read back from both formats: the same text in the PDF and the
DOCX, page numbers from page 2, drawn rules, nơi nhận, annexes, signers side by side, tables
whose headers keep their words whole, and the embedded serif with every Vietnamese letter."""

import io
from datetime import date

import docx
import pypdf
from docx.oxml.ns import qn
from reportlab.pdfbase import pdfmetrics

from thidua_shared.document_readback import (
    docx_body_text,
    docx_document,
    pdf_body_text,
    pdf_fonts,
    pdf_horizontal_lines,
    pdf_pages,
)
from thidua_shared.documents import (
    AdministrativeDocument,
    Annex,
    Section,
    Signature,
    Table,
    render_docx,
    render_pdf,
)
from thidua_shared.documents.fonts import register_fonts, text_width
from thidua_shared.documents.layout import CELL, CELL_PADDING, column_widths, text_area_width
from thidua_shared.documents.model import NATIONAL_NAME, Cell

VIETNAMESE = "Đặng Quang Bình, Nguyễn Thị Hoà, Trảng Bom, ữ ỹ ậ"
LIST_HEADERS = ["STT", "Họ và tên", "Đơn vị", "Danh hiệu thi đua", "Hệ số", "Tiền thưởng (đồng)"]
ROWS: list[list[Cell]] = [
    [
        n,
        f"Nguyễn Thị Hoà {n}",
        "Phòng Văn hóa và Thông tin huyện Trảng Bom",
        "Lao động tiên tiến",
        "0,3",
        "417.000",
    ]
    for n in range(1, 70)
]
DECISION = AdministrativeDocument(
    parent_agency="UBND tỉnh Đồng Nai",
    issuing_agency="Sở Thông tin và Truyền thông",
    document_number="15/QĐ-STTTT",
    place="Đồng Nai",
    issued_on=date(2019, 1, 24),
    kind="QUYẾT ĐỊNH",
    title="Về việc tặng danh hiệu thi đua năm 2018",
    authority="Giám đốc Sở Thông tin và Truyền thông",
    preamble=[f"Căn cứ Luật Thi đua, Khen thưởng ngày 26/11/2003; {VIETNAMESE};"],
    proposals=["Xét đề nghị của Chánh Văn phòng Sở tại Tờ trình số 05/TTr-VP ngày 20/01/2019."],
    sections=[
        Section(heading="QUYẾT ĐỊNH:", centred=True, paragraphs=["Điều 1. Tặng danh hiệu …"]),
        Section(paragraphs=["Điều 2. Quyết định này có hiệu lực kể từ ngày ký."]),
    ],
    signatures=[Signature("KT. Giám đốc", "Phó Giám đốc", "Đặng Quang Bình")],
    recipients=["Như Điều 2;", "Ban TĐ-KT tỉnh", "Lưu: VT, VP;"],
    annexes=[
        Annex(
            title="DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
            table=Table(LIST_HEADERS, ROWS),
            landscape=True,
        )
    ],
)


def test_the_pdf_and_the_docx_say_the_same_words_in_the_same_order() -> None:
    pdf = pdf_body_text(render_pdf(DECISION), repeated=[LIST_HEADERS])

    assert pdf == docx_body_text(render_docx(DECISION))
    for expected in (
        "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG Căn cứ Luật",
        "ngày 20/01/2019. QUYẾT ĐỊNH: Điều 1.",
        "Nơi nhận: - Như Điều 2; - Ban TĐ-KT tỉnh; - Lưu: VT, VP. KT. GIÁM ĐỐC",
        "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG (Kèm theo Quyết định số 15/QĐ-STTTT ngày "
        "24/01/2019 của Sở Thông tin và Truyền thông)",
        VIETNAMESE,
    ):
        assert expected in pdf, expected


def test_pages_are_numbered_from_the_second_in_the_top_margin() -> None:
    content = render_pdf(DECISION)
    pages = pypdf.PdfReader(io.BytesIO(content)).pages

    # pdf_body_text checks each page opens with its number, page 1 with none.
    pdf_body_text(content, repeated=[LIST_HEADERS])
    assert len(pages) >= 3
    # The annex turns landscape; the body stays portrait.
    assert pages[0].mediabox.width < pages[0].mediabox.height
    assert pages[1].mediabox.width > pages[1].mediabox.height
    word = docx_document(render_docx(DECISION))
    first, annex = word.sections
    assert first.different_first_page_header_footer
    assert not annex.different_first_page_header_footer
    assert annex.header.is_linked_to_previous
    fields = first.header._element.findall(f".//{qn('w:fldSimple')}")
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]


def test_rules_are_drawn_under_the_agency_the_motto_and_the_title() -> None:
    lines = pdf_horizontal_lines(render_pdf(DECISION))
    motto = text_width("Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    agency = text_width("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", 12, bold=True)

    assert len(lines) == 3
    agency_rule, motto_rule, title_rule = sorted(lines, key=lambda line: (-line.y1, line.x1))
    assert abs(motto_rule.length - motto) < 1
    assert agency / 4 < agency_rule.length < agency / 2
    assert title_rule.y1 < min(agency_rule.y1, motto_rule.y1)
    word = docx.Document(io.BytesIO(render_docx(DECISION)))
    borders = word.element.body.findall(f".//{qn('w:pBdr')}/{qn('w:bottom')}")
    # The annex's title has its rule too.
    assert len(borders) == 4
    assert all(b.get(qn("w:val")) == "single" for b in borders)
    assert not word.element.body.findall(f".//{qn('w:u')}")


def test_recipients_end_in_a_full_stop_whatever_the_caller_wrote() -> None:
    word = docx.Document(io.BytesIO(render_docx(DECISION)))
    lines = [p.text for t in word.tables for c in t._cells for p in c.paragraphs]
    heading = next(
        p for t in word.tables for c in t._cells for p in c.paragraphs if p.text == "Nơi nhận:"
    )

    assert lines[lines.index("Nơi nhận:") + 1 :][:3] == [
        "- Như Điều 2;",
        "- Ban TĐ-KT tỉnh;",
        "- Lưu: VT, VP.",
    ]
    assert heading.runs[0].bold
    assert heading.runs[0].italic
    entry = next(
        p
        for t in word.tables
        for c in t._cells
        for p in c.paragraphs
        if p.text == "- Ban TĐ-KT tỉnh;"
    )
    assert entry.runs[0].font.size.pt == 11


def test_several_signers_sit_side_by_side_and_wrap_to_new_rows() -> None:
    signers = [
        Signature(f"Đại diện Phòng số {n}", "Trưởng phòng", f"Trần Văn Đức {n}") for n in range(5)
    ]
    covenant = AdministrativeDocument(
        issuing_agency="Cụm thi đua số 1",
        document_number="01/GƯTĐ",
        place="Đồng Nai",
        issued_on=date(2018, 2, 1),
        kind="GIAO ƯỚC THI ĐUA",
        title="Năm 2018",
        signatures=signers,
        recipients=["Lưu: VT"],
    )

    word = docx.Document(io.BytesIO(render_docx(covenant)))
    grid = word.tables[-1]
    pdf = pdf_body_text(render_pdf(covenant))

    assert pdf == docx_body_text(render_docx(covenant))
    assert [len(row.cells) for row in grid.rows] == [2, 2, 2, 2]
    assert "Trần Văn Đức 0" in grid.cell(0, 0).text
    assert "Trần Văn Đức 1" in grid.cell(0, 1).text
    assert "Trần Văn Đức 4" in grid.cell(2, 0).text
    assert grid.cell(3, 0).text.startswith("Nơi nhận:")
    assert "TRƯỞNG PHÒNG Trần Văn Đức 0 ĐẠI DIỆN PHÒNG SỐ 1" in pdf


def test_table_headers_never_break_inside_a_word() -> None:
    table = Table(
        ["STT", "Họ và tên", "Tán thành", "Không tán thành", "Ngưỡng", "Kết quả"],
        [[1, "Nguyễn Văn An", 5, 0, 4, "Đề nghị"]],
    )

    widths = column_widths(table, text_area_width())

    for header, width in zip(table.headers, widths, strict=True):
        longest = max(text_width(word, CELL, bold=True) for word in header.split())
        assert longest + 2 * CELL_PADDING <= width + 0.01, header
    assert abs(sum(widths) - text_area_width()) < 0.01


def test_the_embedded_font_is_liberation_serif_with_vietnamese_glyphs() -> None:
    content = render_pdf(DECISION)
    face = pypdf.PdfReader(io.BytesIO(content)).pages[0]

    assert pdf_fonts(content) >= {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
    }
    assert VIETNAMESE in " ".join(pdf_pages(content)[0].split())
    assert face.mediabox.width < face.mediabox.height
    # Every letter has a glyph of its own in each style: none falls back to a missing box.
    register_fonts()
    for style in ("LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"):
        glyphs = pdfmetrics.getFont(style).face.charToGlyph
        missing = {
            c for c in VIETNAMESE + NATIONAL_NAME if not c.isspace() and ord(c) not in glyphs
        }
        assert not missing, (style, missing)
    docx_font = docx.Document(io.BytesIO(render_docx(DECISION))).styles["Normal"].font
    assert docx_font.name == "Times New Roman"
