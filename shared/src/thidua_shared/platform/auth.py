"""Who is calling: OAuth2 bearer tokens (JWT) verified by every service, roles, access rules.

Every route declares its rule with exactly one of `allow(...)` or `PUBLIC`; the access matrix
test finds routes without one. Object-level checks (the unit on the record is the caller's
unit) belong to the service layer, through `Principal.may_act_for`.
"""

import asyncio
import logging
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request

from thidua_shared.platform.errors import ProblemError

log = logging.getLogger(__name__)

# Identity providers sign tokens for minutes or hours; a longer one is a leaked or forged
# credential that would stay valid for as long as it says.
DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600
# What a refused caller is told, whatever the reason: naming the failed check would tell an
# attacker which part of a forged token to fix. The reason goes to the log.
REFUSED = "The bearer token was refused."
UNIT_CODE_MAX_LENGTH = 50
SUBJECT_MAX_LENGTH = 200


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
    max_token_lifetime_seconds: int = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS


class TokenVerifier:
    """Signature (JWKS or a configured shared key), issuer, audience, expiry, algorithm list."""

    # A shared key only ever verifies HMAC tokens and JWKS keys only asymmetric ones, so a
    # public key can never be used as an HMAC secret; "none" is never accepted.
    SHARED_KEY_ALGORITHMS = ("HS256",)
    JWKS_ALGORITHMS = ("RS256", "PS256", "ES256")
    # A caller sends the same token with every request until it expires; checking it again
    # each time (PyJWT: about 0.35 ms) cost more CPU than the rest of the request's auth. A
    # verified token is kept, by its exact text, until its `exp`; the oldest go first.
    CACHE_SIZE = 4096

    def __init__(self, config: AuthConfig) -> None:
        if not (config.signing_key or config.jwks_url):
            raise RuntimeError(
                "No token verification configured: set THIDUA_AUTH_JWKS_URL (an OIDC "
                "provider's keys) or THIDUA_AUTH_SIGNING_KEY (development and all-in-one)"
            )
        self._config = config
        self._jwks = jwt.PyJWKClient(config.jwks_url, cache_keys=True) if config.jwks_url else None
        self._verified: dict[str, tuple[float, Principal]] = {}

    async def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            if time.time() < cached[0]:
                return cached[1]
            del self._verified[token]
        claims = await self._claims(token)
        try:
            principal = _principal(claims, self._config.max_token_lifetime_seconds)
        except MalformedToken as exc:
            log.warning("bearer token refused: %s", exc)
            raise Unauthenticated(REFUSED, field="Authorization") from exc
        if len(self._verified) >= self.CACHE_SIZE:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (float(claims["exp"]), principal)
        return principal

    async def _claims(self, token: str) -> dict[str, Any]:
        """The token's claims once its signature, issuer, audience, expiry and algorithm hold."""
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
            log.warning("bearer token refused: %s", exc)
            raise Unauthenticated(REFUSED, field="Authorization") from exc
        return claims


class MalformedToken(ValueError):
    """A verified token whose claims thidua cannot use: the reason is for the log only."""


def _role_names(claims: dict[str, Any]) -> list[str]:
    names: list[str] = []
    role = claims.get("role")
    if role is not None:
        if not isinstance(role, str):
            raise MalformedToken(f"the role claim is a {type(role).__name__}, not a string")
        names.append(role)
    # Keycloak and other OIDC providers put realm roles here.
    if "realm_access" in claims:
        realm = claims["realm_access"]
        roles = realm.get("roles", []) if isinstance(realm, dict) else None
        if not isinstance(roles, list) or not all(isinstance(n, str) for n in roles):
            raise MalformedToken("realm_access is not an object with a list of role names")
        names += roles
    return names


def _unit_claim(claims: dict[str, Any]) -> str | None:
    unit = claims.get("unit")
    if unit is None:
        return None
    # Providers send multivalued attributes as arrays: a unit head acts for exactly one unit.
    if not isinstance(unit, str) or not 0 < len(unit) <= UNIT_CODE_MAX_LENGTH:
        raise MalformedToken(f"the unit claim is not one unit code: {unit!r:.80}")
    return unit


def _principal(claims: dict[str, Any], max_lifetime_seconds: int) -> Principal:
    issued, expires = claims["iat"], claims["exp"]
    if not all(isinstance(v, int | float) for v in (issued, expires)):
        raise MalformedToken("iat and exp must be numbers")
    if expires - issued > max_lifetime_seconds:
        raise MalformedToken(
            f"the token lives {expires - issued:.0f} s, more than the {max_lifetime_seconds} s "
            "allowed (THIDUA_AUTH_MAX_TOKEN_LIFETIME_SECONDS)"
        )
    if not isinstance(claims["sub"], str) or not 0 < len(claims["sub"]) <= SUBJECT_MAX_LENGTH:
        raise MalformedToken("the sub claim is not a string of at most 200 characters")
    known = {r.value for r in Role}
    role = next((Role(n) for n in _role_names(claims) if n in known), None)
    if role is None:
        raise MalformedToken("the token carries no thidua role")
    unit = _unit_claim(claims)
    if role is Role.UNIT_HEAD and not unit:
        raise MalformedToken("a unit head's token must name the unit")
    return Principal(subject=claims["sub"], role=role, unit_code=unit)


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
