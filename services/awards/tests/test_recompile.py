"""A one-phase campaign end to end through the read model: the history imported, the chain
reaching the provincial title with its explanation, then a corrected report re-reviewed
compiling version 2 with its differences."""

import asyncio
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from thidua_shared.contracts.awards import NominationsCompiled
from thidua_shared.contracts.campaigns import (
    CampaignCancelled,
    CampaignLaunched,
    PhaseSnapshot,
    UnitSnapshot,
)
from thidua_shared.contracts.pledges import PledgeApproved, RegisteredMember
from thidua_shared.contracts.reports import (
    ApprovedReportRef,
    Initiative,
    MemberEvaluation,
    PhaseReviewed,
    ReportApproved,
)
from thidua_shared.testing import RecordingBus, RunningService

FILLERS = 9


class OnePhase:
    def __init__(self, rule_set: str = "law-2022-decree-98-2023", year: int = 2024) -> None:
        self.campaign_id = uuid4()
        self.rule_set = rule_set
        self.year = year
        self.unit = f"U{uuid4().hex[:6]}"
        self.champion = f"{self.unit}-CB01"
        self.report_id = uuid4()

    def launched(self) -> CampaignLaunched:
        return CampaignLaunched(
            campaign_id=self.campaign_id,
            document_number="01/KH-STTTT",
            title=f"Phong trào thi đua năm {self.year}",
            year=self.year,
            period_start=date(self.year, 1, 1),
            period_end=date(self.year, 12, 31),
            rule_set=self.rule_set,
            phases=[
                PhaseSnapshot(
                    number=1,
                    name="Cả năm",
                    starts_on=date(self.year, 1, 1),
                    ends_on=date(self.year, 12, 31),
                )
            ],
            units=[UnitSnapshot(code=self.unit, name="Phòng Công nghệ thông tin")],
            clusters=[],
            launched_at=datetime(self.year, 1, 2, tzinfo=UTC),
        )

    def pledge(self) -> PledgeApproved:
        members = [
            RegisteredMember(
                staff_code=self.champion,
                full_name="Nguyễn Thị Hoà",
                gender="female",
                title_aimed="chien_si_thi_dua_cap_tinh",
            )
        ] + [
            RegisteredMember(staff_code=f"{self.unit}-F{i}", full_name=f"Trần Văn {i}")
            for i in range(FILLERS)
        ]
        return PledgeApproved(
            registration_id=uuid4(),
            campaign_id=self.campaign_id,
            unit_code=self.unit,
            version=1,
            collective_title="tap_the_lao_dong_xuat_sac",
            members=members,
            approved_at=datetime(self.year, 1, 20, tzinfo=UTC),
        )

    def report(self, version: int = 1, champion_discipline: str = "none") -> ReportApproved:
        champion = MemberEvaluation(
            staff_code=self.champion,
            full_name="Nguyễn Thị Hoà",
            task_rating="xuat_sac",
            discipline=champion_discipline,
            initiatives=[
                Initiative(
                    identifier=f"SK-{self.unit}-1",
                    title="Số hoá hồ sơ một cửa",
                    level="provincial",
                    year=self.year,
                )
            ],
        )
        fillers = [
            MemberEvaluation(
                staff_code=f"{self.unit}-F{i}", full_name=f"Trần Văn {i}", task_rating="tot"
            )
            for i in range(FILLERS)
        ]
        return ReportApproved(
            report_id=self.report_id,
            campaign_id=self.campaign_id,
            phase_number=1,
            unit_code=self.unit,
            version=version,
            self_assessment="xuat_sac",
            kind="final",
            approved_at=datetime(self.year, 12, 20, tzinfo=UTC),
            member_evaluations=[champion, *fillers],
        )

    def reviewed(self, review_round: int = 1) -> PhaseReviewed:
        return PhaseReviewed(
            campaign_id=self.campaign_id,
            phase_number=1,
            phases_total=1,
            approved_reports=[ApprovedReportRef(unit_code=self.unit, report_id=self.report_id)],
            reviewed_at=datetime(self.year, 12, 28, tzinfo=UTC),
            review_round=review_round,
        )

    def history_csv(self) -> bytes:
        lines = ["Đối tượng,Mã,Tên,Mã đơn vị,Năm,Danh hiệu,Sáng kiến"] + [
            f"Cá nhân,{self.champion},Nguyễn Thị Hoà,{self.unit},{year},Chiến sĩ thi đua cơ sở,"
            for year in (self.year - 2, self.year - 1)
        ]
        return "\n".join(lines).encode()


