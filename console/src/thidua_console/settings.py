"""The console's settings, from the environment (prefix THIDUA_CONSOLE_).

Secrets may come as files, as elsewhere in the project: THIDUA_CONSOLE_SESSION_KEY_FILE,
THIDUA_CONSOLE_OIDC_CLIENT_SECRET_FILE and THIDUA_AUTH_SIGNING_KEY_FILE hold the value.
"""

import logging
import secrets
from pathlib import Path
from typing import Literal, Self

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="THIDUA_CONSOLE_", extra="ignore", populate_by_name=True
    )

    # The gateway the console calls the public API through, with the user's own token.
    api_url: str = "http://127.0.0.1:8000"
    # The console's own external address: the OIDC redirect URI is built on it.
    public_url: str = "http://127.0.0.1:8000"
    oidc_issuer: str | None = None
    oidc_client_id: str = "thidua-console"
    # Without a secret the console is a public client, protected by PKCE alone.
    oidc_client_secret: str | None = None
    oidc_client_secret_file: Path | None = None
    oidc_scope: str = "openid profile"
    # The token sent to the API: the access token (Keycloak's is a JWT the services verify), or
    # the ID token, for a provider whose access tokens are opaque.
    oidc_api_token: Literal["access_token", "id_token"] = "access_token"
    # Signs the session cookie. Without one a random key is made at start-up, so sessions end
    # with the process: fine for one machine, wrong for replicas (set it there).
    session_key: str | None = None
    session_key_file: Path | None = None
    session_max_age_seconds: int = Field(default=8 * 3600, gt=0)
    # Secure cookies need HTTPS; the all-in-one mode serves plain HTTP on the loopback.
    cookie_secure: bool = False
    dev_login: bool = False
    # Development logins per client address per minute.
    dev_login_per_minute: int = Field(default=60, gt=0)
    # The public page's movement when no ?phong_trao= is given: the public may not list
    # movements, so an operator names the one to show.
    public_campaign_id: str | None = None
    trusted_gateways: str = Field(
        default="", validation_alias=AliasChoices("THIDUA_TRUSTED_GATEWAYS")
    )

    # The development login signs tokens with the key the services verify in the all-in-one
    # mode, as `thidua token` does.
    auth_signing_key: str | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AUTH_SIGNING_KEY")
    )
    auth_signing_key_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AUTH_SIGNING_KEY_FILE")
    )
    auth_issuer: str = Field(
        default="thidua-dev", validation_alias=AliasChoices("THIDUA_AUTH_ISSUER")
    )
    auth_audience: str = Field(
        default="thidua", validation_alias=AliasChoices("THIDUA_AUTH_AUDIENCE")
    )

    @model_validator(mode="after")
    def _read_secret_files(self) -> Self:
        for field, variable in (
            ("session_key", "THIDUA_CONSOLE_SESSION_KEY"),
            ("oidc_client_secret", "THIDUA_CONSOLE_OIDC_CLIENT_SECRET"),
            ("auth_signing_key", "THIDUA_AUTH_SIGNING_KEY"),
        ):
            path: Path | None = getattr(self, f"{field}_file")
            if path is None:
                continue
            if getattr(self, field):
                raise ValueError(f"set {variable} or {variable}_FILE, not both")
            value = path.read_text(encoding="utf-8").strip()
            if not value:
                raise ValueError(f"{variable}_FILE names an empty file")
            setattr(self, field, value)
        if self.dev_login and not self.auth_signing_key:
            raise ValueError("THIDUA_CONSOLE_DEV_LOGIN needs THIDUA_AUTH_SIGNING_KEY")
        return self

    def signing_secret(self) -> str:
        if self.session_key:
            return self.session_key
        log.warning("no THIDUA_CONSOLE_SESSION_KEY: sessions end when the console stops")
        self.session_key = secrets.token_urlsafe(48)
        return self.session_key

    @property
    def redirect_uri(self) -> str:
        return self.public_url.rstrip("/") + "/dang-nhap/oidc/callback"
