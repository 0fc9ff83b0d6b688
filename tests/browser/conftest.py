"""The browser suite's fixtures: one `thidua up` for the session with the 2018 demo played
against it once, Debian's Chromium through Playwright, and pages that talk to that system."""

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, StorageState, ViewportSize

from tests.browser.pages import LAPTOP, chromium, login_as
from tests.browser.system import AllInOne, all_in_one, play_demo
from thidua_shared.platform.auth import Role

PageFactory = Callable[..., Awaitable[Page]]
RolePageFactory = Callable[..., Awaitable[Page]]
# Who is logged in to which console: (console URL, role, unit).
Login = tuple[str, Role, str | None]


@pytest.fixture(scope="session")
async def system(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AllInOne]:
    async with all_in_one(tmp_path_factory.mktemp("thidua-console")) as running:
        yield running


@pytest.fixture(scope="session")
async def demo_year(system: AllInOne, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The 2018 year played once against the session's system (`thidua demo`): its printout.
    The demo plays one year per system, so whatever needs a fresh year runs its own."""
    return await play_demo(system, tmp_path_factory.mktemp("demo-documents"))


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


@pytest.fixture
async def new_page(browser: Browser) -> AsyncIterator[PageFactory]:
    """Pages in contexts of their own (one person's cookies each), closed after the test."""
    contexts: list[BrowserContext] = []

    async def open_page(
        base_url: str, viewport: ViewportSize = LAPTOP, storage_state: StorageState | None = None
    ) -> Page:
        context = await browser.new_context(
            base_url=base_url,
            viewport=viewport,
            locale="vi-VN",
            accept_downloads=True,
            storage_state=storage_state,
        )
        contexts.append(context)
        return await context.new_page()

    yield open_page
    for context in contexts:
        await context.close()


@pytest.fixture
async def page(new_page: PageFactory, system: AllInOne) -> Page:
    return await new_page(system.url)


@pytest.fixture(scope="session")
def logins() -> dict[Login, StorageState]:
    """Each person's session cookie, kept after their first login: the development login is
    rate-limited per address, and logging in again for every screen would only repeat it."""
    return {}


@pytest.fixture
async def page_as(
    new_page: PageFactory, logins: dict[Login, StorageState], system: AllInOne
) -> RolePageFactory:
    """A page logged in as the role (and unit); with no role, the public's."""

    async def open_as(
        role: Role | None,
        unit: str | None = None,
        *,
        base_url: str = system.url,
        viewport: ViewportSize = LAPTOP,
    ) -> Page:
        if role is None:
            return await new_page(base_url, viewport)
        key = (base_url, role, unit)
        if key in logins:
            return await new_page(base_url, viewport, logins[key])
        page = await new_page(base_url, viewport)
        await login_as(page, role, unit)
        logins[key] = await page.context.storage_state()
        return page

    return open_as


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    return tmp_path
