"""Screenshots of every main screen of the console, for the README and for reviewers:

    uv run python -m tests.browser.screenshots [--out docs/console]

Starts its own `thidua up` in a temporary directory, plays the 2018 demo against it, and
writes docs/console/<slug>.png of each `thidua_console.screens.MAIN_SCREENS` entry, as its
role sees it in a 1366×768 window (the window only, not the whole page, and in 256 colours,
to keep them small).
"""

import argparse
import asyncio
import io
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.async_api import Browser, BrowserContext

from tests.browser.pages import LAPTOP, chromium, login_as
from tests.browser.system import AllInOne, all_in_one, play_demo
from tests.support.processes import ROOT
from thidua_console.screens import MAIN_SCREENS, Screen
from thidua_shared.platform.auth import Role


async def _context_for(
    browser: Browser, system: AllInOne, screen: Screen, contexts: dict[object, BrowserContext]
) -> BrowserContext:
    """One browser context per person, logged in once."""
    key = (screen.role, screen.unit)
    if key not in contexts:
        context = await browser.new_context(base_url=system.url, viewport=LAPTOP, locale="vi-VN")
        if screen.role is not None:
            await login_as(await context.new_page(), Role(screen.role), screen.unit)
        contexts[key] = context
    return contexts[key]


def _write_small_png(shot: bytes, path: Path) -> None:
    """The screenshot with a 256-colour palette: a screen of flat colours and text loses
    nothing visible, and the file is about 40 % of the size."""
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    image.quantize(colors=256, dither=Image.Dither.NONE).save(path, optimize=True)


async def write_screenshots(out: Path) -> list[Path]:
    written = []
    with (
        tempfile.TemporaryDirectory(prefix="thidua-screenshots-") as scratch,
        tempfile.TemporaryFile(prefix="thidua-up-") as log,
    ):
        # The system's own log would drown the list of screenshots written.
        async with all_in_one(Path(scratch) / "data", log=log) as system, chromium() as browser:
            await play_demo(system, Path(scratch) / "documents")
            contexts: dict[object, BrowserContext] = {}
            for screen in MAIN_SCREENS:
                page = await (await _context_for(browser, system, screen, contexts)).new_page()
                response = await page.goto(screen.path)
                if response is None or response.status != 200:
                    status = response.status if response else "no answer"
                    raise RuntimeError(f"{screen.path} ({screen.slug}) answered {status}")
                path = out / f"{screen.slug}.png"
                shot = await page.screenshot(full_page=False)
                await asyncio.to_thread(_write_small_png, shot, path)
                await page.close()
                written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "console")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(write_screenshots(args.out)):
        sys.stdout.write(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\n")


if __name__ == "__main__":
    main()
