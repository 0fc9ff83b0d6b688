"""The office drafts a 2017 plan in the console from its document: two tasks (one with a
target), two phases, two units of the directory; a phase ending before it starts is refused
beside that field, fixed, saved; the draft is edited, launched, and its PDF read. Then the
2018 demo year's consolidated report is read as a page. The 2017 movement stays older than
the demo's, so the other screens, which show the newest, do not see it."""

import asyncio
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import RolePageFactory
from tests.browser.pages import TABLET, assert_no_horizontal_scroll, blocking_violations
from thidua_shared.platform.auth import Role
from thidua_shared.testing import pdf_text

pytestmark = pytest.mark.timeout(600)

NUMBER = "05/KH-STTTT"
TITLE = "Phát động phong trào thi đua năm 2017"
EDITED_TITLE = "Phát động phong trào thi đua yêu nước năm 2017"
FIRST_TASK = "Tuyên truyền, quán triệt tư tưởng Hồ Chí Minh về thi đua ái quốc."
SECOND_TASK = "Giải quyết thủ tục hành chính đúng hạn."
INDICATOR = "Hồ sơ thủ tục hành chính giải quyết đúng hạn"


async def _check_layout(page: Page) -> None:
    assert await blocking_violations(page) == []
    await assert_no_horizontal_scroll(page)
    await page.set_viewport_size(TABLET)
    await assert_no_horizontal_scroll(page)


async def _fill_plan(page: Page) -> None:
    await page.get_by_label("Số, ký hiệu").fill(NUMBER)
    await page.get_by_label("Ngày ban hành").fill("2017-01-05")
    await page.get_by_label("Cơ quan chủ quản").fill("UBND tỉnh Đồng Nai")
    await page.get_by_label("Cơ quan ban hành").fill("Sở Thông tin và Truyền thông")
    await page.get_by_label("Tên kế hoạch").fill(TITLE)
    await page.get_by_label("Người ký", exact=True).fill("Lê Hoàng Ngọc")
    await page.get_by_label("Chức vụ người ký").fill("Giám đốc")
    await page.get_by_label("Năm thi đua").fill("2017")
    await page.get_by_label("Bắt đầu", exact=True).fill("2017-01-01")
    await page.get_by_label("Kết thúc", exact=True).fill("2017-12-31")
    await page.get_by_label("Hạn đăng ký thi đua").fill("2017-01-31")
    await page.get_by_label("Nội dung nhiệm vụ 1").fill(FIRST_TASK)
    await page.get_by_label("Nội dung nhiệm vụ 2").fill(SECOND_TASK)
    await page.get_by_label("Chỉ tiêu (nhiệm vụ 2, chỉ tiêu 1)").fill(INDICATOR)
    await page.get_by_label("Mục tiêu (nhiệm vụ 2, chỉ tiêu 1)").fill("98,5")
    await page.get_by_label("Đơn vị tính (nhiệm vụ 2, chỉ tiêu 1)").fill("%")
    await page.get_by_label("Tên đợt (đợt thứ 1)").fill("Đợt 1")
    await page.get_by_label("Bắt đầu (đợt thứ 1)").fill("2017-01-01")
    await page.get_by_label("Kết thúc (đợt thứ 1)").fill("2017-06-30")
    await page.get_by_label("Tên đợt (đợt thứ 2)").fill("Đợt 2")
    await page.get_by_label("Bắt đầu (đợt thứ 2)").fill("2017-07-01")
    # Ends before it starts: the API refuses it, naming this field.
    await page.get_by_label("Kết thúc (đợt thứ 2)").fill("2017-06-15")
    await page.get_by_label("Thi đua chào mừng (đợt thứ 2)").fill("Chào mừng ngày Quốc khánh 2-9")
    await page.get_by_label("Văn phòng Sở (VP)").check()
    await page.get_by_label("Thanh tra Sở (TTRA)").check()
    await page.get_by_label("Nơi nhận").fill("Bộ TT&TT\nBan TĐ-KT tỉnh (Sở Nội vụ)\nLưu: VT")


