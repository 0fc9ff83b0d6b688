"""Object-level access in awards, with real records of one campaign: its compilation, a cluster
vote, a council session, the disclosure and a comment on it, the decision, an award and the
dossier. Unit heads read none of them, their own unit's included (nominations, refusals and the
council's work are the council's until disclosed), and change none; the public routes show a
unit head exactly what they show anyone, and no filter of a list opens it to them."""

from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from awards.main import spec as awards_spec
from services.awards.tests.test_council_story import NOMINEES, CouncilStory, clock_at
from services.awards.tests.test_dossier import HIGHER
from tests.api.test_access_matrix import access_rule, served_routes
from tests.api.test_object_access import filled
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer, migrated_database
from thidua_shared.testing import running_service as run

# Every record below is VP's or names VP's people; the other unit's head probes them.
INTRUDER = bearer(Role.UNIT_HEAD, "TTCNTT")
OWNER = bearer(Role.UNIT_HEAD, "VP")
SIGNER = bearer(Role.DECISION_SIGNER)
ANONYMOUS = {"Authorization": ""}
SIGNED = {
    "place": "Đồng Nai",
    "issuing_agency": "Sở Thông tin và Truyền thông",
    "parent_agency": "UBND tỉnh Đồng Nai",
    "signer_title": "Giám đốc",
    "signer_name": "Lê Hoàng Ngọc",
}


@pytest.fixture(scope="module")
async def awards() -> AsyncIterator[RunningService]:
    database = await migrated_database(awards_spec, "thidua_test_object_access_awards")
    async with run(awards_spec, database, RecordingBus()) as service:
        yield service


async def created(awards: RunningService, path: str, body: dict[str, Any], **kw: Any) -> Any:
    response = await awards.client.post(path, json=body, **kw)
    assert response.status_code == 201, response.text
    return response.json()


async def cluster_vote(awards: RunningService) -> Any:
    """A cluster's vote, in a campaign of its own so that it leaves the council's list alone."""
    story = CouncilStory(awards)
    await story.compiled()
    await story.reported("VP")
    scores = [{"unit_code": u, "points": [65, 27]} for u in ("VP", "PCNTT", "TTCNTT")]
    body = {
        "campaign_id": str(story.campaign_id),
        "cluster": "Cụm 1",
        "held_on": "2018-12-20",
        "place": "Biên Hòa",
        "chair_name": "Phạm Văn Hùng",
        "secretary_name": "Đỗ Thị Thu Hà",
        "criteria": [
            {"name": "Thực hiện nhiệm vụ chuyên môn", "max_points": 70},
            {"name": "Công tác thi đua, khen thưởng", "max_points": 30},
        ],
        "scores": scores,
        "ballots_cast": 3,
        "ballots_invalid": 0,
        "votes": [{"unit_code": "VP", "votes": 3}],
    }
    return await created(awards, "/awards/cluster-votes", body)


async def a_year_decided(awards: RunningService) -> dict[str, str]:
    """The ids of every kind of record a campaign's awards work leaves, by their path names."""
    story = CouncilStory(awards)
    await story.compiled((*NOMINEES, *HIGHER))
    disclosure = await story.disclosed(date(2018, 6, 4))
    with clock_at(date(2018, 6, 6)):
        comment = await created(
            awards,
            f"/awards/disclosures/{disclosure['id']}/comments",
            {"kind": "comment", "author": "Công dân", "content": "Đồng ý.", "subject_code": "VP"},
        )
    with clock_at(date(2018, 6, 29)):
        number = uuid4().int % 10000
        decision_body = {"disclosure_id": disclosure["id"], "decided_on": "2018-06-29"}
        decision = await created(
            awards,
            "/awards/decisions",
            {**decision_body, **SIGNED, "number": f"{number}/QĐ-STTTT"},
            headers=SIGNER,
        )
        dossier_body = {"disclosure_id": disclosure["id"], "drafted_on": "2018-06-29"}
        dossier = await created(
            awards,
            "/awards/dossiers",
            {**dossier_body, **SIGNED, "number": f"{number}/TTr-STTTT"},
            headers=SIGNER,
        )
    exemplar = {
        "campaign_id": str(story.campaign_id),
        "subject_kind": "person",
        "subject_code": "VP-001",
        "subject_name": "Nguyễn Thị Hồng Nhung",
        "story": "Chị Nhung số hóa toàn bộ hồ sơ một cửa của Sở trong năm 2018.",
    }
    await created(awards, "/awards/exemplars", exemplar)
    [award] = [a for a in decision["awards"] if a["subject_code"] == "VP-001"]
    revocation = {
        "subject_kind": "person",
        "subject_code": "VP-001",
        "title": award["title"],
        "reason": "Khai man thành tích: sáng kiến SK-2018-014 không do ông/bà là tác giả.",
    }
    revoked = await awards.client.post(
        f"/awards/decisions/{decision['id']}/revocations", json=revocation, headers=SIGNER
    )
    assert revoked.status_code == 200, revoked.text
    return {
        "campaign_id": str(story.campaign_id),
        "vote_id": (await cluster_vote(awards))["id"],
        "session_id": disclosure["session_id"],
        "disclosure_id": disclosure["id"],
        "comment_id": comment["id"],
        "decision_id": decision["id"],
        "award_id": award["id"],
        "dossier_id": dossier["id"],
        "name": "to-trinh.pdf",
    }


