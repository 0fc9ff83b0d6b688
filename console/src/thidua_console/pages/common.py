"""What the screens share: which movement a screen shows, and forms read into API bodies."""

import time
from typing import Any
from uuid import UUID

from fastapi import Request

from thidua_console.api import Api, ApiProblem
from thidua_console.problems import Problem
from thidua_console.session import session_of
from thidua_shared.platform.auth import AuthConfig, Role, issue_development_token

CAMPAIGN_PARAMETER = "phong_trao"
# A movement list longer than this is cut: the newest are the ones worked on.
CAMPAIGNS_LISTED = 100


def _newest_first(campaigns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        campaigns,
        key=lambda c: (c["year"], c.get("launched_at") or "", c["document_number"]),
        reverse=True,
    )


def wanted_campaign(request: Request) -> str | None:
    """The ?phong_trao= the page was asked for, refused with a problem when not an id."""
    wanted = request.query_params.get(CAMPAIGN_PARAMETER)
    if not wanted:
        return None
    try:
        return str(UUID(wanted))
    except ValueError:
        problem = Problem.from_body(422, {"code": "validation", "field": CAMPAIGN_PARAMETER})
        raise ApiProblem(problem) from None


async def campaigns_and_chosen(
    api: Api, request: Request
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The movements the user may see, newest first, and the one the screen shows: the one
    asked for, else the newest."""
    session = session_of(request)
    params: dict[str, Any] = {"limit": CAMPAIGNS_LISTED}
    if session.user_role is Role.UNIT_HEAD:
        params["unit"] = session.unit
    campaigns = _newest_first(await api.items("/campaigns/campaigns", params))
    wanted = wanted_campaign(request)
    if wanted:
        chosen = next((c for c in campaigns if c["id"] == wanted), None)
        return campaigns, chosen or await api.get(f"/campaigns/campaigns/{wanted}")
    return campaigns, campaigns[0] if campaigns else None


async def public_campaign_id(api: Api, request: Request) -> str | None:
    """The movement of the public page: asked for, configured, or (in the demo mode, where the
    console holds the development key) the newest, looked up as an observer."""
    wanted = wanted_campaign(request)
    if wanted:
        return wanted
    settings = request.app.state.settings
    if settings.public_campaign_id:
        return str(settings.public_campaign_id)
    if not (settings.dev_login and settings.auth_signing_key):
        return None
    config = AuthConfig(
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        signing_key=settings.auth_signing_key,
        jwks_url=None,
    )
    reader = Api(api.http, issue_development_token(config, Role.OBSERVER, ttl_seconds=60))
    campaigns = _newest_first(
        await reader.items("/campaigns/campaigns", {"limit": CAMPAIGNS_LISTED})
    )
    launched = [c for c in campaigns if c["status"] != "draft"]
    return str(launched[0]["id"]) if launched else None


def as_number(value: str) -> float | None:
    """A figure typed the Vietnamese way (1.234,5) or the other (1234.5); None when blank."""
    text = value.strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return float(text)


def today_iso() -> str:
    return time.strftime("%Y-%m-%d")


def count(value: str, field: str) -> int:
    """A whole number typed into a form, refused as a problem naming the field."""
    try:
        return int(value.strip() or 0)
    except ValueError:
        raise ApiProblem(Problem.from_body(422, {"code": "validation", "field": field})) from None
