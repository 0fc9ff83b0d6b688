"""The office's cluster work and a unit head's evaluations by form, in the browser, on a 2017
movement of its own (three district units of the directory, one cluster) beside the 2018 demo.

The covenant needs a movement still open, so the clock is set to January 2017 while the module
runs (the 2018 movement is closed: nothing moves for it) and put back where it would be after;
the other tests see the 2018 year as the demo left it."""

import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import RolePageFactory
from tests.browser.pages import TABLET, assert_no_horizontal_scroll, blocking_violations
from tests.browser.system import AllInOne
from tests.browser.year import tokens
from thidua_local.demo.client import DemoClient, DemoError, wait_until
from thidua_local.demo.run import at
from thidua_shared.contracts.vocabulary import TASK_RATINGS
from thidua_shared.platform.auth import Role
from thidua_shared.testing import pdf_text

pytestmark = pytest.mark.timeout(600)

UNITS = {
    "PVHTT-LK": "Phòng Văn hóa và Thông tin thị xã Long Khánh",
    "PVHTT-NT": "Phòng Văn hóa và Thông tin huyện Nhơn Trạch",
    "PVHTT-TB": "Phòng Văn hóa và Thông tin huyện Trảng Bom",
}
RATED_UNIT = "PVHTT-LK"
MEMBERS = [
    {"staff_code": "LK-2017-01", "full_name": "Hồ Thị Ngọc Lan", "position": "Trưởng phòng"},
    {"staff_code": "LK-2017-02", "full_name": "Đinh Văn Khoa", "position": "Chuyên viên"},
]
PLAN: dict[str, Any] = {
    "document_number": "05/KH-STTTT",
    "title": "Phát động phong trào thi đua các Phòng Văn hóa và Thông tin năm 2017",
    "year": 2017,
    "issuing_agency": "Sở Thông tin và Truyền thông",
    "place_of_issue": "Đồng Nai",
    "issued_on": "2017-01-09",
    "period_start": "2017-01-01",
    "period_end": "2017-12-31",
    "phases": [{"name": "Năm 2017", "starts_on": "2017-01-01", "ends_on": "2017-12-31"}],
    "tasks": [
        {
            "content": "Tuyên truyền các ngày lễ lớn trên hệ thống thông tin cơ sở",
            "targets": [{"indicator": "Tin, bài", "unit_of_measure": "tin", "target_value": 100}],
        }
    ],
    "unit_codes": list(UNITS),
}


@dataclass
class Movement:
    client: DemoClient
    campaign_id: str
    cluster: str


async def _clock(client: DemoClient) -> datetime:
    reading = await client.call("GET", "/campaigns/ops/clock")
    return datetime.fromisoformat(reading["now"])


@pytest.fixture(scope="module")
async def movement(demo_year: str, system: AllInOne) -> AsyncIterator[Movement]:
    async with httpx.AsyncClient(base_url=system.url, timeout=60) as http:
        client = DemoClient(http, tokens(system.data_dir))
        left_at, left_when = await _clock(client), time.monotonic()
        await client.set_time(at("2017-01-16"))
        try:
            created = await client.call("POST", "/campaigns/campaigns", json=PLAN)
            await client.call("POST", f"/campaigns/campaigns/{created['id']}/launch")
            progress = f"/pledges/campaigns/{created['id']}/progress"

            async def clusters() -> list[dict[str, Any]]:
                try:
                    found: list[dict[str, Any]] = (await client.call("GET", progress))["clusters"]
                except DemoError as error:
                    if error.status != 404:  # not there until the launch reaches pledges
                        raise
                    return []
                return found

            [cluster] = await wait_until(clusters, "the launch to reach pledges")
            yield Movement(client, created["id"], cluster["cluster"])
        finally:
            elapsed = timedelta(seconds=time.monotonic() - left_when)
            await client.set_time(left_at + elapsed)


async def _checked(page: Page) -> None:
    assert await blocking_violations(page) == []
    await assert_no_horizontal_scroll(page)


async def _pdf(page: Page, link_name: str) -> str:
    href = await page.get_by_role("link", name=link_name).get_attribute("href")
    assert href is not None
    answer = await page.request.get(href)
    assert answer.status == 200
    return pdf_text(await answer.body())


