"""The authorization code flow with PKCE (S256) against the configured identity provider:
discovery, the redirect with state and nonce, the code exchanged for tokens, and the ID token
checked (signature by the provider's keys, issuer, audience, expiry, the nonce sent)."""

import base64
import contextlib
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from thidua_console.settings import ConsoleSettings

ALGORITHMS = ["RS256", "PS256", "ES256"]


class LoginFailed(Exception):
    """The provider's answer could not be trusted or used; the reason is for the log."""


@dataclass(frozen=True)
class Started:
    redirect_to: str
    pending: dict[str, str]


@dataclass(frozen=True)
class Identity:
    api_token: str
    claims: dict[str, Any]
    expires_at: float


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    def __init__(self, settings: ConsoleSettings, http: httpx.AsyncClient) -> None:
        assert settings.oidc_issuer
        self.settings = settings
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.http = http
        self._metadata: dict[str, Any] | None = None

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            answer = await self.http.get(f"{self.issuer}/.well-known/openid-configuration")
            answer.raise_for_status()
            self._metadata = answer.json()
        return self._metadata

    async def start(self, next_path: str) -> Started:
        metadata = await self.metadata()
        pending = {
            "state": secrets.token_urlsafe(24),
            "nonce": secrets.token_urlsafe(24),
            "verifier": secrets.token_urlsafe(48),
            "next": next_path,
        }
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.settings.oidc_client_id,
                "redirect_uri": self.settings.redirect_uri,
                "scope": self.settings.oidc_scope,
                "state": pending["state"],
                "nonce": pending["nonce"],
                "code_challenge": _challenge(pending["verifier"]),
                "code_challenge_method": "S256",
            }
        )
        return Started(f"{metadata['authorization_endpoint']}?{query}", pending)

    async def finish(self, pending: dict[str, str], code: str) -> Identity:
        metadata = await self.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.settings.redirect_uri,
            "client_id": self.settings.oidc_client_id,
            "code_verifier": pending["verifier"],
        }
        if self.settings.oidc_client_secret:
            form["client_secret"] = self.settings.oidc_client_secret
        answer = await self.http.post(metadata["token_endpoint"], data=form)
        if answer.status_code != 200:
            raise LoginFailed(f"token endpoint answered {answer.status_code}: {answer.text[:200]}")
        tokens = answer.json()
        id_claims = await self._verified_id_token(metadata, str(tokens.get("id_token", "")))
        if not secrets.compare_digest(str(id_claims.get("nonce", "")), pending["nonce"]):
            raise LoginFailed("the ID token's nonce is not the one sent")
        api_token = str(tokens.get(self.settings.oidc_api_token) or "")
        if not api_token:
            raise LoginFailed(f"the provider sent no {self.settings.oidc_api_token}")
        # Who the user is, for the menus: the access token's claims when it is a JWT (the
        # services read the same), else the ID token's. The API verifies the token itself.
        claims = dict(id_claims)
        with contextlib.suppress(jwt.InvalidTokenError):
            claims |= jwt.decode(api_token, options={"verify_signature": False})
        lifetime = float(tokens.get("expires_in") or 0) or 3600.0
        return Identity(api_token, claims, time.time() + lifetime)

    async def _verified_id_token(self, metadata: dict[str, Any], token: str) -> dict[str, Any]:
        if not token:
            raise LoginFailed("no ID token")
        keys = await self.http.get(metadata["jwks_uri"])
        keys.raise_for_status()
        try:
            header = jwt.get_unverified_header(token)
            key_set = jwt.PyJWKSet.from_dict(keys.json())
            key = next((k for k in key_set.keys if header.get("kid") in (None, k.key_id)), None)
            if key is None:
                raise LoginFailed("the ID token's key is not among the provider's")
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=ALGORITHMS,
                audience=self.settings.oidc_client_id,
                issuer=metadata.get("issuer", self.issuer),
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise LoginFailed(f"the ID token was refused: {exc}") from exc
        return claims
