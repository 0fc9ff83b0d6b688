"""Member evaluations entered in bulk from the XLSX or CSV template."""

import io
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from openpyxl import Workbook, load_workbook

from thidua_shared.documents import XLSX_MEDIA_TYPE
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

NewCampaign = Callable[..., Awaitable[UUID]]
Body = Callable[..., dict[str, Any]]
Items = Callable[[], list[dict[str, Any]]]
URL = "/reports/reports"
COLUMNS = [
    "Mã cán bộ",
    "Họ và tên",
    "Xếp loại",
    "Kỷ luật",
    "Kỷ luật từ ngày",
    "Kỷ luật đến ngày",
    "Đang bị xem xét, điều tra",
    "Số công nhận sáng kiến",
    "Tên sáng kiến, đề tài",
    "Cấp công nhận",
    "Năm công nhận",
    "Số ngày nghỉ tính công",
    "Mới chuyển đến",
    "Ngày chuyển đi",
    "Ghi chú",
]


def _csv(rows: list[dict[str, str]]) -> bytes:
    lines = [";".join(COLUMNS)]
    lines += [";".join(row.get(column, "") for column in COLUMNS) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


GOOD_ROWS = [
    {
        "Mã cán bộ": "CB01",
        "Xếp loại": "Hoàn thành xuất sắc nhiệm vụ",
        "Số công nhận sáng kiến": "SK-2018-014",
        "Tên sáng kiến, đề tài": "Số hoá hồ sơ một cửa",
        "Cấp công nhận": "Cấp cơ sở",
        "Năm công nhận": "2018",
        "Số ngày nghỉ tính công": "120",
        "Ghi chú": "Nghỉ thai sản",
    },
    # A second initiative of the same member, on a row of its own.
    {
        "Mã cán bộ": "CB01",
        "Số công nhận sáng kiến": "DT-2018-002",
        "Tên sáng kiến, đề tài": "Đề tài chuyển đổi số",
        "Cấp công nhận": "provincial",
        "Năm công nhận": "2018",
    },
    {
        "Mã cán bộ": "CB02",
        "Xếp loại": "tot",
        "Kỷ luật": "Khiển trách",
        "Kỷ luật từ ngày": "01/03/2018",
        "Kỷ luật đến ngày": "28/02/2019",
    },
    {"Mã cán bộ": "CB03", "Ngày chuyển đi": "30/09/2018", "Ghi chú": "Chuyển công tác"},
    {
        "Mã cán bộ": "CB09",
        "Họ và tên": "Phạm Minh Tuấn",
        "Xếp loại": "Hoàn thành tốt",
        "Mới chuyển đến": "x",
    },
]


async def _final_draft(
    reports: RunningService, seed_campaign: NewCampaign, new_report: Body, results: Items
) -> str:
    campaign_id = await seed_campaign(closed=(1, 2))
    body = new_report(campaign_id, phase_number=2, results=results(), draft=True)
    created = await reports.client.post(URL, json=body)
    assert created.status_code == 201, created.text
    report_id: str = created.json()["id"]
    return report_id


async def _import(reports: RunningService, report_id: str, content: bytes, media_type: str) -> Any:
    return await reports.client.put(
        f"{URL}/{report_id}/member-evaluations",
        content=content,
        headers={"If-Match": "*", "Content-Type": media_type, **bearer(Role.UNIT_HEAD, "VP")},
    )


async def test_the_template_lists_the_registered_members(
    reports: RunningService, seed_campaign: NewCampaign, new_report: Body, results: Items
) -> None:
    report_id = await _final_draft(reports, seed_campaign, new_report, results)

    blank = await reports.client.get(
        "/reports/member-evaluation-template", params={"format": "csv"}
    )
    filled = await reports.client.get(
        "/reports/member-evaluation-template", params={"report_id": report_id}
    )

    assert blank.status_code == 200, blank.text
    assert blank.content.decode("utf-8-sig").splitlines()[0].startswith("Mã cán bộ,Họ và tên")
    assert filled.headers["content-type"] == XLSX_MEDIA_TYPE
    sheet = load_workbook(io.BytesIO(filled.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Mã cán bộ", "Họ và tên", "Xếp loại"]
    assert [r[:2] for r in rows[1:]] == [
        ["CB01", "Nguyễn Thị Hoà"],
        ["CB02", "Trần Văn Đức"],
        ["CB03", "Lê Hoàng Ngọc"],
    ]


async def test_a_csv_import_fills_the_evaluations_and_the_report_can_be_submitted(
    reports: RunningService, seed_campaign: NewCampaign, new_report: Body, results: Items
) -> None:
    report_id = await _final_draft(reports, seed_campaign, new_report, results)

    response = await _import(reports, report_id, _csv(GOOD_ROWS), "text/csv")

    assert response.status_code == 200, response.text
    report = response.json()
    first, second, joined = report["member_evaluations"]
    assert (first["task_rating"], first["full_name"], first["counted_leave_days"]) == (
        "xuat_sac",
        "Nguyễn Thị Hoà",
        120,
    )
    assert [(i["identifier"], i["level"]) for i in first["initiatives"]] == [
        ("SK-2018-014", "grassroots"),
        ("DT-2018-002", "provincial"),
    ]
    assert (second["discipline"], second["discipline_from"], second["discipline_to"]) == (
        "khien_trach",
        "2018-03-01",
        "2019-02-28",
    )
    assert (joined["staff_code"], joined["joined_during_year"]) == ("CB09", True)
    assert report["members_left"][0]["left_on"] == "2018-09-30"
    submitted = await reports.client.post(f"{URL}/{report_id}/submit")
    assert submitted.status_code == 200, submitted.text


async def test_an_xlsx_import_is_read_like_the_csv(
    reports: RunningService, seed_campaign: NewCampaign, new_report: Body, results: Items
) -> None:
    report_id = await _final_draft(reports, seed_campaign, new_report, results)
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in GOOD_ROWS:
        sheet.append([row.get(column) or None for column in COLUMNS])
    out = io.BytesIO()
    book.save(out)

    response = await _import(reports, report_id, out.getvalue(), XLSX_MEDIA_TYPE)

    assert response.status_code == 200, response.text
    assert [e["staff_code"] for e in response.json()["member_evaluations"]] == [
        "CB01",
        "CB02",
        "CB09",
    ]


async def test_a_file_with_bad_rows_is_refused_whole_naming_every_row(
    reports: RunningService, seed_campaign: NewCampaign, new_report: Body, results: Items
) -> None:
    report_id = await _final_draft(reports, seed_campaign, new_report, results)
    before = (await reports.client.get(f"{URL}/{report_id}")).json()
    rows = [
        *GOOD_ROWS,
        {"Mã cán bộ": "CB77", "Họ và tên": "Hồ Văn Lạ", "Xếp loại": "tot"},
        {"Mã cán bộ": "CB02", "Xếp loại": "tot"},
        {"Mã cán bộ": "CB10", "Họ và tên": "Vũ Thị Mai", "Xếp loại": "giỏi", "Mới chuyển đến": "x"},
        {"Mã cán bộ": "CB11", "Họ và tên": "Đỗ Văn Nam", "Mới chuyển đến": "x"},
    ]

    response = await _import(reports, report_id, _csv(rows), "text/csv")

    assert response.status_code == 422, response.text
    problem = response.json()
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [
        (7, "staff_code"),
        (8, "staff_code"),
        (9, "task_rating"),
        (10, "task_rating"),
    ]
    assert "CB77 was never registered" in problem["errors"][0]["message"]
    assert "already on row 4" in problem["errors"][1]["message"]
    after = (await reports.client.get(f"{URL}/{report_id}")).json()
    assert after == before


async def test_evaluations_are_imported_into_a_final_draft_only(
    reports: RunningService, seed_campaign: NewCampaign, new_report: Body, results: Items
) -> None:
    campaign_id = await seed_campaign(closed=(1, 2))
    preliminary = await reports.client.post(URL, json=new_report(campaign_id, results=results()))
    response = await _import(reports, preliminary.json()["id"], _csv(GOOD_ROWS), "text/csv")
    assert response.status_code == 409
    assert response.json()["field"] == "report_id"
    final = await reports.client.post(
        URL, json=new_report(campaign_id, phase_number=2, results=results(), draft=True)
    )
    wrong_type = await _import(reports, final.json()["id"], b"{}", "application/json")
    assert wrong_type.status_code == 415
    assert wrong_type.json()["field"] == "Content-Type"
