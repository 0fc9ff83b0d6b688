"""The consolidated phase report for the council, as JSON and as a workbook read back."""

import io
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from openpyxl import load_workbook

from thidua_shared.documents import XLSX_MEDIA_TYPE
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

NewCampaign = Callable[..., Awaitable[UUID]]
Body = Callable[..., dict[str, Any]]
Items = Callable[[], list[dict[str, Any]]]
URL = "/reports/reports"
SEED_UNITS = ("VP", "TTCNTT", "TTRA")


async def _seed_scenario(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    evaluations: Items,
) -> UUID:
    """Both phases of the seed plan: every unit reports; TTRA's final report is still pending."""
    campaign_id = await seed_campaign(units=SEED_UNITS, closed=(1, 2))
    for phase in (1, 2):
        for unit in SEED_UNITS:
            content: dict[str, Any] = {"results": results()}
            if phase == 2:
                content["member_evaluations"] = evaluations()
            body = new_report(campaign_id, unit_code=unit, phase_number=phase, **content)
            created = await reports.client.post(URL, json=body)
            assert created.status_code == 201, created.text
            if not (phase == 2 and unit == "TTRA"):
                approved = await reports.client.post(f"{URL}/{created.json()['id']}/approve")
                assert approved.status_code == 200, approved.text
    return campaign_id


def _cells(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_preliminary_consolidated_report_totals_every_unit(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    evaluations: Items,
) -> None:
    campaign_id = await _seed_scenario(reports, seed_campaign, new_report, results, evaluations)

    response = await reports.client.get(
        f"/reports/campaigns/{campaign_id}/phases/1/consolidated",
        headers=bearer(Role.COUNCIL_MEMBER),
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["kind"], body["phase_status"], body["review_round"]) == (
        "preliminary",
        "reviewed",
        1,
    )
    assert [u["unit_code"] for u in body["units"]] == ["TTCNTT", "TTRA", "VP"]
    unit = body["units"][0]
    assert (unit["commitments"], unit["targets_met"], unit["average_percent"]) == (3, 1, 110.0)
    assert unit["member_ratings"] is None
    totals = body["totals"]
    assert (totals["units"], totals["approved"], totals["commitments"], totals["targets_met"]) == (
        3,
        3,
        9,
        3,
    )
    unit_head = await reports.client.get(
        f"/reports/campaigns/{campaign_id}/phases/1/consolidated",
        headers=bearer(Role.UNIT_HEAD, "VP"),
    )
    assert unit_head.status_code == 403


async def test_the_final_consolidated_workbook_opens_with_vietnamese_text_intact(
    reports: RunningService,
    seed_campaign: NewCampaign,
    new_report: Body,
    results: Items,
    evaluations: Items,
) -> None:
    campaign_id = await _seed_scenario(reports, seed_campaign, new_report, results, evaluations)
    url = f"/reports/campaigns/{campaign_id}/phases/2/consolidated"

    by_suffix = await reports.client.get(f"{url}.xlsx")
    by_accept = await reports.client.get(url, headers={"Accept": XLSX_MEDIA_TYPE})

    for response in (by_suffix, by_accept):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == XLSX_MEDIA_TYPE
        assert "bao-cao-tong-ket-dot-2.xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(by_suffix.content))
    assert book.sheetnames == ["Tổng hợp", "Kết quả chỉ tiêu", "Xếp loại cá nhân"]
    summary = _cells(book["Tổng hợp"])
    heading = summary[0][0]
    assert heading == unicodedata.normalize("NFC", heading)
    assert heading.startswith("BÁO CÁO TỔNG KẾT ĐỢT 2 – Kế hoạch phát động phong trào thi đua")
    headers = summary[1]
    assert headers[:5] == ["STT", "Mã đơn vị", "Tên đơn vị", "Cụm thi đua", "Tình trạng"]
    assert "Hoàn thành xuất sắc" in headers
    rows = {row[1]: row for row in summary[2:5]}
    assert rows["TTRA"][4] == "Đã nộp, chờ duyệt"
    assert rows["VP"][4] == "Đã duyệt"
    assert rows["VP"][6] == "Hoàn thành tốt nhiệm vụ"
    assert rows["VP"][3] == "Cụm 1"
    ratings = rows["VP"][headers.index("Hoàn thành xuất sắc") :][:4]
    assert ratings == [1, 1, 1, 0]
    assert rows["VP"][headers.index("Bị kỷ luật")] == 1
    assert summary[5][2] == "Tổng cộng: 3 đơn vị, 2 đã duyệt"

    results_sheet = _cells(book["Kết quả chỉ tiêu"])
    first_result = results_sheet[2]
    assert (
        first_result[3] == "100% cán bộ, công chức chấp hành tốt chủ trương, chính sách, pháp luật"
    )
    assert first_result[6:9] == [100, 95, 95]
    lower = results_sheet[3]
    assert lower[4] == "Số ngày giải quyết hồ sơ bình quân (càng thấp càng tốt)"
    assert lower[8] == 125
    assert first_result[10] == "Biên bản họp xét 12/BB-VP"

    individuals = _cells(book["Xếp loại cá nhân"])
    assert individuals[1][:3] == ["Mã đơn vị", "Tên đơn vị", "Hoàn thành xuất sắc"]
    assert [row[-1] for row in individuals[2:]] == [3, 3, 3]

    json_view = await reports.client.get(url)
    assert json_view.json()["totals"]["member_ratings"] == {
        "xuat_sac": 3,
        "tot": 3,
        "hoan_thanh": 3,
        "khong_hoan_thanh": 0,
    }
    assert json_view.json()["totals"]["initiatives"] == 3


async def test_an_unknown_campaign_or_phase_is_not_found(
    reports: RunningService, new_campaign: NewCampaign
) -> None:
    campaign_id = await new_campaign()
    for url in (
        f"/reports/campaigns/{UUID(int=7)}/phases/1/consolidated",
        f"/reports/campaigns/{campaign_id}/phases/5/consolidated.xlsx",
        f"/reports/campaigns/{UUID(int=7)}/progress",
    ):
        response = await reports.client.get(url)
        assert response.status_code == 404, response.text
