"""Hostile uploads: a decompression bomb, unsafe XML, a broken workbook and control characters
are refused as problems (413/422) before they cost time or memory; exports never carry a live
formula."""

import csv
import io
import time

import openpyxl
import psutil
import pytest

from thidua_shared.documents import (
    FileKind,
    RowLimit,
    Sheet,
    read_rows,
    render_xlsx,
    write_template,
)
from thidua_shared.documents.cell_safety import csv_text_read, csv_value
from thidua_shared.documents.workbook_guard import WorkbookLimits, check_workbook
from thidua_shared.platform.errors import PayloadTooLarge, ProblemError, Unprocessable
from thidua_shared.testing_workbooks import (
    bomb_workbook,
    with_part,
    with_shared_strings,
    with_understated_size,
    workbook,
)

LIMIT = RowLimit(100)
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def test_a_300_mb_bomb_is_refused_in_under_a_second_without_growing_memory() -> None:
    body = bomb_workbook()
    assert len(body) < 400 * 1024
    process = psutil.Process()
    rss_before = process.memory_info().rss
    started = time.perf_counter()

    with pytest.raises(ProblemError) as refused:
        read_rows(body, "xlsx", limit=LIMIT, max_columns=8)

    elapsed = time.perf_counter() - started
    growth = process.memory_info().rss - rss_before
    assert refused.value.status in (413, 422)
    assert refused.value.field == "body"
    assert elapsed < 1.0
    assert growth < 50 * 1024 * 1024


def test_a_part_that_inflates_past_its_declared_size_is_refused_before_it_is_read() -> None:
    # 100 MB of sheet behind directory records that say 900 bytes: the guard's checks pass, so
    # the reader itself must stop at the declared size.
    row = b'<row><c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + row * 100_000 + b"</sheetData></worksheet>"
    )
    body = with_understated_size(workbook([["x"]]), "xl/worksheets/sheet1.xml", sheet, 900)
    process = psutil.Process()
    rss_before = process.memory_info().rss
    started = time.perf_counter()

    with pytest.raises(Unprocessable) as refused:
        read_rows(body, "xlsx", limit=LIMIT, max_columns=8)

    assert refused.value.field == "body"
    assert time.perf_counter() - started < 1.0
    assert process.memory_info().rss - rss_before < 50 * 1024 * 1024


def test_an_archive_past_the_uncompressed_total_or_the_part_count_is_refused() -> None:
    body = workbook([["Mã"], ["CB001"]])
    check_workbook(body)

    with pytest.raises(PayloadTooLarge):
        check_workbook(body, WorkbookLimits(uncompressed_bytes=1024))
    with pytest.raises(Unprocessable, match="parts"):
        check_workbook(body, WorkbookLimits(parts=3))


def test_a_zip_without_its_directory_is_refused() -> None:
    body = workbook([["Mã"]])
    with pytest.raises(Unprocessable):
        read_rows(body[: len(body) // 2], "xlsx", limit=LIMIT, max_columns=8)


def test_a_workbook_whose_workbook_part_is_not_xml_is_refused() -> None:
    body = with_part(workbook([["Mã"]]), "xl/workbook.xml", b"this is not XML <<<")

    with pytest.raises(Unprocessable) as refused:
        read_rows(body, "xlsx", limit=LIMIT, max_columns=8)

    assert refused.value.status == 422


def test_entities_in_a_workbooks_xml_are_never_expanded() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>&c;</t></si></sst>"
    )
    with pytest.raises(Unprocessable):
        read_rows(with_shared_strings(laughs), "xlsx", limit=LIMIT, max_columns=8)


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x85", "\x9f"])
def test_a_cell_with_a_control_character_is_refused_naming_its_row_and_column(
    character: str,
) -> None:
    bodies: list[tuple[bytes, FileKind]] = [
        (f"Mã,Họ và tên\r\nCB001,Nguyễn{character}Văn A\r\n".encode(), "csv")
    ]
    # openpyxl cannot write C0 controls into a workbook; the C1 ones it can.
    if character >= "\x80":
        bodies.append(
            (workbook([["Mã", "Họ và tên"], ["CB001", f"Nguyễn{character}Văn A"]]), "xlsx")
        )

    for body, kind in bodies:
        with pytest.raises(Unprocessable) as refused:
            read_rows(body, kind, limit=LIMIT, max_columns=8)
        first = refused.value.extensions["errors"][0]
        assert (first["row"], first["field"]) == (2, "Họ và tên")
        assert f"U+{ord(character):04X}" in first["message"]


def test_tab_line_feed_and_carriage_return_stay_allowed() -> None:
    body = 'Mã,Ghi chú\r\nCB001,"một\tdòng\nhai\rba"\r\n'.encode()
    assert len(read_rows(body, "csv", limit=LIMIT, max_columns=8)) == 2


def test_an_xlsx_export_keeps_formula_like_text_as_text_and_numbers_as_numbers() -> None:
    body = render_xlsx(
        [Sheet(title="=Bảng", headers=["=Tên", "Số"], rows=[[text, -5] for text in HOSTILE])]
    )

    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    cells = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in cells] == HOSTILE
    assert {row[0].data_type for row in cells} == {"s"}
    assert cells[0][0].value == HOSTILE[0]
    assert {(row[1].value, row[1].data_type) for row in cells} == {(-5, "n")}
    assert sheet.cell(row=1, column=1).data_type == "s"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_template_round_trips_formula_like_text_through_thiduas_importer(kind: FileKind) -> None:
    body, _ = write_template(
        kind, title="Mẫu", labels=["Tên", "Số"], rows=[[t, "1"] for t in HOSTILE]
    )

    if kind == "csv":
        written = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        assert [row[0] for row in written[1:]] == ["'" + text for text in HOSTILE]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        assert {row[0].data_type for row in sheet.iter_rows(min_row=2)} == {"s"}
    rows = read_rows(body, kind, limit=LIMIT, max_columns=2)
    assert [row[0] for row in rows[1:]] == HOSTILE


def test_only_the_exports_own_apostrophe_is_stripped() -> None:
    assert csv_value(-5) == -5
    assert csv_value("Tổ 1") == "Tổ 1"
    assert csv_text_read(csv_value("=1+1")) == "=1+1"
    assert csv_text_read("'quoted on purpose") == "'quoted on purpose"
