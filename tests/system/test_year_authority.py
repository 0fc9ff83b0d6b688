"""The 2018 year split by who may decide (thẩm quyền): the Sở's decision grants only what its
Director may, everything else it disclosed goes to the Chủ tịch UBND tỉnh in one dossier, and
the province's decision is announced with its authority, its fund and its bonuses."""

from typing import Any, cast

import httpx
import pytest

from tests.support.processes import RunningSystem
from tests.system import test_year
from tests.system.department import DepartmentQueue
from tests.system.test_year import ExampleSubscriber
from thidua_local.demo.run import YearResult
from thidua_shared.contracts.vocabulary import Title

pytestmark = pytest.mark.system

# The year as test_year plays it: its broker names, running system and played year.
names = test_year.names
system = test_year.system
year = test_year.year

YearFixture = tuple[YearResult, DepartmentQueue, list[ExampleSubscriber]]
DIRECTOR_GRANTS = {
    Title.ADVANCED_WORKER,
    Title.GRASSROOTS_EMULATION_FIGHTER,
    Title.ADVANCED_COLLECTIVE,
    Title.CERTIFICATE_OF_MERIT,
}
PROVINCE_GRANTS = {
    Title.EXCELLENT_COLLECTIVE,
    Title.PROVINCIAL_EMULATION_FIGHTER,
    Title.PROVINCIAL_EMULATION_FLAG,
    Title.PROVINCIAL_MERIT_CERTIFICATE,
}
BASE_SALARY_ON_01_03_2019 = 1_390_000


def _keys(items: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(i["subject_kind"], i["subject_code"], i["title"]) for i in items}


async def test_the_department_grants_only_what_its_director_may(
    year: YearFixture, system: RunningSystem
) -> None:
    result, _, _ = year
    decision, province = result.decision, result.province
    assert {a["title"] for a in decision["awards"]} <= DIRECTOR_GRANTS
    assert province["authority"] == "provincial_chairman"
    assert province["status"] == "decided"
    assert province["addressee"].startswith("Chủ tịch Ủy ban nhân dân tỉnh")
    assert province["items"]
    assert {i["title"] for i in province["items"]} <= PROVINCE_GRANTS
    async with httpx.AsyncClient(base_url=system.gateway, timeout=60) as http:
        response = await http.get(f"/awards/public/disclosures/{decision['disclosure_id']}")
    assert response.status_code == 200, response.text
    disclosed = _keys(response.json()["items"])
    withheld = _keys(decision["withheld"])
    own, proposed = _keys(decision["awards"]), _keys(province["items"])
    # Every disclosed nomination is decided by exactly one of the two.
    assert own.isdisjoint(proposed)
    assert own | withheld | proposed == disclosed


async def test_the_province_decision_is_announced_with_its_authority_and_fund(
    year: YearFixture,
) -> None:
    result, department, _ = year
    province = result.province
    decided = [
        cast(dict[str, Any], e["data"]) for e in department.events if e["type"] == "award.decided"
    ]
    by_authority = {event.get("authority", "agency_head"): event for event in decided}
    assert set(by_authority) == {"agency_head", "provincial_chairman"}
    event = by_authority["provincial_chairman"]
    assert event["decision_number"] == province["decision_number"]
    assert "Ủy ban nhân dân cấp tỉnh" in event["fund"]
    assert event["total_bonus_vnd"] == province["total_bonus_vnd"] > 0
    unpaid = []
    for award in event["awards"]:
        assert award["base_salary_vnd"] == BASE_SALARY_ON_01_03_2019
        if award["bonus_vnd"] == 0:
            # Another title of the same achievement carries the higher bonus (Điều 66 khoản 2
            # điểm c Nghị định 91/2017): the flag's unit is not paid its TTLĐXS as well.
            unpaid.append((award["subject_code"], award["title"]))
            continue
        expected = award["multiplier"] * BASE_SALARY_ON_01_03_2019
        assert abs(award["bonus_vnd"] - expected) < 10_000, award
    flagged = {a["subject_code"] for a in event["awards"] if a["title"] == "co_thi_dua_cap_tinh"}
    assert unpaid == [
        (a["subject_code"], a["title"])
        for a in event["awards"]
        if a["title"] == "tap_the_lao_dong_xuat_sac" and a["subject_code"] in flagged
    ]
    assert {"to-trinh-16-TTr-STTTT.pdf", "to-trinh-16-TTr-STTTT.docx"} <= set(result.documents)