async def snapshot(awards: RunningService, ids: dict[str, str]) -> list[Any]:
    """What the office reads of the records, to compare before and after the probes."""
    urls = [
        f"/awards/campaigns/{ids['campaign_id']}/nominations",
        f"/awards/cluster-votes/{ids['vote_id']}",
        f"/awards/council/sessions/{ids['session_id']}",
        f"/awards/disclosures/{ids['disclosure_id']}",
        f"/awards/public/decisions/{ids['decision_id']}",
        f"/awards/dossiers/{ids['dossier_id']}",
    ]
    return [(await awards.client.get(url)).json() for url in urls]


async def test_a_unit_head_reaches_no_record_of_the_councils_work(awards: RunningService) -> None:
    ids = await a_year_decided(awards)
    before = await snapshot(awards, ids)
    probed = 0
    for path, route in served_routes(awards_spec):
        url = filled(path, route, ids)
        if not route.dependant.path_params or url is None or access_rule(route) is None:
            continue
        for method in sorted(route.methods or ()):
            for unit_head in (INTRUDER, OWNER):
                response = await awards.client.request(
                    method, url, json={}, headers={**unit_head, "If-Match": "*"}
                )
                where = f"{method} {path}: {response.status_code} {response.text[:200]}"
                assert response.status_code == 403, where
            probed += 1
    assert probed >= 22, probed
    assert await snapshot(awards, ids) == before, "a unit head changed the council's records"


async def test_no_filter_opens_a_list_to_a_unit_head(awards: RunningService) -> None:
    ids = await a_year_decided(awards)
    filters = {"campaign_id": ids["campaign_id"], "subject_code": "VP-001", "unit_code": "VP"}
    lists = [
        (path, route)
        for path, route in served_routes(awards_spec)
        if "GET" in (route.methods or ()) and not route.dependant.path_params
    ]
    probed = 0
    for path, route in lists:
        if access_rule(route) is None:
            continue
        for unit_head in (INTRUDER, OWNER):
            response = await awards.client.get(path, params=filters, headers=unit_head)
            assert response.status_code == 403, f"{path}: {response.status_code} {response.text}"
        probed += 1
    assert probed >= 7, probed


async def test_the_public_routes_show_a_unit_head_what_they_show_anyone(
    awards: RunningService,
) -> None:
    ids = await a_year_decided(awards)
    probed = 0
    for path, route in served_routes(awards_spec):
        url = filled(path, route, ids)
        if access_rule(route) is not None or "GET" not in (route.methods or ()) or url is None:
            continue
        if "/public/" not in path:
            continue  # the health checks
        params = {"campaign_id": ids["campaign_id"]}
        seen = await awards.client.get(url, params=params, headers=INTRUDER)
        public = await awards.client.get(url, params=params, headers=ANONYMOUS)
        where = f"GET {path}: {seen.status_code} {seen.text[:200]}"
        assert seen.status_code == public.status_code == 200, where
        if "json" in seen.headers["content-type"]:
            assert seen.json() == public.json(), where
        probed += 1
    assert probed >= 8, probed
