import csv
import io
from datetime import datetime

import openpyxl
import pytest

from thidua_shared.documents import (
    XLSX_MEDIA_TYPE,
    FileKind,
    RowLimit,
    cell_text,
    file_kind,
    fold,
    header_fields,
    read_rows,
    write_template,
)
from thidua_shared.documents.tabular import _xlsx_rows
from thidua_shared.platform.errors import Unprocessable, UnsupportedMediaType

LIMIT = RowLimit(10)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_small_and_streamed_workbooks_read_the_same_cells() -> None:
    # Small workbooks are read whole, big ones streamed (tabular.WHOLE_SHEET_BYTES); a service
    # must not see the difference: blanks, leading empty rows and columns, numbers, dates.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B2"] = "Mã cán bộ"
    sheet["C2"] = "Ngày"
    sheet["B3"] = "CB001"
    sheet["C3"] = datetime(2018, 7, 5)
    sheet["C3"].number_format = "dd/mm/yyyy"
    sheet["D3"] = 2018
    sheet["E3"] = 2.5
    sheet["F3"] = True
    sheet["B4"] = "Nguyễn Thị Hoà"
    out = io.BytesIO()
    book.save(out)
    body = out.getvalue()

    whole = _xlsx_rows(body, LIMIT, 7)
    streamed = _xlsx_rows(body, LIMIT, 7, whole_sheet_bytes=0)

    assert [list(r) for r in whole] == [list(r) for r in streamed]
    assert list(whole[2]) == [None, "CB001", datetime(2018, 7, 5), 2018, 2.5, True, None]
    assert [len(r) for r in whole] == [7, 7, 7, 7]


def test_a_csv_with_a_byte_order_mark_and_semicolons_is_read() -> None:
    body = "\ufeffMã cán bộ;Họ và tên\r\nCB001;Nguyễn Thị Hoà, Phó phòng\r\n".encode()

    assert file_kind("text/csv; charset=utf-8", body) == "csv"
    rows = read_rows(body, "csv", limit=LIMIT, max_columns=8)

    assert rows == [["Mã cán bộ", "Họ và tên"], ["CB001", "Nguyễn Thị Hoà, Phó phòng"]]


def test_a_workbooks_first_sheet_is_read_whatever_the_browser_called_it() -> None:
    body = _xlsx([["Mã", "Năm"], ["CB001", 2018]])

    assert file_kind("application/octet-stream", body) == "xlsx"
    # The sheet is read as wide as max_columns, blank cells as None.
    rows = read_rows(body, "xlsx", limit=LIMIT, max_columns=3)

    assert [list(r) for r in rows] == [["Mã", "Năm", None], ["CB001", 2018, None]]


def test_too_many_rows_are_refused_with_the_services_message() -> None:
    body = "\n".join(str(n) for n in range(11)).encode()

    assert len(read_rows(body[:-3], "csv", limit=LIMIT, max_columns=8)) == 10
    with pytest.raises(Unprocessable) as default:
        read_rows(body, "csv", limit=LIMIT, max_columns=8)
    members = RowLimit(10, message="At most 5 members.", field="members")
    with pytest.raises(Unprocessable) as own:
        read_rows(_xlsx([[n] for n in range(11)]), "xlsx", limit=members, max_columns=8)

    assert (default.value.detail, default.value.field) == (
        "The file has more than 10 rows.",
        "body",
    )
    assert (own.value.detail, own.value.field) == ("At most 5 members.", "members")


def test_a_csv_that_is_not_utf8_is_refused() -> None:
    body = "Mã\nCB001".encode("latin-1")

    with pytest.raises(Unprocessable) as refused:
        read_rows(body, "csv", limit=LIMIT, max_columns=8)

    assert "not UTF-8" in refused.value.detail
    assert refused.value.field == "body"


def test_a_wrong_content_type_is_unsupported() -> None:
    with pytest.raises(UnsupportedMediaType) as json_body:
        file_kind("application/json", b"{}")
    with pytest.raises(UnsupportedMediaType) as no_type:
        file_kind(None, b"a,b")

    assert json_body.value.field == "Content-Type"
    assert no_type.value.detail.endswith("not no content type.")


def test_a_body_claimed_xlsx_must_be_a_workbook() -> None:
    with pytest.raises(Unprocessable) as not_zip:
        file_kind(XLSX_MEDIA_TYPE, b"a,b\n1,2")
    broken_body = b"PK\x03\x04broken"
    with pytest.raises(Unprocessable) as broken:
        read_rows(broken_body, file_kind(XLSX_MEDIA_TYPE, broken_body), limit=LIMIT, max_columns=8)

    assert not_zip.value.detail == "The body is not an XLSX workbook."
    assert broken.value.detail.startswith("The XLSX workbook cannot be read")


def test_cells_and_headers_compare_as_people_typed_them() -> None:
    decomposed = "Hoa\u0300"  # "Hoà" typed with a combining grave accent

    assert cell_text(f"  {decomposed}\u00a0 Thị ") == "Hoà Thị"
    assert cell_text(2018.0) == "2018"
    assert fold("MÃ CÁN BỘ") == fold("mã cán bộ")
    assert header_fields([("staff_code", "Mã cán bộ")]) == {
        "staff_code": "staff_code",
        "mã cán bộ": "staff_code",
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_template_reads_back_as_written(kind: FileKind) -> None:
    labels = ["Mã cán bộ", "Giới tính"]
    content, media_type = write_template(
        kind,
        title="Danh sách",
        labels=labels,
        rows=[["007", "Nữ"]],
        choices={1: ["Nam", "Nữ"]},
        text_columns=[0],
    )

    assert file_kind(media_type, content) == kind
    rows = read_rows(content, file_kind(media_type, content), limit=LIMIT, max_columns=2)
    assert [list(r) for r in rows] == [labels, ["007", "Nữ"]]
    if kind == "csv":
        assert content.startswith(b"\xef\xbb\xbf")
        assert list(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == [rows[0], rows[1]]
