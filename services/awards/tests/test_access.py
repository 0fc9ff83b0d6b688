"""Access rules of the awards routes: who may read nominations, and which tokens are refused."""

import time
from uuid import uuid4

import jwt
import pytest

from thidua_shared.platform.auth import Role
from thidua_shared.testing import TEST_SIGNING_KEY, RunningService, bearer


def _urls() -> list[tuple[str, dict[str, str]]]:
    campaign_id = str(uuid4())
    return [
        ("/awards/nominations", {"campaign_id": campaign_id}),
        (f"/awards/compilations/{campaign_id}", {}),
        (f"/awards/campaigns/{campaign_id}/nominations", {}),
        (f"/awards/campaigns/{campaign_id}/compilations", {}),
    ]


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": "thidua-dev",
        "aud": "thidua",
        "sub": "office:agency",
        "iat": now,
        "exp": now + 600,
        "role": "office",
    }
    claims.update(overrides)
    return claims


def _header(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _assert_refused(awards: RunningService, headers: dict[str, str]) -> None:
    for url, params in _urls():
        response = await awards.client.get(url, params=params, headers=headers)
        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_unit_head_may_not_read_nominations(awards: RunningService) -> None:
    for url, params in _urls():
        response = await awards.client.get(
            url, params=params, headers=bearer(Role.UNIT_HEAD, "PCNTT")
        )
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.COUNCIL_MEMBER])
async def test_readers_may_read(awards: RunningService, role: Role) -> None:
    # Nothing is compiled for a fresh campaign: a reader passes the rule and gets 404.
    for url, params in _urls():
        response = await awards.client.get(url, params=params, headers=bearer(role))
        assert response.status_code == 404, response.text
        assert response.json()["field"] == "campaign_id"


async def test_no_token_is_unauthenticated(awards: RunningService) -> None:
    for url, params in _urls():
        request = awards.client.build_request("GET", url, params=params)
        del request.headers["Authorization"]
        response = await awards.client.send(request)
        assert response.status_code == 401, response.text
        assert "WWW-Authenticate" in response.headers


async def test_token_signed_with_another_key_is_refused(awards: RunningService) -> None:
    other = "another-signing-key-that-is-not-the-service-key-0123456789"
    await _assert_refused(awards, bearer(Role.OFFICE, signing_key=other))


async def test_expired_token_is_refused(awards: RunningService) -> None:
    past = int(time.time()) - 3600
    token = jwt.encode(_claims(iat=past - 600, exp=past), TEST_SIGNING_KEY, algorithm="HS256")
    await _assert_refused(awards, _header(token))


async def test_unsigned_token_is_refused(awards: RunningService) -> None:
    token = jwt.encode(_claims(), "", algorithm="none")  # "" is PyJWT's typed "no key"
    await _assert_refused(awards, _header(token))


async def test_token_for_another_audience_is_refused(awards: RunningService) -> None:
    await _assert_refused(awards, bearer(Role.OFFICE, audience="another-system"))
