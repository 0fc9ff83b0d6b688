"""The session: a signed cookie (HttpOnly, SameSite=Lax) holding the access token, who the user
is, the CSRF token of every form, a login in progress and the message for the next page.

The console keeps nothing on the server: the cookie is all it knows of a user, signed so it
cannot be forged and dated so an old one is refused.
"""

import hmac
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import FormData
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from thidua_shared.platform.auth import Role

COOKIE = "thidua_console"
CSRF_FIELD = "csrf"


@dataclass
class Session:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    token: str | None = None
    role: str | None = None
    unit: str | None = None
    name: str | None = None
    expires_at: float | None = None
    # A login under way with the identity provider: state, nonce, PKCE verifier, where to go.
    oidc: dict[str, str] | None = None
    # What the next page says: a success, or a problem the API answered (problems.Problem).
    notice: str | None = None
    problem: dict[str, Any] | None = None
    changed: bool = field(default=False, repr=False)

    @property
    def logged_in(self) -> bool:
        return bool(self.token) and (self.expires_at is None or self.expires_at > time.time())

    @property
    def user_role(self) -> Role | None:
        return Role(self.role) if self.logged_in and self.role in set(Role) else None

    def log_in(
        self, token: str, role: Role, unit: str | None, name: str, expires_at: float
    ) -> None:
        # A new CSRF token with every login, so a token seen before it is worth nothing after.
        self.csrf = secrets.token_urlsafe(24)
        self.token, self.role, self.unit, self.name = token, str(role), unit, name
        self.expires_at = expires_at
        self.oidc = None
        self.changed = True

    def log_out(self) -> None:
        self.csrf = secrets.token_urlsafe(24)
        self.token = self.role = self.unit = self.name = None
        self.expires_at = None
        self.changed = True

    def say(self, notice: str) -> None:
        self.notice, self.changed = notice, True

    def report(self, problem: dict[str, Any]) -> None:
        self.problem, self.changed = problem, True

    def take_messages(self) -> tuple[str | None, dict[str, Any] | None]:
        notice, problem = self.notice, self.problem
        if notice or problem:
            self.notice = self.problem = None
            self.changed = True
        return notice, problem

    def csrf_matches(self, form: FormData) -> bool:
        sent = form.get(CSRF_FIELD)
        return isinstance(sent, str) and hmac.compare_digest(sent, self.csrf)


def session_of(request: Request) -> Session:
    found = getattr(request.state, "session", None)
    if not isinstance(found, Session):
        # A page answered outside the middleware's care (a static file's 404): anonymous.
        found = request.state.session = Session()
    return found


class SessionMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, *, secret: str, max_age: int, secure: bool) -> None:
        super().__init__(app)
        self.serializer = URLSafeTimedSerializer(secret, salt="thidua-console-session")
        self.max_age = max_age
        self.secure = secure

    def _load(self, request: Request) -> Session:
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                saved = self.serializer.loads(raw, max_age=self.max_age)
                if isinstance(saved, dict):
                    return Session(**{k: v for k, v in saved.items() if k != "changed"})
            except (BadSignature, TypeError):
                pass
        return Session(changed=True)

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.url.path.startswith("/static/") or request.url.path in ("/healthz", "/readyz"):
            return await call_next(request)
        session = self._load(request)
        request.state.session = session
        response = await call_next(request)
        if session.changed:
            saved = {k: v for k, v in asdict(session).items() if k != "changed"}
            response.set_cookie(
                COOKIE,
                self.serializer.dumps(saved),
                max_age=self.max_age,
                httponly=True,
                samesite="lax",
                secure=self.secure,
                path="/",
            )
        return response
