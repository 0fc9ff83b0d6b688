import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date

import docx
import openpyxl

from thidua_shared.documents import (
    AdministrativeDocument,
    Section,
    Sheet,
    Signature,
    Table,
    format_vnd,
    render_docx,
    render_pdf,
    render_xlsx,
    vietnamese_date,
)
from thidua_shared.testing import pdf_text

PLAN = AdministrativeDocument(
    parent_agency="UBND tỉnh Đồng Nai",
    issuing_agency="Sở Thông tin và Truyền thông",
    document_number="60/KH-STTTT",
    place="Đồng Nai",
    issued_on=date(2018, 1, 9),
    kind="KẾ HOẠCH",
    title="Phát động phong trào thi đua năm 2018",
    preamble=["Căn cứ Chỉ thị số 82/CT-BTTTT ngày 22/12/2017 của Bộ Thông tin và Truyền thông;"],
    sections=[
        Section(
            heading="I. MỤC TIÊU",
            paragraphs=["Nâng cao chất lượng thông tin cơ sở; đẩy mạnh thông tin đối ngoại."],
        ),
        Section(
            heading="II. CÁC ĐỢT THI ĐUA",
            table=Table(
                headers=["Đợt", "Thời gian", "Chỉ tiêu"],
                rows=[[1, "01/01/2018 – 30/06/2018", 100.0], [2, "01/07/2018 – 31/12/2018", None]],
            ),
        ),
    ],
    signatures=[Signature("KT. Giám đốc", "Phó Giám đốc", "Nguyễn Thị Hương")],
    recipients=["Bộ Thông tin và Truyền thông", "Ban Thi đua – Khen thưởng tỉnh", "Lưu: VT, VP"],
)


def test_pdf_carries_the_layout_and_vietnamese_text() -> None:
    text = pdf_text(render_pdf(PLAN))

    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Số: 60/KH-STTTT",
        "Đồng Nai, ngày 09 tháng 01 năm 2018",
        "KẾ HOẠCH",
        "Phát động phong trào thi đua năm 2018",
        "Căn cứ Chỉ thị số 82/CT-BTTTT",
        "đẩy mạnh thông tin đối ngoại",
        "01/07/2018 – 31/12/2018",
        "Nơi nhận:",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Thị Hương",
    ):
        assert expected in text, expected


def test_many_signatures_render_as_a_grid() -> None:
    covenant = AdministrativeDocument(
        issuing_agency="Cụm thi đua số 1",
        document_number="01/GƯ-CTĐ1",
        place="Đồng Nai",
        issued_on=date(2018, 2, 1),
        kind="GIAO ƯỚC THI ĐUA",
        title="Năm 2018",
        signatures=[Signature("", f"Trưởng đơn vị {n}", f"Trần Văn Đức {n}") for n in range(5)],
    )

    text = pdf_text(render_pdf(covenant))

    assert all(f"Trần Văn Đức {n}" in text for n in range(5))


def test_docx_keeps_every_part_in_order() -> None:
    word = docx.Document(io.BytesIO(render_docx(PLAN)))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    body = "\n".join([p.text for p in word.paragraphs] + cells)

    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 60/KH-STTTT",
        "Đồng Nai, ngày 09 tháng 01 năm 2018",
        "Phát động phong trào thi đua năm 2018",
        "01/07/2018 – 31/12/2018",
        "Nguyễn Thị Hương",
        "- Ban Thi đua – Khen thưởng tỉnh;",
    ):
        assert expected in body, expected
    assert word.styles["Normal"].font.name == "Times New Roman"


def test_xlsx_reads_back_with_dates_and_vietnamese_headers() -> None:
    content = render_xlsx(
        [
            Sheet(
                title="Tổng kết: đợt 2",
                heading="Báo cáo tổng kết năm 2018",
                headers=["Đơn vị", "Ngày", "Tỷ lệ (%)"],
                rows=[["Văn phòng Sở", date(2018, 12, 31), 98.5]],
            )
        ]
    )

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]

    assert sheet.title == "Tổng kết  đợt 2"
    assert sheet["A1"].value == "Báo cáo tổng kết năm 2018"
    assert [c.value for c in sheet[2]] == ["Đơn vị", "Ngày", "Tỷ lệ (%)"]
    assert sheet["A3"].value == "Văn phòng Sở"
    assert sheet["B3"].value.date() == date(2018, 12, 31)


def test_dates_and_amounts_read_as_offices_write_them() -> None:
    assert vietnamese_date("Đồng Nai", date(2018, 1, 9)) == "Đồng Nai, ngày 09 tháng 01 năm 2018"
    assert format_vnd(1_390_000) == "1.390.000"


def test_documents_rendered_in_parallel_threads_each_keep_their_own_text() -> None:
    """Services render in worker threads; ReportLab's fonts and subsets are process-wide, so a
    document rendered beside others must come out whole and with its own letters."""
    words = ["Ảnh hưởng", "Ưu tiên", "Ỷ lại", "Quỹ đạo", "Đổi mới", "Ứng dụng", "Ấn định", "Ỡm ờ"]
    documents = [replace(PLAN, title=f"{word} {n}") for n, word in enumerate(words * 3)]
    with ThreadPoolExecutor(len(documents)) as pool:
        rendered = list(pool.map(render_pdf, documents))
    for document, content in zip(documents, rendered, strict=True):
        assert document.title in pdf_text(content)
