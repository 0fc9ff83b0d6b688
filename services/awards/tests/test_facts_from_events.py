"""The office's rating and a member's research arrive on report.approved and reach the
compile's facts: the unit is rated by the office, the research grounds a title."""

from datetime import date

from services.awards.tests.one_phase_story import OnePhase, deliver_until_review
from thidua_shared.contracts.reports import Research
from thidua_shared.testing import RecordingBus, RunningService


async def test_the_offices_rating_and_research_reach_the_nominations(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await deliver_until_review(awards, story)
    report = story.report(version=2)
    researcher = report.member_evaluations[1].model_copy(
        update={
            "research": [
                Research(
                    identifier="ĐT-2018-03",
                    title="Mô hình chính quyền số cấp huyện",
                    level="grassroots",
                    accepted_on=date(story.year, 11, 20),
                    year=story.year,
                )
            ]
        }
    )
    evaluations = [report.member_evaluations[0], researcher, *report.member_evaluations[2:]]
    await awards.deliver(
        report.model_copy(update={"office_rating": "tot", "member_evaluations": evaluations})
    )
    await awards.deliver(story.reviewed(report_version=2))

    body = (await awards.client.get(f"/awards/campaigns/{story.campaign_id}/nominations")).json()
    granted = {(n["subject_code"], n["title"]): n for n in body["nominations"]}
    refused = {(r["subject_code"], r["title"]): r for r in body["refusals"]}
    # Rated "tốt" by the office though it rated itself "xuất sắc": not excellent.
    assert (story.unit, "tap_the_lao_dong_xuat_sac") in refused
    assert refused[(story.unit, "tap_the_lao_dong_xuat_sac")]["failed_condition"] == (
        f"Xếp loại Hoàn thành tốt nhiệm vụ (cơ quan thường trực đánh giá khi tổng kết) năm "
        f"{story.year}, chưa đạt mức Hoàn thành xuất sắc nhiệm vụ"
    )
    # Rated "tốt", no initiative: the 2022 law counts accepted research for CSTĐCS, and the
    # cap (1 place for 10 LĐTT) tells this unregistered candidate its place.
    capped = refused[(researcher.staff_code, "chien_si_thi_dua_co_so")]
    assert capped["failed_condition"].startswith("Xếp thứ 2 trên 1 suất, ngoài số suất")
    assert any(f.startswith("Đề tài khoa học ĐT-2018-03") for f in capped["facts"])
    assert (story.champion, "chien_si_thi_dua_co_so") in granted
