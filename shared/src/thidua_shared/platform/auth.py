"""Who is calling: OAuth2 bearer tokens (JWT) verified by every service, roles, access rules.

Every route declares its rule with exactly one of `allow(...)` or `PUBLIC`; the access matrix
test finds routes without one. Object-level checks (the unit on the record is the caller's
unit) belong to the service layer, through `Principal.may_act_for`.
"""

import asyncio
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request

from thidua_shared.platform.errors import ProblemError


class Role(StrEnum):
    OFFICE = "office"  # thường trực hội đồng: manages campaigns, reviews, compiles
    UNIT_HEAD = "unit_head"  # thủ trưởng đơn vị: registers and reports for their own unit
    COUNCIL_MEMBER = "council_member"
    DECISION_SIGNER = "decision_signer"
    OBSERVER = "observer"  # read-only, e.g. the provincial commendation board
    INTEGRATION = "integration"  # machine-to-machine, read-only for now


ANY_ROLE = tuple(Role)
READERS = (Role.OFFICE, Role.COUNCIL_MEMBER, Role.DECISION_SIGNER, Role.OBSERVER, Role.INTEGRATION)


class Unauthenticated(ProblemError):
    status = 401
    title = "Unauthenticated"
    code = "unauthenticated"
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}  # noqa: RUF012


class Forbidden(ProblemError):
    status = 403
    title = "Forbidden"
    code = "forbidden"


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    unit_code: str | None

    def may_act_for(self, unit_code: str) -> bool:
        """Unit heads act for their own unit only; the other roles are not bound to a unit."""
        return self.role is not Role.UNIT_HEAD or self.unit_code == unit_code


@dataclass(frozen=True)
class AuthConfig:
    issuer: str
    audience: str
    signing_key: str | None
    jwks_url: str | None


class TokenVerifier:
    """Signature (JWKS or a configured shared key), issuer, audience, expiry, algorithm list."""

    # A shared key only ever verifies HMAC tokens and JWKS keys only asymmetric ones, so a
    # public key can never be used as an HMAC secret; "none" is never accepted.
    SHARED_KEY_ALGORITHMS = ("HS256",)
    JWKS_ALGORITHMS = ("RS256", "PS256", "ES256")

    def __init__(self, config: AuthConfig) -> None:
        if not (config.signing_key or config.jwks_url):
            raise RuntimeError(
                "No token verification configured: set THIDUA_AUTH_JWKS_URL (an OIDC "
                "provider's keys) or THIDUA_AUTH_SIGNING_KEY (development and all-in-one)"
            )
        self._config = config
        self._jwks = jwt.PyJWKClient(config.jwks_url, cache_keys=True) if config.jwks_url else None

    async def verify(self, token: str) -> Principal:
        try:
            if self._jwks is not None:
                signing = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
                key: Any = signing.key
                algorithms = list(self.JWKS_ALGORITHMS)
            else:
                key = self._config.signing_key
                algorithms = list(self.SHARED_KEY_ALGORITHMS)
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._config.audience,
                issuer=self._config.issuer,
                leeway=30,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthenticated(
                f"The bearer token was refused: {exc}.", field="Authorization"
            ) from exc
        return _principal(claims)


def _principal(claims: dict[str, Any]) -> Principal:
    names = [claims.get("role")]
    # Keycloak and other OIDC providers put realm roles here.
    names += list(claims.get("realm_access", {}).get("roles", []))
    known = {r.value for r in Role}
    role = next((Role(n) for n in names if n in known), None)
    if role is None:
        raise Unauthenticated("The token carries no thidua role.", field="Authorization")
    unit = claims.get("unit")
    if role is Role.UNIT_HEAD and not unit:
        raise Unauthenticated("A unit head's token must name the unit.", field="Authorization")
    return Principal(subject=str(claims["sub"]), role=role, unit_code=unit)


async def current_principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated(
            "Send an OAuth2 bearer token in the Authorization header.", field="Authorization"
        )
    verifier: TokenVerifier = request.app.state.runtime.verifier
    principal = await verifier.verify(token.strip())
    request.state.principal = principal
    return principal


def allow(*roles: Role) -> Any:
    """The route's access rule: the roles that may call it."""

    async def rule(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"The {principal.role} role may not do this.", field="Authorization")
        return principal

    rule.access_roles = frozenset(roles)  # type: ignore[attr-defined]
    return Depends(rule)


async def _public() -> None:
    return None


_public.access_roles = None  # type: ignore[attr-defined]
PUBLIC: Any = Depends(_public)


def issue_development_token(
    config: AuthConfig,
    role: Role,
    *,
    unit_code: str | None = None,
    subject: str | None = None,
    ttl_seconds: int = 8 * 3600,
) -> str:
    """A token signed with the shared development key (all-in-one mode and tests only)."""
    if not config.signing_key:
        raise RuntimeError("Development tokens need THIDUA_AUTH_SIGNING_KEY.")
    now = int(time.time())
    claims = {
        "iss": config.issuer,
        "aud": config.audience,
        "sub": subject or f"{role}:{unit_code or 'agency'}",
        "iat": now,
        "exp": now + ttl_seconds,
        "role": str(role),
    }
    if unit_code:
        claims["unit"] = unit_code
    return jwt.encode(claims, config.signing_key, algorithm="HS256")
