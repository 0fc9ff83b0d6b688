"""A one-phase campaign whose single unit's champion reaches the provincial title through
imported history, and the events that report on it: the setting the recompile tests share. It
holds no tests of its own."""

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from thidua_shared.contracts.awards import NominationsCompiled
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
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

    def amended(self, number: int, reason: str, **changes: Any) -> CampaignAmended:
        return CampaignAmended.model_validate(
            {
                **self.launched().model_dump(),
                **changes,
                "amendment_number": number,
                "reason": reason,
                "changed_fields": sorted(changes),
                "amended_at": datetime(self.year, 12, 30, tzinfo=UTC),
            }
        )

    def reviewed(self, review_round: int = 1, report_version: int | None = 1) -> PhaseReviewed:
        """The review names the report version it read, as the reports service publishes it;
        None is a review published before reviews named versions."""
        return PhaseReviewed(
            campaign_id=self.campaign_id,
            phase_number=1,
            phases_total=1,
            approved_reports=[
                ApprovedReportRef(
                    unit_code=self.unit, report_id=self.report_id, version=report_version
                )
            ],
            reviewed_at=datetime(self.year, 12, 28, tzinfo=UTC),
            review_round=review_round,
        )

    def lost_to_a_warning(self) -> list[str]:
        """The nominations a warning (cảnh cáo) for the champion in a corrected report removes:
        hers, and the unit's, which counted her. Her bằng khen and the unit's "tiên tiến" were
        never nominated: one form for her chain of CSTĐCS years, one level for the unit."""
        return [
            f"person:{self.champion}:chien_si_thi_dua_cap_tinh",
            f"person:{self.champion}:chien_si_thi_dua_co_so",
            f"person:{self.champion}:lao_dong_tien_tien",
            f"unit:{self.unit}:tap_the_lao_dong_xuat_sac",
        ]

    def history_csv(self) -> bytes:
        lines = ["Đối tượng,Mã,Tên,Mã đơn vị,Năm,Danh hiệu,Sáng kiến"] + [
            f"Cá nhân,{self.champion},Nguyễn Thị Hoà,{self.unit},{year},Chiến sĩ thi đua cơ sở,"
            for year in (self.year - 2, self.year - 1)
        ]
        return "\n".join(lines).encode()


async def published_compilations(
    awards: RunningService, bus: RecordingBus, campaign_id: UUID
) -> list[NominationsCompiled]:
    await awards.drain_outbox()
    return [
        e.payload(NominationsCompiled)
        for e in bus.of_type("nominations.compiled")
        if e.subject == f"compilations/{campaign_id}"
    ]


async def deliver_until_review(awards: RunningService, story: OnePhase) -> None:
    """The history imported, the launch, the registration and the report (version 1)."""
    imported = await awards.client.post(
        "/awards/history/import", content=story.history_csv(), headers={"Content-Type": "text/csv"}
    )
    assert imported.status_code == 200, imported.text
    for event in (story.launched(), story.pledge(), story.report()):
        await awards.deliver(event)
