"""Logging in and out: OIDC (code + PKCE) with the agency's identity provider, and in the demo
mode a development login that picks a role and a unit."""

import logging
import time
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from thidua_console.navigation import HOMES
from thidua_console.oidc import LoginFailed, OidcClient
from thidua_console.session import session_of
from thidua_console.web import back, checked_form, render, text
from thidua_shared.platform.auth import AuthConfig, Role, issue_development_token
from thidua_shared.platform.rate_limit import SlidingWindow, client_address, trusted_networks

log = logging.getLogger(__name__)
router = APIRouter()
LOGIN_ROLES = (
    Role.OFFICE,
    Role.UNIT_HEAD,
    Role.COUNCIL_MEMBER,
    Role.DECISION_SIGNER,
    Role.OBSERVER,
)
DEV_TOKEN_SECONDS = 8 * 3600


def _safe_next(path: str | None) -> str:
    # Only a path of this site: an absolute URL here would make the login an open redirect.
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/"


def role_of(claims: dict[str, Any]) -> Role | None:
    names: list[object] = [claims.get("role")]
    realm = claims.get("realm_access")
    if isinstance(realm, dict) and isinstance(realm.get("roles"), list):
        names += realm["roles"]
    known = {r.value for r in Role}
    return next((Role(str(n)) for n in names if isinstance(n, str) and n in known), None)


@router.get("/dang-nhap")
async def login_page(request: Request, next: str | None = None) -> Response:
    settings = request.app.state.settings
    return render(
        request,
        "login.html",
        {
            "oidc": bool(settings.oidc_issuer),
            "roles": LOGIN_ROLES,
            "next": _safe_next(next),
        },
    )


@router.post("/dang-nhap/thu-nghiem")
async def development_login(request: Request) -> Response:
    settings = request.app.state.settings
    if not settings.dev_login:
        return render(request, "not_found.html", status=404)
    window: SlidingWindow = request.app.state.dev_login_window
    wait = window.take(client_address(request, trusted_networks(settings.trusted_gateways)))
    if wait is not None:
        response = render(request, "login.html", _login_refusal(request, "too-many"), 429)
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response
    form = await checked_form(request)
    chosen, unit = text(form, "role"), text(form, "unit")
    if chosen not in {r.value for r in LOGIN_ROLES}:
        return render(request, "login.html", _login_refusal(request, "role"), 422)
    role = Role(chosen)
    if role is Role.UNIT_HEAD and not unit:
        return render(request, "login.html", _login_refusal(request, "unit"), 422)
    config = AuthConfig(
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        signing_key=settings.auth_signing_key,
        jwks_url=None,
    )
    unit_code = unit if role is Role.UNIT_HEAD else None
    token = issue_development_token(
        config, role, unit_code=unit_code, ttl_seconds=DEV_TOKEN_SECONDS
    )
    session = session_of(request)
    name = f"Thử nghiệm: {unit_code}" if unit_code else "Thử nghiệm"
    session.log_in(token, role, unit_code, name, time.time() + DEV_TOKEN_SECONDS)
    target = _safe_next(text(form, "next"))
    return back(request, target if target != "/" else HOMES[role])


def _login_refusal(request: Request, reason: str) -> dict[str, Any]:
    messages = {
        "too-many": "Đăng nhập thử quá nhiều lần; hãy thử lại sau một phút.",
        "role": "Hãy chọn một vai trò.",
        "unit": "Thủ trưởng đơn vị cần nhập mã đơn vị.",
        "oidc": "Không đăng nhập được qua tài khoản cơ quan; hãy thử lại.",
    }
    return {
        "oidc": bool(request.app.state.settings.oidc_issuer),
        "roles": LOGIN_ROLES,
        "next": "/",
        "login_error": messages[reason],
        "login_error_field": "unit" if reason == "unit" else "role" if reason == "role" else None,
    }


@router.get("/dang-nhap/oidc")
async def oidc_start(request: Request, next: str | None = None) -> Response:
    oidc: OidcClient | None = request.app.state.oidc
    if oidc is None:
        return render(request, "not_found.html", status=404)
    try:
        started = await oidc.start(_safe_next(next))
    except (httpx.HTTPError, ValueError, KeyError):
        log.warning("the identity provider's discovery failed", exc_info=True)
        return render(request, "login.html", _login_refusal(request, "oidc"), 503)
    session = session_of(request)
    session.oidc = started.pending
    session.changed = True
    return RedirectResponse(started.redirect_to, status_code=303)


@router.get("/dang-nhap/oidc/callback")
async def oidc_callback(
    request: Request, state: str = "", code: str = "", error: str = ""
) -> Response:
    oidc: OidcClient | None = request.app.state.oidc
    if oidc is None:
        return render(request, "not_found.html", status=404)
    session = session_of(request)
    pending = session.oidc
    if not pending or not state or state != pending.get("state") or error or not code:
        log.warning("OIDC callback refused: state mismatch, no code or error %r", error[:100])
        session.oidc, session.changed = None, True
        return render(request, "login.html", _login_refusal(request, "oidc"), 400)
    try:
        identity = await oidc.finish(pending, code)
    except (LoginFailed, httpx.HTTPError, ValueError, KeyError) as exc:
        log.warning("OIDC login failed: %s", exc)
        session.oidc, session.changed = None, True
        return render(request, "login.html", _login_refusal(request, "oidc"), 400)
    role = role_of(identity.claims)
    if role is None:
        session.oidc, session.changed = None, True
        return render(request, "no_role.html", status=403)
    unit = identity.claims.get("unit")
    name = str(
        identity.claims.get("name")
        or identity.claims.get("preferred_username")
        or identity.claims.get("sub", "")
    )
    session.log_in(
        identity.api_token,
        role,
        unit if isinstance(unit, str) else None,
        name,
        identity.expires_at,
    )
    target = pending.get("next") or "/"
    return back(request, target if target != "/" else HOMES[role])


@router.post("/dang-xuat")
async def logout(request: Request) -> Response:
    await checked_form(request)
    session_of(request).log_out()
    return back(request, "/", "Đã đăng xuất.")
