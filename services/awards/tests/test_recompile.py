"""A one-phase campaign end to end through the read model: the history imported, the chain
reaching the provincial title with its explanation, then a corrected report re-reviewed
compiling version 2 with its differences."""

import asyncio
from datetime import UTC, datetime

from services.awards.tests.one_phase_story import (
    OnePhase,
    deliver_until_review,
    published_compilations,
)
from thidua_shared.contracts.campaigns import CampaignCancelled
from thidua_shared.testing import RecordingBus, RunningService


async def test_the_chain_with_imported_history_reaches_the_provincial_title(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await deliver_until_review(awards, story)
    await awards.deliver(story.reviewed())

    response = await awards.client.get(f"/awards/campaigns/{story.campaign_id}/nominations")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 1
    assert body["rule_set"] == "law-2022-decree-98-2023"
    mine = {n["title"]: n for n in body["nominations"] if n["subject_code"] == story.champion}
    # One chain of CSTĐCS years earns one form: the provincial title, not also a bằng khen.
    assert set(mine) == {
        "lao_dong_tien_tien",
        "chien_si_thi_dua_co_so",
        "chien_si_thi_dua_cap_tinh",
    }
    [withheld] = [
        r
        for r in body["refusals"]
        if r["subject_code"] == story.champion and r["title"] == "bang_khen_cap_tinh"
    ]
    assert "không khen thưởng nhiều hình thức cho một thành tích" in withheld["failed_condition"]
    provincial = mine["chien_si_thi_dua_cap_tinh"]
    y = story.year
    assert provincial["facts"][0] == (
        f"Đạt danh hiệu Chiến sĩ thi đua cơ sở 3 năm liên tục: {y - 2}, {y - 1}, {y}"
    )
    assert provincial["facts"][1] == (
        f"Sáng kiến SK-{story.unit}-1 \u201cSố hoá hồ sơ một cửa\u201d "
        f"được công nhận cấp tỉnh năm {y}"
    )
    assert provincial["initiative_identifiers"] == [f"SK-{story.unit}-1"]
    assert provincial["citation"] == "Điều 22 Luật Thi đua, khen thưởng 2022"
    assert provincial["multiplier"] == "3.00"
    assert mine["chien_si_thi_dua_co_so"]["facts"][1] == (
        f"Xếp loại Hoàn thành xuất sắc nhiệm vụ trong báo cáo tổng kết năm {y}"
    )
    # 10 LĐTT, one CSTĐCS: the unit is excellent.
    [collective] = [
        n
        for n in body["nominations"]
        if n["subject_kind"] == "unit" and n["title"] == "tap_the_lao_dong_xuat_sac"
    ]
    assert "10/10 thành viên (100 %) đạt danh hiệu Lao động tiên tiến" in " ".join(
        collective["facts"]
    )
    # Withdrawn, not failed: one form for her CSTĐCS chain, one level for the unit.
    assert {(r["subject_code"], r["title"]) for r in body["refusals"]} == {
        (story.champion, "bang_khen_cap_tinh"),
        (story.unit, "tap_the_lao_dong_tien_tien"),
    }

    [compiled] = await published_compilations(awards, bus, story.campaign_id)
    published = [n for n in compiled.nominations if n.subject_code == story.champion]
    assert {n.rule_id for n in published} >= {"cstd-tinh-2022"}
    assert all(n.citation and n.facts and n.unit_code == story.unit for n in published)


async def test_a_corrected_report_re_reviewed_compiles_version_2_with_the_differences(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await deliver_until_review(awards, story)
    await awards.deliver(story.reviewed())
    # The office reopens the phase: the champion had a warning after all.
    await awards.deliver(story.report(version=2, champion_discipline="canh_cao"))
    await awards.deliver(story.report(version=1))  # a late copy of the old version
    await asyncio.gather(*(awards.deliver(story.reviewed(2, report_version=2)) for _ in range(3)))
    await awards.deliver(story.reviewed(1))

    first, second = await published_compilations(awards, bus, story.campaign_id)
    assert (first.version, second.version) == (1, 2)
    champion = story.champion
    assert second.removed == story.lost_to_a_warning()
    assert second.added == []

    versions = await awards.client.get(f"/awards/campaigns/{story.campaign_id}/compilations")
    assert versions.status_code == 200, versions.text
    items = versions.json()["items"]
    assert [(i["version"], i["review_rounds"]) for i in items] == [(1, {"1": 1}), (2, {"1": 2})]
    assert items[1]["removed"] == second.removed

    body = (await awards.client.get(f"/awards/campaigns/{story.campaign_id}/nominations")).json()
    assert body["version"] == 2
    refusals = {(r["subject_code"], r["title"]): r for r in body["refusals"]}
    refused = refusals[(champion, "chien_si_thi_dua_cap_tinh")]
    collective = refusals[(story.unit, "tap_the_lao_dong_xuat_sac")]
    assert (refused["subject_code"], refused["title"]) == (champion, "chien_si_thi_dua_cap_tinh")
    assert refused["citation"] == "Điều 22 Luật Thi đua, khen thưởng 2022"
    assert refused["failed_condition"] == (
        f"Không đạt danh hiệu Chiến sĩ thi đua cơ sở năm {story.year} "
        "nên chuỗi năm liên tục bị ngắt"
    )
    assert (collective["subject_code"], collective["title"]) == (
        story.unit,
        "tap_the_lao_dong_xuat_sac",
    )
    assert collective["failed_condition"] == (
        f"0 thành viên đạt danh hiệu Chiến sĩ thi đua cơ sở năm {story.year} (yêu cầu ít nhất 1)"
    )
    assert (
        f"9/10 thành viên (90 %) đạt danh hiệu Lao động tiên tiến năm {story.year} "
        "(yêu cầu từ 70 %)"
    ) in collective["facts"]


async def test_a_cancelled_campaign_compiles_nothing(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await deliver_until_review(awards, story)
    await awards.deliver(
        CampaignCancelled(
            campaign_id=story.campaign_id,
            reason="Trùng kế hoạch",
            cancelled_at=datetime(story.year, 3, 1, tzinfo=UTC),
        )
    )
    await awards.deliver(story.reviewed())
    assert await published_compilations(awards, bus, story.campaign_id) == []
    response = await awards.client.get(f"/awards/campaigns/{story.campaign_id}/compilations")
    assert response.status_code == 404
    assert response.json()["field"] == "campaign_id"