async def _published(
    awards: RunningService, bus: RecordingBus, campaign_id: UUID
) -> list[NominationsCompiled]:
    await awards.drain_outbox()
    return [
        e.payload(NominationsCompiled)
        for e in bus.of_type("nominations.compiled")
        if e.subject == f"compilations/{campaign_id}"
    ]


async def _start(awards: RunningService, story: OnePhase) -> None:
    imported = await awards.client.post(
        "/awards/history/import", content=story.history_csv(), headers={"Content-Type": "text/csv"}
    )
    assert imported.status_code == 200, imported.text
    for event in (story.launched(), story.pledge(), story.report()):
        await awards.deliver(event)


async def test_the_chain_with_imported_history_reaches_the_provincial_title(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await _start(awards, story)
    await awards.deliver(story.reviewed())

    response = await awards.client.get(f"/awards/campaigns/{story.campaign_id}/nominations")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 1
    assert body["rule_set"] == "law-2022-decree-98-2023"
    mine = {n["title"]: n for n in body["nominations"] if n["subject_code"] == story.champion}
    assert set(mine) == {
        "lao_dong_tien_tien",
        "chien_si_thi_dua_co_so",
        "chien_si_thi_dua_cap_tinh",
        "bang_khen_cap_tinh",
    }
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
    assert body["refusals"] == []

    [compiled] = await _published(awards, bus, story.campaign_id)
    published = [n for n in compiled.nominations if n.subject_code == story.champion]
    assert {n.rule_id for n in published} >= {"cstd-tinh-2022"}
    assert all(n.citation and n.facts and n.unit_code == story.unit for n in published)


async def test_a_corrected_report_re_reviewed_compiles_version_2_with_the_differences(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await _start(awards, story)
    await awards.deliver(story.reviewed())
    # The office reopens the phase: the champion had a warning after all.
    await awards.deliver(story.report(version=2, champion_discipline="canh_cao"))
    await awards.deliver(story.report(version=1))  # a late copy of the old version
    await asyncio.gather(*(awards.deliver(story.reviewed(2)) for _ in range(3)))
    await awards.deliver(story.reviewed(1))

    first, second = await _published(awards, bus, story.campaign_id)
    assert (first.version, second.version) == (1, 2)
    champion = story.champion
    assert second.removed == [
        f"person:{champion}:bang_khen_cap_tinh",
        f"person:{champion}:chien_si_thi_dua_cap_tinh",
        f"person:{champion}:chien_si_thi_dua_co_so",
        f"person:{champion}:lao_dong_tien_tien",
        f"unit:{story.unit}:tap_the_lao_dong_tien_tien",
        f"unit:{story.unit}:tap_the_lao_dong_xuat_sac",
    ]
    assert second.added == []

    versions = await awards.client.get(f"/awards/campaigns/{story.campaign_id}/compilations")
    assert versions.status_code == 200, versions.text
    items = versions.json()["items"]
    assert [(i["version"], i["review_rounds"]) for i in items] == [(1, {"1": 1}), (2, {"1": 2})]
    assert items[1]["removed"] == second.removed

    body = (await awards.client.get(f"/awards/campaigns/{story.campaign_id}/nominations")).json()
    assert body["version"] == 2
    refused, collective = body["refusals"]
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
    await _start(awards, story)
    await awards.deliver(
        CampaignCancelled(
            campaign_id=story.campaign_id,
            reason="Trùng kế hoạch",
            cancelled_at=datetime(story.year, 3, 1, tzinfo=UTC),
        )
    )
    await awards.deliver(story.reviewed())
    assert await _published(awards, bus, story.campaign_id) == []
    response = await awards.client.get(f"/awards/campaigns/{story.campaign_id}/compilations")
    assert response.status_code == 404
    assert response.json()["field"] == "campaign_id"
