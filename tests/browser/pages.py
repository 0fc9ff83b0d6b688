"""What every browser test does with a page: launch Debian's Chromium, log in through the
console's development login, and check a screen's layout and accessibility."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from axe_playwright_python.async_playwright import Axe  # type: ignore[import-untyped]
from playwright.async_api import Browser, Page, ViewportSize, async_playwright, expect

from thidua_shared.platform.auth import Role

DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAPTOP = ViewportSize(width=1366, height=768)
TABLET = ViewportSize(width=820, height=1180)
# axe-core's own scale; the issue asks for none of the two worst.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
DEV_LOGIN_ACTION = "/dang-nhap/thu-nghiem"


def chromium_executable() -> str:
    """Debian's Chromium (THIDUA_CHROMIUM overrides the path); Playwright's own browser
    download is not reachable from where the tests run. Missing, it fails the run loudly."""
    path = Path(os.environ.get("THIDUA_CHROMIUM", DEFAULT_CHROMIUM))
    if not path.is_file():
        raise RuntimeError(
            f"no Chromium at {path}: install Debian's (apt-get install chromium "
            "fonts-dejavu-core, as .ci/run does) or point THIDUA_CHROMIUM at one"
        )
    return str(path)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_executable(), headless=True
        )
        try:
            yield browser
        finally:
            await browser.close()


async def login_as(page: Page, role: Role, unit: str | None = None) -> None:
    """Through the development login form, as a person would: pick the role, type the unit."""
    await page.goto("/dang-nhap")
    form = page.locator(f"form[action='{DEV_LOGIN_ACTION}']")
    await form.get_by_label("Vai trò").select_option(str(role))
    if unit is not None:
        await form.get_by_label("Mã đơn vị").fill(unit)
    await form.get_by_role("button").click()
    await expect(page).not_to_have_url(f"**{DEV_LOGIN_ACTION}")
    await expect(page).not_to_have_url("**/dang-nhap")


async def assert_no_horizontal_scroll(page: Page) -> None:
    """The page itself never scrolls sideways; a wide table scrolls inside its own box."""
    widths: dict[str, int] = await page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], (
        f"{page.url} scrolls sideways at {page.viewport_size}: "
        f"{widths['scroll']} px of content in {widths['inner']} px"
    )


async def blocking_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it stands, with the elements."""
    results = await Axe().run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]],
        }
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
