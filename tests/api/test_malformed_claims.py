"""A verified token whose claims have the wrong shape, or that lives too long, is refused with a
401 that names no reason (the reason goes to the log); the refusal is audited and nothing
changes. Identity providers send multivalued attributes as arrays, so this is not hypothetical."""

import logging
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from sqlalchemy import text

from campaigns.main import spec as campaigns_spec
from thidua_shared.platform import clock
from thidua_shared.platform.auth import REFUSED
from thidua_shared.testing import TEST_SIGNING_KEY, RecordingBus, RunningService, migrated_database
from thidua_shared.testing import running_service as run

CLOCK = "/campaigns/ops/clock"


@pytest.fixture(scope="module")
async def campaigns() -> AsyncIterator[RunningService]:
    database = await migrated_database(campaigns_spec, "thidua_test_malformed_claims")
    async with run(campaigns_spec, database, RecordingBus(), demo_clock=True) as service:
        yield service


@pytest.fixture(autouse=True)
def restore_clock() -> Iterator[None]:
    yield
    clock.set_clock(lambda: datetime.now(UTC))


def token(lifetime: int = 300, key: str = TEST_SIGNING_KEY, **claims: Any) -> dict[str, str]:
    now = int(time.time())
    body = {"iss": "thidua-dev", "aud": "thidua", "sub": "someone", "iat": now}
    body |= {"exp": now + lifetime, **claims}
    return {"Authorization": f"Bearer {jwt.encode(body, key, algorithm='HS256')}"}


MALFORMED = {
    "role-array": {"role": ["office"]},
    "role-object": {"role": {"name": "office"}},
    "realm-access-string": {"realm_access": "office"},
    "realm-access-null": {"realm_access": None},
    "realm-roles-string": {"realm_access": {"roles": "office"}},
    "unit-number": {"role": "unit_head", "unit": 7},
    "unit-list": {"role": "unit_head", "unit": ["VP", "TTr"]},
    "unit-object": {"role": "unit_head", "unit": {"code": "VP"}},
    "office-unit-list": {"role": "office", "unit": ["VP"]},
    "subject-number": {"role": "office", "sub": 12},
}


async def audit_outcomes(service: RunningService) -> list[int]:
    async with service.runtime.engine.connect() as connection:
        rows = await connection.execute(text("SELECT outcome FROM audit_log ORDER BY id"))
        return [row.outcome for row in rows]


@pytest.mark.parametrize("claims", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_claim_is_a_401_and_changes_nothing_unaudited(
    campaigns: RunningService, claims: dict[str, Any]
) -> None:
    before = await campaigns.client.get(CLOCK)
    audited = await audit_outcomes(campaigns)
    moved = await campaigns.client.put(
        CLOCK,
        json={"now": "2018-01-10T08:00:00+07:00"},
        headers={**token(**claims), "If-Match": "*"},
    )
    assert moved.status_code == 401, moved.text
    assert moved.headers["content-type"] == "application/problem+json"
    assert moved.json()["detail"] == REFUSED
    assert await audit_outcomes(campaigns) == [*audited, 401]
    after = await campaigns.client.get(CLOCK)
    moved_by = datetime.fromisoformat(after.json()["now"]) - datetime.fromisoformat(
        before.json()["now"]
    )
    assert abs(moved_by.total_seconds()) < 60
    listed = await campaigns.client.get("/campaigns/campaigns", headers=token(**claims))
    assert listed.status_code == 401


async def test_a_token_living_longer_than_allowed_is_refused(campaigns: RunningService) -> None:
    century = token(lifetime=100 * 365 * 86400, role="office")
    assert (await campaigns.client.get("/campaigns/campaigns", headers=century)).status_code == 401
    just_over = token(lifetime=12 * 3600 + 1, role="office")
    assert (
        await campaigns.client.get("/campaigns/campaigns", headers=just_over)
    ).status_code == 401
    working_day = token(lifetime=8 * 3600, role="office")
    assert (
        await campaigns.client.get("/campaigns/campaigns", headers=working_day)
    ).status_code == 200


async def test_the_401_names_no_reason_and_the_log_does(
    campaigns: RunningService, caplog: pytest.LogCaptureFixture
) -> None:
    refused = {
        "foreign-key": token(key="another-key-of-at-least-thirty-two-bytes!!", role="office"),
        "wrong-audience": token(role="office", aud="another-app"),
        "expired": token(lifetime=-3600, role="office", iat=int(time.time()) - 7200),
        "no-role": token(),
    }
    with caplog.at_level(logging.WARNING, logger="thidua_shared.platform.auth"):
        for name, headers in refused.items():
            response = await campaigns.client.get("/campaigns/campaigns", headers=headers)
            assert response.status_code == 401, name
            assert response.json()["detail"] == REFUSED, name
    logged = caplog.text
    assert "Signature verification failed" in logged
    assert "Audience doesn't match" in logged
    assert "no thidua role" in logged
