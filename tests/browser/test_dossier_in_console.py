"""After the 2018 decision, in the browser: the office and the signer open the dossier the demo
sent to the Chủ tịch UBND tỉnh and download its tờ trình; the office publishes an exemplar, is
told beside the field when it names the same one twice, and finds it on the public page; last,
it revokes one more award and downloads the revocation. The demo year is the session's: what
this changes (one exemplar, one award revoked that paid nothing) no other test counts."""

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import RolePageFactory
from tests.browser.pages import TABLET, assert_no_horizontal_scroll, blocking_violations
from tests.browser.system import AllInOne
from tests.browser.year import tokens
from thidua_shared.platform.auth import Role
from thidua_shared.testing import pdf_text

pytestmark = pytest.mark.timeout(600)

STORY = (
    "Tập thể đi đầu chuyển đổi số: toàn bộ hồ sơ một cửa được số hóa, thời gian giải quyết "
    "thủ tục hành chính rút từ 5 ngày xuống 2 ngày làm việc."
)
REASON = "Phát hiện kê khai sai kết quả công việc trong hồ sơ đề nghị."


async def _read(system: AllInOne, path: str, params: dict[str, str] | None = None) -> Any:
    token = tokens(system.data_dir)(Role.OBSERVER, None)
    async with httpx.AsyncClient(base_url=system.url, timeout=60) as http:
        answer = await http.get(path, params=params, headers={"Authorization": f"Bearer {token}"})
    answer.raise_for_status()
    return answer.json()


async def _year_2018(system: AllInOne) -> str:
    campaigns = await _read(system, "/campaigns/campaigns", {"limit": "100"})
    [campaign] = [c for c in campaigns["items"] if c["document_number"] == "60/KH-STTTT"]
    return str(campaign["id"])


async def _checked(page: Page) -> None:
    """No serious or critical axe finding, and no sideways scroll on a laptop or a tablet."""
    assert await blocking_violations(page) == []
    await assert_no_horizontal_scroll(page)
    laptop = page.viewport_size
    await page.set_viewport_size(TABLET)
    await assert_no_horizontal_scroll(page)
    assert laptop is not None
    await page.set_viewport_size(laptop)


async def _downloaded_pdf(page: Page, link: str) -> str:
    async with page.expect_download() as started:
        await page.get_by_role("link", name=link).click()
    download = await started.value
    return pdf_text(await asyncio.to_thread(Path(await download.path()).read_bytes))


async def test_the_dossier_an_exemplar_and_a_revocation_in_the_console(
    demo_year: str, system: AllInOne, page_as: RolePageFactory
) -> None:
    campaign_id = await _year_2018(system)
    here = f"?phong_trao={campaign_id}"

    for role in (Role.OFFICE, Role.DECISION_SIGNER):
        page = await page_as(role)
        await page.goto("/quyet-dinh" + here)
        await page.get_by_role("link", name="Hồ sơ đề nghị cấp trên khen thưởng").click()
        await expect(page.get_by_role("heading", name="Tờ trình 16/TTr-STTTT")).to_be_visible()
        await expect(page.get_by_text("Cấp trên đã quyết định")).to_be_visible()
        await expect(page.get_by_text("Quyết định 512/QĐ-UBND của cấp trên")).to_be_visible()
        proposal = await _downloaded_pdf(page, "Tờ trình 16/TTr-STTTT kèm danh sách đề nghị (PDF)")
        assert "TỜ TRÌNH" in proposal
        await _checked(page)

    office = await page_as(Role.OFFICE)
    await office.goto("/dien-hinh" + here)
    dossiers = await _read(system, "/awards/dossiers", {"campaign_id": campaign_id})
    dossier = await _read(system, f"/awards/dossiers/{dossiers['items'][0]['id']}")
    chosen = next(g for g in dossier["granted"] if g["subject_kind"] == "unit")
    subject = f"{chosen['subject_kind']}|{chosen['subject_code']}|{chosen['subject_name']}"
    for attempt in ("first", "again"):
        await office.get_by_label("Tập thể, cá nhân").select_option(subject)
        await office.get_by_label("Gương điển hình").fill(STORY)
        await office.get_by_role("button", name="Đăng lên trang công khai").click()
        if attempt == "first":
            await expect(office.get_by_role("status")).to_contain_text("Đã đăng điển hình")
    # The same one twice: said beside the field, with the story as typed.
    await expect(office.get_by_text("đã là điển hình của phong trào").first).to_be_visible()
    await expect(office.get_by_label("Gương điển hình")).to_have_value(STORY)
    await _checked(office)
    public = await page_as(None)
    await public.goto("/cong-khai" + here)
    await expect(public.get_by_role("heading", name=chosen["subject_name"])).to_be_visible()
    await expect(public.get_by_text(STORY)).to_be_visible()

    # Last: one more award revoked, its document downloaded; one paid nothing (its holder's
    # higher title was paid instead), so that the decision's total stays as the demo left it.
    decisions = await _read(system, "/awards/public/decisions", {"campaign_id": campaign_id})
    [listed] = decisions["items"]
    decision = await _read(system, f"/awards/public/decisions/{listed['id']}")
    award = next(
        a
        for a in decision["awards"]
        if a["title"] == "lao_dong_tien_tien" and a["bonus_vnd"] == 0 and not a["revoked_at"]
    )
    await office.goto("/quyet-dinh" + here)
    await office.get_by_role(
        "link", name=f"Hủy bỏ danh hiệu trong Quyết định {decision['number']}"
    ).click()
    await office.get_by_label("Danh hiệu bị hủy bỏ").select_option(
        f"{award['subject_kind']}|{award['subject_code']}|{award['title']}"
    )
    await office.get_by_label("Lý do hủy bỏ").fill(REASON)
    await office.get_by_label("Số quyết định hủy bỏ").fill("43/QĐ-STTTT")
    await office.get_by_label("Ngày ký quyết định hủy bỏ").fill("2019-03-20")
    await office.get_by_role("button", name="Hủy bỏ danh hiệu").click()
    await expect(office.get_by_role("status")).to_contain_text("Đã hủy bỏ danh hiệu")
    await _checked(office)
    revocation = await _downloaded_pdf(office, f"Quyết định hủy bỏ — {award['subject_name']} (PDF)")
    assert "43/QĐ-STTTT" in revocation
    assert award["subject_name"] in revocation
