"""A verified bearer token is checked once, not at every request, and only until it expires."""

from typing import Any

import jwt
import pytest

from thidua_shared.platform.auth import (
    AuthConfig,
    Principal,
    Role,
    TokenVerifier,
    Unauthenticated,
    issue_development_token,
)

CONFIG = AuthConfig("thidua-dev", "thidua", "a-test-signing-key-of-at-least-32-bytes!", None)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens PyJWT was asked to decode."""
    seen: list[str] = []
    decode = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(token)
        return decode(token, *args, **kwargs)

    # The verifier calls jwt.decode through the module, so this is what it calls.
    monkeypatch.setattr(jwt, "decode", counting)
    return seen


async def test_the_same_token_is_decoded_once(decodes: list[str]) -> None:
    verifier = TokenVerifier(CONFIG)
    token = issue_development_token(CONFIG, Role.UNIT_HEAD, unit_code="VP")
    first = await verifier.verify(token)
    again = await verifier.verify(token)
    assert first == again == Principal("unit_head:VP", Role.UNIT_HEAD, "VP")
    assert decodes == [token]


async def test_each_token_keeps_its_own_caller(decodes: list[str]) -> None:
    verifier = TokenVerifier(CONFIG)
    tokens = {
        unit: issue_development_token(CONFIG, Role.UNIT_HEAD, unit_code=unit)
        for unit in ("VP", "TTRA")
    }
    for _ in range(3):
        for unit, token in tokens.items():
            assert (await verifier.verify(token)).unit_code == unit
    assert sorted(decodes) == sorted(tokens.values())


async def test_a_token_past_its_expiry_is_checked_again(decodes: list[str]) -> None:
    verifier = TokenVerifier(CONFIG)
    # Expired 10 s ago: still inside the verifier's 30 s leeway, so accepted, but never
    # answered from memory.
    token = issue_development_token(CONFIG, Role.OFFICE, ttl_seconds=-10)
    await verifier.verify(token)
    await verifier.verify(token)
    assert decodes == [token, token]


async def test_a_refused_token_is_refused_every_time(decodes: list[str]) -> None:
    verifier = TokenVerifier(CONFIG)
    other = AuthConfig("thidua-dev", "thidua", "another-signing-key-of-32-bytes-or-more", None)
    forged = issue_development_token(other, Role.OFFICE)
    expired = issue_development_token(CONFIG, Role.OFFICE, ttl_seconds=-120)
    for token in (forged, expired, forged, expired):
        with pytest.raises(Unauthenticated):
            await verifier.verify(token)
    assert len(decodes) == 4


async def test_the_cache_stays_bounded(decodes: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = TokenVerifier(CONFIG)
    monkeypatch.setattr(verifier, "CACHE_SIZE", 3)
    tokens = [issue_development_token(CONFIG, Role.UNIT_HEAD, unit_code=f"U{i}") for i in range(5)]
    for token in tokens:
        await verifier.verify(token)
    assert len(verifier._verified) == 3
    # The oldest went first; the newest are still answered from memory.
    await verifier.verify(tokens[-1])
    await verifier.verify(tokens[0])
    assert decodes == [*tokens, tokens[0]]
