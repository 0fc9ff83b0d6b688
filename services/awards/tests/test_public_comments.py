"""Anyone may comment on a disclosed list without a token while its comment period is open;
the comment joins the office's queue and is answered there. Anonymous senders are limited per
address (X-Forwarded-For believed only from a trusted gateway) and per disclosure."""

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from awards.main import spec
from services.awards.tests.test_council_story import NOMINEES, CouncilStory, clock_at
from thidua_shared.platform.rate_limit import SlidingWindow
from thidua_shared.testing import RecordingBus, RunningService, running_service

ANONYMOUS = {"Authorization": ""}
OPEN_DAY = date(2019, 1, 30)


def comment(number: int = 0) -> dict[str, Any]:
    return {"kind": "comment", "author": f"Người dân {number}", "content": "Đề nghị xem xét."}


async def disclosed(service: RunningService) -> str:
    story = CouncilStory(service)
    await story.compiled(NOMINEES)
    disclosure: dict[str, Any] = await story.disclosed(date(2019, 1, 28))
    return str(disclosure["id"])


@pytest.fixture
async def behind_gateway(awards_db: str) -> AsyncIterator[RunningService]:
    # The test client's peer is 127.0.0.1: here it plays the gateway.
    async with running_service(
        spec, awards_db, RecordingBus(), trusted_gateways="127.0.0.1"
    ) as service:
        yield service


async def test_the_public_comments_while_open_and_the_office_answers(
    awards: RunningService,
) -> None:
    disclosure = await disclosed(awards)
    path = f"/awards/public/disclosures/{disclosure}/comments"
    with clock_at(OPEN_DAY):
        sent = await awards.client.post(path, json=comment(), headers=ANONYMOUS)
    assert sent.status_code == 201, sent.text
    queued = await awards.client.get(f"/awards/disclosures/{disclosure}")
    [received] = [c for c in queued.json()["comments"] if c["id"] == sent.json()["id"]]
    assert received["author"] == "Người dân 0"
    answered = await awards.client.post(
        f"/awards/disclosures/{disclosure}/comments/{received['id']}/answer",
        json={"answer": "Hội đồng đã xem xét."},
    )
    assert answered.status_code == 200, answered.text
    with clock_at(date(2019, 3, 1)):
        late = await awards.client.post(path, json=comment(), headers=ANONYMOUS)
    assert late.status_code == 409


async def test_one_address_is_limited_and_a_forged_forwarded_for_does_not_help(
    awards: RunningService,
) -> None:
    disclosure = await disclosed(awards)
    path = f"/awards/public/disclosures/{disclosure}/comments"
    with clock_at(OPEN_DAY):
        answers = [
            await awards.client.post(
                path,
                json=comment(n),
                # Not from a trusted gateway: the header is ignored.
                headers={**ANONYMOUS, "X-Forwarded-For": f"203.0.113.{n}"},
            )
            for n in range(6)
        ]
    assert [a.status_code for a in answers] == [201] * 5 + [429]
    assert answers[-1].headers["content-type"] == "application/problem+json"
    assert int(answers[-1].headers["retry-after"]) > 0


async def test_behind_a_trusted_gateway_each_address_counts_and_the_disclosure_has_a_cap(
    behind_gateway: RunningService,
) -> None:
    disclosure = await disclosed(behind_gateway)
    path = f"/awards/public/disclosures/{disclosure}/comments"
    statuses = []
    with clock_at(OPEN_DAY):
        for n in range(101):
            response = await behind_gateway.client.post(
                path,
                json=comment(n),
                headers={**ANONYMOUS, "X-Forwarded-For": f"198.51.100.{n}, 127.0.0.1"},
            )
            statuses.append(response.status_code)
    assert statuses == [201] * 100 + [429]
    assert "disclosure_id" in response.text


def test_the_window_slides() -> None:
    now = [0.0]
    window = SlidingWindow(2, 10, clock=lambda: now[0])
    assert window.take("a") is None
    assert window.take("a") is None
    assert window.take("a") == 10
    assert window.take("b") is None
    now[0] = 10.5
    assert window.take("a") is None
