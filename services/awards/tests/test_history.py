"""Importing past years' titles (lịch sử khen thưởng) from CSV and XLSX, all or nothing."""

import io
from uuid import uuid4

from openpyxl import Workbook

from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = "Đối tượng,Mã,Tên,Mã đơn vị,Năm,Danh hiệu,Sáng kiến"


async def _import(
    awards: RunningService, body: bytes, content_type: str = CSV, role: Role = Role.OFFICE
) -> tuple[int, dict[str, object]]:
    response = await awards.client.post(
        "/awards/history/import",
        content=body,
        headers={
            "Content-Type": content_type,
            **bearer(role, "PCNTT" if role == Role.UNIT_HEAD else None),
        },
    )
    return response.status_code, response.json()


async def _history(awards: RunningService, code: str) -> list[dict[str, object]]:
    response = await awards.client.get("/awards/history", params={"subject_code": code})
    assert response.status_code == 200, response.text
    body: list[dict[str, object]] = response.json()
    return body


async def test_csv_rows_become_history(awards: RunningService) -> None:
    person, unit = f"CB-{uuid4().hex[:8]}", f"DV-{uuid4().hex[:8]}"
    lines = [
        HEADER,
        f"Cá nhân,{person},Nguyễn Thị Hoà,PCNTT,2016,Chiến sĩ thi đua cơ sở,SK-2016-001",
        f"cá nhân,{person},Nguyễn Thị Hoà,PCNTT,2017,chien_si_thi_dua_co_so,"
        "SK-2017-002; SK-2017-003",
        f"Tập thể,{unit},Phòng Công nghệ thông tin,,2017,Tập thể lao động xuất sắc,",
    ]
    status, body = await _import(awards, "\n".join(lines).encode("utf-8-sig"))
    assert status == 200, body
    assert body == {"imported": 3}

    entries = await _history(awards, person)
    assert [(e["year"], e["title"], e["source"]) for e in entries] == [
        (2016, "chien_si_thi_dua_co_so", "import"),
        (2017, "chien_si_thi_dua_co_so", "import"),
    ]
    assert entries[0]["subject_name"] == "Nguyễn Thị Hoà"
    assert entries[1]["initiative_identifiers"] == ["SK-2017-002", "SK-2017-003"]
    [collective] = await _history(awards, unit)
    assert collective["subject_kind"] == "unit"
    assert collective["title"] == "tap_the_lao_dong_xuat_sac"

    # Importing the same rows again replaces them rather than doubling them.
    status, _ = await _import(awards, "\n".join(lines).encode())
    assert status == 200
    assert len(await _history(awards, person)) == 2


async def test_xlsx_rows_become_history(awards: RunningService) -> None:
    person = f"CB-{uuid4().hex[:8]}"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["Cá nhân", person, "Lê Văn Đức", "VP", 2017, "Lao động tiên tiến", None])
    buffer = io.BytesIO()
    book.save(buffer)
    status, body = await _import(awards, buffer.getvalue(), XLSX)
    assert status == 200, body
    [entry] = await _history(awards, person)
    assert (entry["year"], entry["title"], entry["subject_name"]) == (
        2017,
        "lao_dong_tien_tien",
        "Lê Văn Đức",
    )


async def test_a_bad_row_writes_nothing_and_every_error_is_named(awards: RunningService) -> None:
    person = f"CB-{uuid4().hex[:8]}"
    lines = [
        HEADER,
        f"Cá nhân,{person},Nguyễn Thị Hoà,PCNTT,2016,Chiến sĩ thi đua cơ sở,",
        f"Cá nhân,{person},Nguyễn Thị Hoà,PCNTT,năm ngoái,Chiến sĩ thi đua cơ sở,",
        f"Tập thể,{person},Phòng X,,2017,Lao động tiên tiến,",
        f"Ai đó,{person},X,,2017,Giấy khen,",
        f"Cá nhân,{person},Nguyễn Thị Hoà,PCNTT,2016,Chiến sĩ thi đua cơ sở,",
    ]
    status, body = await _import(awards, "\n".join(lines).encode())
    assert status == 422
    assert body["field"] == "year"
    errors = body["errors"]
    assert isinstance(errors, list)
    assert [(e["row"], e["field"]) for e in errors] == [
        (3, "year"),
        (4, "title"),
        (5, "subject_kind"),
        (6, "title"),
    ]
    assert await _history(awards, person) == []


async def test_unknown_column_and_wrong_media_type_are_refused(awards: RunningService) -> None:
    status, body = await _import(awards, "Mã,Năm,Điểm\nCB1,2017,9".encode())
    assert status == 422
    errors = body["errors"]
    assert isinstance(errors, list)
    assert {e["field"] for e in errors} >= {"column 3", "subject_kind", "title"}
    status, body = await _import(awards, b"{}", "application/json")
    assert status == 415
    assert body["field"] == "Content-Type"


async def test_only_the_office_imports(awards: RunningService) -> None:
    status, _ = await _import(awards, HEADER.encode(), role=Role.UNIT_HEAD)
    assert status == 403
    missing = await awards.client.get("/awards/history")
    assert missing.status_code == 422
    assert missing.json()["field"] == "subject_code"