async def test_the_office_draws_up_the_clusters_covenant(
    movement: Movement, page_as: RolePageFactory
) -> None:
    office = await page_as(Role.OFFICE)
    await office.goto(f"/giao-uoc?phong_trao={movement.campaign_id}")
    await _checked(office)
    await office.get_by_label("Số, ký hiệu giao ước").fill("01/GƯTĐ-VHTT")
    await office.get_by_label("Nội dung giao ước (mỗi dòng một nội dung)").fill(
        "Hoàn thành xuất sắc chỉ tiêu tuyên truyền năm 2017\n"
        "Xây dựng cơ quan, đơn vị đạt chuẩn văn hóa"
    )
    await office.get_by_role("button", name="Lập giao ước").click()
    await expect(office.get_by_role("status")).to_contain_text("Đã lập giao ước thi đua")
    await expect(office.get_by_role("button", name="Lập giao ước")).to_have_count(0)
    text = await _pdf(office, "Giao ước (PDF)")
    assert "01/GƯTĐ-VHTT" in text
    assert "đạt chuẩn văn hóa" in text
    # A unit head of the cluster finds it on its own page, with no id to be given, and signs.
    head = await page_as(Role.UNIT_HEAD, RATED_UNIT)
    await head.goto(f"/don-vi/giao-uoc?phong_trao={movement.campaign_id}")
    await expect(head.get_by_text("Giao ước số 01/GƯTĐ-VHTT")).to_be_visible()
    await head.get_by_label("Họ tên người ký").fill("Nguyễn Văn An")
    await head.get_by_role("button", name="Ký giao ước").click()
    await expect(head.get_by_role("status")).to_contain_text("Đơn vị đã ký giao ước")
    await expect(head.get_by_role("button", name="Ký giao ước")).to_have_count(0)


async def _report_to_rate(movement: Movement) -> None:
    """The district unit registers its two members and the office approves; it saves the
    draft of its final report, whose members it then rates in the browser."""
    client, campaign_id = movement.client, movement.campaign_id
    registration = await client.until_accepted(
        "POST",
        "/pledges/registrations",
        role=Role.UNIT_HEAD,
        unit=RATED_UNIT,
        json={
            "campaign_id": campaign_id,
            "unit_code": RATED_UNIT,
            "members": MEMBERS,
            "commitments": [{"task_number": 1}],
        },
    )
    await client.call("POST", f"/pledges/registrations/{registration['id']}/approve")
    await client.until_accepted(
        "POST",
        "/reports/reports",
        role=Role.UNIT_HEAD,
        unit=RATED_UNIT,
        json={
            "campaign_id": campaign_id,
            "phase_number": 1,
            "unit_code": RATED_UNIT,
            "summary": "Đơn vị hoàn thành các chỉ tiêu tuyên truyền năm 2017.",
            "results": [{"commitment_number": 1, "achieved_value": 112}],
            "draft": True,
        },
    )


async def test_a_unit_head_rates_the_members_of_its_final_report(
    movement: Movement, page_as: RolePageFactory
) -> None:
    await _report_to_rate(movement)
    unit = await page_as(Role.UNIT_HEAD, RATED_UNIT)
    await unit.goto(f"/don-vi/bao-cao?phong_trao={movement.campaign_id}")
    excellent, good = list(TASK_RATINGS)[:2]
    await unit.get_by_label("Xếp loại của Hồ Thị Ngọc Lan").select_option(excellent)
    await unit.get_by_label("Xếp loại của Đinh Văn Khoa").select_option(good)
    await unit.get_by_role("button", name="Lưu đánh giá, xếp loại").click()
    await expect(unit.get_by_role("status")).to_have_text("Đã lưu đánh giá, xếp loại 2 cá nhân.")
    await expect(unit.get_by_label("Xếp loại của Đinh Văn Khoa")).to_have_value(good)
    await expect(unit.get_by_role("cell", name=TASK_RATINGS[excellent], exact=True)).to_be_visible()
    await _checked(unit)
    [listed] = await movement.client.every_page(
        "/reports/reports", params={"campaign_id": movement.campaign_id, "unit_code": RATED_UNIT}
    )
    report = await movement.client.call("GET", f"/reports/reports/{listed['id']}")
    ratings = {e["staff_code"]: e["task_rating"] for e in report["member_evaluations"]}
    assert ratings == {"LK-2017-01": excellent, "LK-2017-02": good}


