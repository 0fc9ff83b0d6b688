"""The web console: server-rendered pages over the public API, with the user's own token.

`create_console_app(settings)` builds it; the HTTP client (and the OIDC client, when an issuer
is configured) are made in the lifespan. The console owns no data: every page is an API call.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from thidua_console import login
from thidua_console.api import ApiProblem, LoginRequired
from thidua_console.oidc import OidcClient
from thidua_console.pages import ROUTERS
from thidua_console.problems import Problem
from thidua_console.session import SessionMiddleware, session_of
from thidua_console.settings import ConsoleSettings
from thidua_console.web import HERE, CsrfRefused, RoleRequired, render
from thidua_shared.platform.rate_limit import SlidingWindow

log = logging.getLogger(__name__)
API_TIMEOUT_SECONDS = 60.0


def create_console_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with (
            httpx.AsyncClient(
                base_url=settings.api_url.rstrip("/"), timeout=API_TIMEOUT_SECONDS
            ) as api_http,
            httpx.AsyncClient(timeout=15.0) as provider_http,
        ):
            app.state.http = api_http
            app.state.oidc = OidcClient(settings, provider_http) if settings.oidc_issuer else None
            yield

    app = FastAPI(
        title="thidua console",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.oidc = None
    app.state.dev_login_window = SlidingWindow(settings.dev_login_per_minute, 60.0)
    app.add_middleware(
        SessionMiddleware,
        secret=settings.signing_secret(),
        max_age=settings.session_max_age_seconds,
        secure=settings.cookie_secure,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(login.router)
    for router in ROUTERS:
        app.include_router(router)

    # Alive and ready are one: the console holds no connection of its own to wait for, and a
    # page whose API call fails says so itself.
    @app.get("/healthz", include_in_schema=False)
    @app.get("/readyz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    _add_error_pages(app)
    return app


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: Exception) -> Response:
        problem = Problem.from_body(403, {"code": "csrf"})
        return render(request, "error.html", {"error": problem}, 403)

    @app.exception_handler(RoleRequired)
    async def role_required(request: Request, exc: Exception) -> Response:
        if session_of(request).user_role is None:
            query = urlencode({"next": request.url.path})
            return RedirectResponse(f"/dang-nhap?{query}", status_code=303)
        problem = Problem.from_body(403, {"code": "forbidden"})
        return render(request, "error.html", {"error": problem}, 403)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: Exception) -> Response:
        session = session_of(request)
        session.log_out()
        session.report(Problem.from_body(401, {"code": "unauthenticated"}).to_flash())
        query = urlencode({"next": request.url.path})
        return RedirectResponse(f"/dang-nhap?{query}", status_code=303)

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        # A page the API could not give: its own status when a 4xx, else "unavailable".
        status = exc.problem.status if 400 <= exc.problem.status < 500 else 503
        return render(request, "error.html", {"error": exc.problem}, status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        where = [str(part) for part in errors[0]["loc"][1:]] if errors else []
        problem = Problem.from_body(422, {"code": "validation", "field": ".".join(where)})
        return render(request, "error.html", {"error": problem}, 422)

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        return render(request, "not_found.html", status=404)