async def test_the_office_drafts_edits_and_launches_a_plan(
    demo_year: str, page_as: RolePageFactory, tmp_path: Path
) -> None:
    office = await page_as(Role.OFFICE)
    await office.goto("/phong-trao")
    await office.get_by_role("link", name="Lập kế hoạch phong trào mới").click()
    await expect(office.get_by_role("heading", level=1)).to_have_text(
        "Lập kế hoạch phát động phong trào thi đua"
    )
    await _check_layout(office)
    await office.set_viewport_size({"width": 1366, "height": 768})
    await _fill_plan(office)
    await office.get_by_role("button", name="Lưu bản nháp kế hoạch").click()

    phase_end = office.get_by_label("Kết thúc (đợt thứ 2)")
    await expect(phase_end).to_have_attribute("aria-invalid", "true")
    await expect(office.locator("#p2_ends_on-loi")).to_have_text(
        "Không thể xử lý yêu cầu với dữ liệu này. Đợt thi đua kết thúc trước ngày bắt đầu."
    )
    await expect(office.get_by_label("Tên kế hoạch")).to_have_value(TITLE)
    await expect(office.get_by_label("Thanh tra Sở (TTRA)")).to_be_checked()
    assert await blocking_violations(office) == []
    await phase_end.fill("2017-12-31")
    await office.get_by_role("button", name="Lưu bản nháp kế hoạch").click()
    await expect(office.get_by_text("Đã lưu bản nháp kế hoạch")).to_be_visible()
    assert "phong_trao=" in office.url

    await office.get_by_role("link", name="Sửa kế hoạch").click()
    await expect(office.get_by_label("Mục tiêu (nhiệm vụ 2, chỉ tiêu 1)")).to_have_value("98,5")
    await office.get_by_label("Tên kế hoạch").fill(EDITED_TITLE)
    await office.get_by_role("button", name="Lưu thay đổi").click()
    await expect(office.get_by_text("Đã lưu các thay đổi của kế hoạch.")).to_be_visible()
    await expect(office.locator("p.context")).to_contain_text(EDITED_TITLE)
    await expect(office.get_by_text("Văn phòng Sở", exact=True)).to_be_visible()

    await office.get_by_role("button", name="Phát động phong trào").click()
    await expect(office.get_by_text("Đã phát động phong trào")).to_be_visible()
    await expect(office.get_by_role("link", name="Sửa kế hoạch")).to_have_count(0)
    async with office.expect_download() as started:
        await office.get_by_role("link", name="Văn bản kế hoạch (PDF)").click()
    download = await started.value
    plan = pdf_text(await asyncio.to_thread(Path(await download.path()).read_bytes))
    assert NUMBER in plan
    assert SECOND_TASK in plan
    assert "Lê Hoàng Ngọc" in plan


async def test_the_consolidated_report_of_the_demo_year(
    demo_year: str, page_as: RolePageFactory
) -> None:
    for role in (Role.OFFICE, Role.OBSERVER):
        page = await page_as(role)
        # The newest movement, the demo's 2018, and its last closed phase: the final review.
        await page.goto("/bao-cao/tong-hop")
        await expect(page.get_by_role("heading", name="Báo cáo tổng kết — Đợt 2")).to_be_visible()
        await expect(page.get_by_role("cell", name="Văn phòng Sở (VP)")).to_be_visible()
        link = page.get_by_role("link", name="Tải báo cáo tổng hợp Đợt 2 (XLSX)")
        answer = await page.request.get(str(await link.get_attribute("href")))
        assert answer.status == 200
        assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
        await page.get_by_label("Đợt thi đua").select_option("1")
        await page.get_by_role("button", name="Xem").last.click()
        await expect(page.get_by_role("heading", name="Báo cáo sơ kết — Đợt 1")).to_be_visible()
        await _check_layout(page)