async def _fill_vote(page: Page, votes: dict[str, str]) -> None:
    for code, count in votes.items():
        await page.get_by_label(f"Số phiếu bầu cho {UNITS[code]}").fill(count)


async def test_the_office_enters_the_cluster_vote(
    movement: Movement, page_as: RolePageFactory
) -> None:
    office = await page_as(Role.OFFICE)
    await office.goto(f"/hoi-dong?phong_trao={movement.campaign_id}")
    await office.get_by_role("link", name=f"Nhập kết quả bình xét: {movement.cluster}").click()
    await office.get_by_label("Số tiêu chí chấm điểm").fill("2")
    await office.get_by_role("button", name="Đổi số tiêu chí").click()
    await office.get_by_label("Ngày họp").fill("2017-12-28")
    await office.get_by_label("Địa điểm họp").fill("Phòng Văn hóa và Thông tin thị xã Long Khánh")
    await office.get_by_label("Chủ trì").fill("Nguyễn Văn Hùng")
    await office.get_by_label("Thư ký").fill("Trần Thị Mai")
    for number, (name, most) in enumerate(
        [("Thực hiện nhiệm vụ chuyên môn", "60"), ("Tổ chức phong trào thi đua", "40")], start=1
    ):
        await office.get_by_label(f"Tên tiêu chí {number}", exact=True).fill(name)
        await office.get_by_label(f"Điểm tối đa của tiêu chí {number}").fill(most)
    points = {"PVHTT-LK": ("57,5", "38"), "PVHTT-NT": ("52", "35"), "PVHTT-TB": ("50", "33")}
    for code, given in points.items():
        for number, value in enumerate(given, start=1):
            await office.get_by_label(f"Điểm tiêu chí {number} của {UNITS[code]}").fill(value)
    await office.get_by_label("Số phiếu thu về").fill("9")
    await office.get_by_label("Số phiếu không hợp lệ").fill("1")
    # Nine votes for one unit out of eight valid ballots: the API refuses it.
    await _fill_vote(office, {"PVHTT-LK": "9", "PVHTT-NT": "2", "PVHTT-TB": "0"})
    await office.get_by_role("button", name="Ghi kết quả bình xét").click()
    refusal = office.locator("#votes-loi")
    await expect(refusal).to_contain_text("Số phiếu bầu vượt quá số phiếu hợp lệ")
    votes_for_lk = office.get_by_label(f"Số phiếu bầu cho {UNITS['PVHTT-LK']}")
    await expect(votes_for_lk).to_have_value("9")
    await expect(votes_for_lk).to_have_attribute("aria-invalid", "true")
    await expect(office.get_by_label("Điểm tiêu chí 1 của " + UNITS["PVHTT-LK"])).to_have_value(
        "57,5"
    )
    await _checked(office)
    await office.set_viewport_size(TABLET)
    await assert_no_horizontal_scroll(office)

    await _fill_vote(office, {"PVHTT-LK": "6"})
    await office.get_by_role("button", name="Ghi kết quả bình xét").click()
    await expect(office).to_have_url(re.compile(rf"/hoi-dong\?phong_trao={movement.campaign_id}$"))
    await expect(office.get_by_role("status")).to_contain_text("đơn vị dẫn đầu PVHTT-LK")
    row = office.get_by_role("row").filter(has_text=movement.cluster)
    await expect(row).to_contain_text("Được suy tôn")
    await expect(office.get_by_role("link", name="Nhập kết quả bình xét")).to_have_count(0)
    minutes = await _pdf(office, f"Biên bản {movement.cluster} (PDF)")
    assert "Thực hiện nhiệm vụ chuyên môn" in minutes
    assert "Nguyễn Văn Hùng" in minutes
