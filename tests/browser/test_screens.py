"""Every main screen of the console, after the 2018 demo year: it answers 200 to its role,
axe-core finds nothing serious or critical on it, and it does not scroll sideways on a laptop
(1366×768) or a tablet (820×1180)."""

import pytest

from tests.browser.conftest import RolePageFactory
from tests.browser.pages import TABLET, assert_no_horizontal_scroll, blocking_violations
from thidua_console.screens import MAIN_SCREENS, Screen
from thidua_shared.platform.auth import Role

# The first test pays for starting the system and playing the demo year.
pytestmark = pytest.mark.timeout(600)


@pytest.mark.parametrize("screen", MAIN_SCREENS, ids=[s.slug for s in MAIN_SCREENS])
async def test_main_screen(screen: Screen, demo_year: str, page_as: RolePageFactory) -> None:
    page = await page_as(Role(screen.role) if screen.role else None, screen.unit)
    response = await page.goto(screen.path)
    assert response is not None
    assert response.status == 200, f"{screen.path} answered {response.status}"
    assert await blocking_violations(page) == []
    await assert_no_horizontal_scroll(page)
    await page.set_viewport_size(TABLET)
    await assert_no_horizontal_scroll(page)
