"""A registration's members imported from an XLSX or CSV file: all rows or none."""

import csv
import io
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

Body = Callable[..., dict[str, Any]]
URL = "/pledges/registrations"
TEMPLATE = "/pledges/member-template"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Mã cán bộ", "Họ và tên", "Giới tính", "Chức vụ", "Danh hiệu đăng ký"]
Row = list[str | None]


def _rows(count: int) -> list[Row]:
    return [
        [f"CB{i:04d}", f"Trần Thị Thu {i}", "Nữ", "Chuyên viên", "Lao động tiên tiến"]
        for i in range(1, count + 1)
    ]


def _xlsx(rows: list[Row], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _registration(pledges: RunningService, body: dict[str, Any]) -> dict[str, Any]:
    response = await pledges.client.post(URL, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _put(
    pledges: RunningService, registration_id: str, content: bytes, content_type: str, **headers: str
) -> Any:
    return await pledges.client.put(
        f"{URL}/{registration_id}/members",
        content=content,
        headers={"If-Match": "*", "Content-Type": content_type, **headers},
    )


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
async def test_the_template_reads_back_with_its_header(pledges: RunningService, kind: str) -> None:
    response = await pledges.client.get(
        TEMPLATE, params={"format": kind}, headers=bearer(Role.UNIT_HEAD, "VP")
    )
    assert response.status_code == 200, response.text
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.endswith(f'.{kind}"')
    if kind == "xlsx":
        assert response.headers["content-type"] == XLSX
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        assert response.headers["content-type"].startswith("text/csv")
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert [str(v) for v in rows[1][2:]] == ["Nữ", "Chuyên viên", "Lao động tiên tiến"]
    assert len(rows) == 2


async def test_bad_rows_are_all_named_and_nothing_is_written(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))
    rows = _rows(500)
    rows[99][1] = None  # spreadsheet row 101: no name
    rows[299][0] = "CB0002"  # spreadsheet row 301: the staff code of row 3

    response = await _put(pledges, created["id"], _xlsx(rows), XLSX)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [
        (101, "full_name"),
        (301, "staff_code"),
    ]
    assert "row 3" in problem["errors"][1]["message"]
    read = await pledges.client.get(f"{URL}/{created['id']}")
    assert read.json() == created


async def test_a_good_file_replaces_every_member_in_one_request(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))

    response = await _put(
        pledges, created["id"], _xlsx(_rows(500)), XLSX, **bearer(Role.UNIT_HEAD, "VP")
    )

    assert response.status_code == 200, response.text
    imported = response.json()
    assert len(imported["members"]) == 500
    assert imported["members"][0] == {
        "staff_code": "CB0001",
        "full_name": "Trần Thị Thu 1",
        "gender": "female",
        "position": "Chuyên viên",
        "title_aimed": "lao_dong_tien_tien",
    }
    assert imported["version"] == created["version"] + 1
    assert response.headers["ETag"] == f'"{imported["version"]}"'
    assert (await pledges.client.get(f"{URL}/{created['id']}")).json() == imported
    [submission] = (await pledges.client.get(f"{URL}/{created['id']}/versions")).json()
    assert len(submission["members"]) == 500


async def test_a_utf8_csv_with_a_byte_order_mark_keeps_vietnamese_names(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    text = (
        "staff_code,full_name,title_aimed\r\n"
        f"NV010, {decomposed} ,Chiến sĩ thi đua cơ sở\r\n"
        "NV011,Đặng Hữu Phước,\r\n"
    )

    response = await _put(
        pledges, created["id"], b"\xef\xbb\xbf" + text.encode(), "text/csv; charset=utf-8"
    )

    assert response.status_code == 200, response.text
    assert response.json()["members"] == [
        {
            "staff_code": "NV010",
            "full_name": unicodedata.normalize("NFC", "Nguyễn Thị Ánh Tuyết"),
            "gender": None,
            "position": None,
            "title_aimed": "chien_si_thi_dua_co_so",
        },
        {
            "staff_code": "NV011",
            "full_name": "Đặng Hữu Phước",
            "gender": None,
            "position": None,
            "title_aimed": None,
        },
    ]


async def test_another_units_head_finds_no_registration(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))
    response = await _put(
        pledges, created["id"], _xlsx(_rows(2)), XLSX, **bearer(Role.UNIT_HEAD, "TTCNTT")
    )
    assert response.status_code == 404
    assert response.json()["field"] == "registration_id"
    assert (await pledges.client.get(f"{URL}/{created['id']}")).json() == created


async def test_an_approved_registrations_members_are_final(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))
    approved = await pledges.client.post(f"{URL}/{created['id']}/approve")
    assert approved.status_code == 200, approved.text
    response = await _put(pledges, created["id"], _xlsx(_rows(2)), XLSX)
    assert response.status_code == 409
    assert response.json()["field"] == "status"


async def test_too_large_or_wrong_type_is_a_problem(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))

    too_large = await _put(pledges, created["id"], b"x" * (10 * 1024 * 1024 + 1), "text/csv")
    wrong_type = await _put(pledges, created["id"], b'{"members": []}', "application/json")

    assert (too_large.status_code, wrong_type.status_code) == (413, 415)
    for response in (too_large, wrong_type):
        assert response.headers["content-type"] == "application/problem+json"
    assert wrong_type.json()["field"] == "Content-Type"
    assert (await pledges.client.get(f"{URL}/{created['id']}")).json() == created


async def test_gender_post_and_title_read_as_words_or_codes(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))
    text = (
        "Mã cán bộ;Họ và tên;Giới tính;Chức vụ;Danh hiệu đăng ký\r\n"
        "NV020;Lê Thị Mai;nữ;Trưởng phòng;chiến sĩ thi đua cơ sở\r\n"
        "NV021;Phạm Văn Nam;male;Chuyên viên;lao_dong_tien_tien\r\n"
    )

    response = await _put(pledges, created["id"], text.encode(), "text/csv")

    assert response.status_code == 200, response.text
    assert [
        (m["staff_code"], m["gender"], m["position"], m["title_aimed"])
        for m in response.json()["members"]
    ] == [
        ("NV020", "female", "Trưởng phòng", "chien_si_thi_dua_co_so"),
        ("NV021", "male", "Chuyên viên", "lao_dong_tien_tien"),
    ]


async def test_an_unknown_gender_or_title_is_named_by_row(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))
    rows = _rows(5)
    rows[1][2] = "Khác"  # spreadsheet row 3
    rows[3][4] = "Tập thể lao động tiên tiến"  # row 5: a collective title, not a person's

    response = await _put(pledges, created["id"], _xlsx(rows), XLSX)

    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "gender"), (5, "title_aimed")]
    assert "lao_dong_tien_tien" in errors[1]["message"]
    assert (await pledges.client.get(f"{URL}/{created['id']}")).json() == created


async def test_a_file_in_the_earlier_three_column_layout_still_imports(
    pledges: RunningService, launched: CampaignLaunched, new_registration: Body
) -> None:
    created = await _registration(pledges, new_registration(launched.campaign_id))
    rows: list[Row] = [["CB0001", "Võ Thị Sáu", "Lao động tiên tiến"]]

    response = await _put(
        pledges, created["id"], _xlsx(rows, ["Mã cán bộ", "Họ và tên", "Danh hiệu đăng ký"]), XLSX
    )

    assert response.status_code == 200, response.text
    [member] = response.json()["members"]
    assert (member["title_aimed"], member["gender"]) == ("lao_dong_tien_tien", None)
