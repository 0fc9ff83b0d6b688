"""Logging in to the console through the agency's identity provider: the authorization code
flow with PKCE against a real OIDC provider (npm oidc-provider), whose access token the
services verify by its JWKS, with the role and unit claims it carries."""

import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import APIResponse, Page, expect

from tests.browser.conftest import PageFactory
from tests.browser.system import AllInOne, all_in_one, clean_env
from tests.browser.year import CONSOLE_UNIT
from tests.support.processes import ROOT, free_port, wait_ready
from thidua_console.navigation import HOMES
from thidua_shared.documents import XLSX_MEDIA_TYPE
from thidua_shared.platform.auth import Role

pytestmark = pytest.mark.timeout(600)

PROVIDER_MODULE = ROOT / ".ci/npm/node_modules/oidc-provider/lib/index.js"
PROVIDER_SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "thidua-console"
# The audience the services expect by default (THIDUA_AUTH_AUDIENCE).
AUDIENCE = "thidua"


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@pytest.fixture(scope="module")
def console_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
async def provider(console_port: int) -> AsyncIterator[str]:
    """The identity provider, for the console's callback; its issuer URL."""
    if not PROVIDER_MODULE.is_file():
        raise RuntimeError(
            f"no oidc-provider at {PROVIDER_MODULE}: npm install --prefix .ci/npm "
            "oidc-provider@9.13.3 (.ci/run does)"
        )
    port = free_port()
    env = {
        **clean_env(),
        "OIDC_PROVIDER_MODULE": str(PROVIDER_MODULE),
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_REDIRECT_URI": f"http://127.0.0.1:{console_port}/dang-nhap/oidc/callback",
    }
    process = subprocess.Popen(["node", str(PROVIDER_SCRIPT)], cwd=ROOT, env=env)
    issuer = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(f"{issuer}/.well-known/openid-configuration", process)
        yield issuer
    finally:
        _stop(process)


@pytest.fixture(scope="module")
async def trusting_system(
    provider: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AllInOne]:
    """`thidua up` whose services verify tokens by the provider's keys, not a local one; out
    of the demo mode, as in production."""
    trust = {
        "THIDUA_AUTH_JWKS_URL": f"{provider}/jwks",
        "THIDUA_AUTH_ISSUER": provider,
        "THIDUA_AUTH_AUDIENCE": AUDIENCE,
    }
    data_dir = tmp_path_factory.mktemp("thidua-oidc")
    async with all_in_one(data_dir, demo=False, extra_env=trust) as running:
        yield running


@pytest.fixture(scope="module")
async def oidc_console(
    trusting_system: AllInOne, provider: str, console_port: int
) -> AsyncIterator[str]:
    """The console as its own process (`python -m thidua_console serve`), in front of it."""
    url = f"http://127.0.0.1:{console_port}"
    env = {
        **clean_env(),
        "THIDUA_CONSOLE_API_URL": trusting_system.url,
        "THIDUA_CONSOLE_PUBLIC_URL": url,
        "THIDUA_CONSOLE_OIDC_ISSUER": provider,
        "THIDUA_CONSOLE_OIDC_CLIENT_ID": CLIENT_ID,
        "THIDUA_CONSOLE_SESSION_KEY": secrets.token_urlsafe(32),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "thidua_console", "serve", "--port", str(console_port)],
        cwd=ROOT,
        env=env,
    )
    try:
        await wait_ready(f"{url}/healthz", process)
        yield url
    finally:
        _stop(process)


async def _log_in_at_the_provider(page: Page, login: str) -> None:
    await page.goto("/dang-nhap")
    # No development login outside the demo mode.
    await expect(page.get_by_text("Đăng nhập thử nghiệm")).to_have_count(0)
    await page.get_by_role("link", name="Đăng nhập bằng tài khoản cơ quan").click()
    # The provider's own login page: the login names the person, any password is taken.
    await page.get_by_placeholder("Enter any login").fill(login)
    await page.get_by_placeholder("and password").fill("mat-khau")
    await page.get_by_role("button", name="Sign-in").click()


async def _member_template(page: Page, console: str) -> APIResponse:
    """The member list template through the console, which asks the API with the person's
    token: the services answer it only to a unit head or the office whose token they trust."""
    return await page.request.get(f"{console}/tai-ve/pledges/member-template", max_redirects=0)


@pytest.mark.parametrize(
    ("login", "role"),
    [(str(Role.OFFICE), Role.OFFICE), (f"{Role.UNIT_HEAD}@{CONSOLE_UNIT}", Role.UNIT_HEAD)],
    ids=["office", "unit-head"],
)
async def test_logging_in_with_the_agency_account(
    oidc_console: str, new_page: PageFactory, login: str, role: Role
) -> None:
    page = await new_page(oidc_console)
    await _log_in_at_the_provider(page, login)

    # Back at the console, at the role's home: the provider's claims named the role.
    await expect(page).to_have_url(f"{oidc_console}{HOMES[role]}")
    # The services verified the provider's access token by its keys and found the role (and a
    # unit head's unit, without which they refuse the token) in it.
    answer = await _member_template(page, oidc_console)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith(XLSX_MEDIA_TYPE)

    # Logged out, the same request is the public's, and the API refuses it.
    await page.goto(HOMES[role])
    await page.get_by_role("button", name="Đăng xuất").click()
    assert (await _member_template(page, oidc_console)).status != 200
