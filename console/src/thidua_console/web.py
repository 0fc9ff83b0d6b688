"""What every page shares: the templates with the console's filters, the session's messages,
the navigation of the user's role, the form's CSRF check and the API client of the request."""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from thidua_console.api import Api, ApiProblem
from thidua_console.formatting import FILTERS
from thidua_console.navigation import navigation_for
from thidua_console.problems import Problem
from thidua_console.session import Session, session_of
from thidua_shared.platform.auth import Role

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(FILTERS)
templates.env.globals["urlencode"] = urlencode


class CsrfRefused(Exception):
    """A form sent without this session's CSRF token: possibly from another site."""


class RoleRequired(Exception):
    """A screen of another role: the console does not show it (the API would refuse anyway)."""


def api_of(request: Request) -> Api:
    session = session_of(request)
    http: httpx.AsyncClient = request.app.state.http
    return Api(http, session.token if session.logged_in else None)


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    session = session_of(request)
    notice, saved_problem = session.take_messages()
    role = session.user_role
    values = {
        "session": session,
        "role": role,
        "csrf": session.csrf,
        "notice": notice,
        "problem": Problem.from_flash(saved_problem) if saved_problem else None,
        "navigation": navigation_for(role),
        "current_path": request.url.path,
        "dev_login": request.app.state.settings.dev_login,
        **(context or {}),
    }
    return templates.TemplateResponse(request, template, values, status_code=status)


async def checked_form(request: Request) -> FormData:
    """The submitted form, once its CSRF token is this session's."""
    form = await request.form()
    if not session_of(request).csrf_matches(form):
        raise CsrfRefused
    return form


def require(request: Request, *roles: Role) -> Session:
    session = session_of(request)
    if session.user_role is None:
        raise RoleRequired
    if roles and session.user_role not in roles:
        raise RoleRequired
    return session


def back(request: Request, path: str, notice: str | None = None) -> RedirectResponse:
    """POST-redirect-GET: the page again, with what happened said on it."""
    if notice:
        session_of(request).say(notice)
    return RedirectResponse(path, status_code=303)


def refused(request: Request, path: str, error: ApiProblem) -> RedirectResponse:
    session_of(request).report(error.problem.to_flash())
    return RedirectResponse(path, status_code=303)


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def with_campaign(path: str, campaign_id: str | None) -> str:
    return f"{path}?{urlencode({'phong_trao': campaign_id})}" if campaign_id else path
