"""Tokens from a standard OIDC provider: RS256 signed, keys fetched from its JWKS URL."""

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from campaigns.main import spec as campaigns_spec
from tests.support.processes import free_port
from thidua_shared.testing import RecordingBus, RunningService, migrated_database
from thidua_shared.testing import running_service as run

ISSUER = "http://127.0.0.1/realms/thidua"
PROVIDER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    jwk = json.loads(RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "realm-key", "use": "sig", "alg": "RS256"}]})

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: Any) -> None:
            return None

    server = HTTPServer(("127.0.0.1", free_port()), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/protocol/openid-connect/certs"
    server.shutdown()


@pytest.fixture(scope="module")
async def campaigns(jwks_url: str) -> AsyncIterator[RunningService]:
    database = await migrated_database(campaigns_spec, "thidua_test_oidc")
    async with run(
        campaigns_spec,
        database,
        RecordingBus(),
        auth_signing_key=None,
        auth_jwks_url=jwks_url,
        auth_issuer=ISSUER,
        auth_audience="thidua-api",
    ) as service:
        yield service


def keycloak_token(key: Any = PROVIDER_KEY, **overrides: Any) -> dict[str, str]:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "thidua-api",
        "sub": "b6d3-user",
        "iat": now,
        "exp": now + 300,
        "realm_access": {"roles": ["offline_access", "observer"]},
        **overrides,
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "realm-key"})
    return {"Authorization": f"Bearer {token}"}


async def test_a_keycloak_style_token_is_accepted_with_its_realm_role(
    campaigns: RunningService,
) -> None:
    listed = await campaigns.client.get("/campaigns/campaigns", headers=keycloak_token())
    assert listed.status_code == 200, listed.text
    refused = await campaigns.client.post("/campaigns/campaigns", json={}, headers=keycloak_token())
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("key", "overrides"),
    [
        (OTHER_KEY, {}),
        (PROVIDER_KEY, {"aud": "another-app"}),
        (PROVIDER_KEY, {"iss": "http://127.0.0.1/realms/other"}),
        (PROVIDER_KEY, {"exp": int(time.time()) - 3600}),
        (PROVIDER_KEY, {"realm_access": {"roles": ["offline_access"]}}),
    ],
    ids=["foreign-key", "wrong-audience", "wrong-issuer", "expired", "no-thidua-role"],
)
async def test_bad_provider_tokens_are_refused(
    campaigns: RunningService, key: Any, overrides: dict[str, Any]
) -> None:
    response = await campaigns.client.get(
        "/campaigns/campaigns", headers=keycloak_token(key, **overrides)
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_shared_key_token_is_refused_when_the_provider_is_configured(
    campaigns: RunningService,
) -> None:
    from thidua_shared.platform.auth import Role
    from thidua_shared.testing import bearer

    response = await campaigns.client.get("/campaigns/campaigns", headers=bearer(Role.OFFICE))
    assert response.status_code == 401
