import asyncio
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select

from awards import events
from awards.compile.models import Compilation
from thidua_shared.contracts.awards import NominationsCompiled
from thidua_shared.contracts.campaigns import CampaignLaunched, PhaseSnapshot, UnitSnapshot
from thidua_shared.contracts.pledges import PledgeApproved, RegisteredMember
from thidua_shared.contracts.reports import (
    ApprovedReportRef,
    MemberEvaluation,
    MissingUnit,
    PhaseReviewed,
    ReportApproved,
)
from thidua_shared.testing import RecordingBus, RunningService

UNITS = ("PCNTT", "TTCNTT", "VP")
# VP's report for phase 2 was returned and never approved, so VP is not nominated.
NOMINATED = ["PCNTT", "TTCNTT"]


class Story:
    """One two-phase campaign and the events that report on it: each unit registers two
    members, both rated tốt in the final review."""

    def __init__(self) -> None:
        self.campaign_id = uuid4()
        self.report_ids = {(phase, unit): uuid4() for phase in (1, 2) for unit in UNITS}

    def launched(self) -> CampaignLaunched:
        return CampaignLaunched(
            campaign_id=self.campaign_id,
            document_number="60/KH-STTTT",
            title="Kế hoạch phát động phong trào thi đua năm 2018",
            year=2018,
            period_start=date(2018, 1, 1),
            period_end=date(2018, 12, 31),
            rule_set="law-2013-decree-91-2017",
            phases=[
                PhaseSnapshot(
                    number=1, name="Đợt 1", starts_on=date(2018, 1, 1), ends_on=date(2018, 6, 30)
                ),
                PhaseSnapshot(
                    number=2, name="Đợt 2", starts_on=date(2018, 7, 1), ends_on=date(2018, 12, 31)
                ),
            ],
            units=[UnitSnapshot(code=code, name=f"Đơn vị {code}") for code in UNITS],
            clusters=[],
            launched_at=datetime(2018, 1, 2, tzinfo=UTC),
        )

    def registrations(self) -> list[PledgeApproved]:
        return [
            PledgeApproved(
                registration_id=uuid4(),
                campaign_id=self.campaign_id,
                unit_code=unit,
                version=1,
                collective_title="tap_the_lao_dong_tien_tien",
                members=[
                    RegisteredMember(staff_code=f"{unit}-{i}", full_name=f"Cán bộ {i}")
                    for i in (1, 2)
                ],
                approved_at=datetime(2018, 1, 20, tzinfo=UTC),
            )
            for unit in UNITS
        ]

    def reports(self) -> list[ReportApproved]:
        return [
            ReportApproved(
                report_id=self.report_ids[(phase, unit)],
                campaign_id=self.campaign_id,
                phase_number=phase,
                unit_code=unit,
                version=1,
                self_assessment="tot",
                kind="final" if phase == 2 else "preliminary",
                approved_at=datetime(2018, 7 if phase == 1 else 12, 10, tzinfo=UTC),
                member_evaluations=[
                    MemberEvaluation(
                        staff_code=f"{unit}-{i}", full_name=f"Cán bộ {i}", task_rating="tot"
                    )
                    for i in (1, 2)
                ]
                if phase == 2
                else [],
            )
            for phase in (1, 2)
            for unit in UNITS
            if phase == 1 or unit != "VP"
        ]

    async def register_and_report(self, awards: RunningService) -> None:
        for event in (*self.registrations(), *self.reports()):
            await awards.deliver(event)

    def reviewed(self, phase: int) -> PhaseReviewed:
        approved = [u for u in UNITS if phase == 1 or u != "VP"]
        return PhaseReviewed(
            campaign_id=self.campaign_id,
            phase_number=phase,
            phases_total=2,
            approved_reports=[
                ApprovedReportRef(unit_code=u, report_id=self.report_ids[(phase, u)])
                for u in approved
            ],
            missing_units=[] if phase == 1 else [MissingUnit(unit_code="VP", reason="returned")],
            reviewed_at=datetime(2018, 7, 15 if phase == 1 else 12, tzinfo=UTC),
        )


async def _compilation_count(awards: RunningService, campaign_id: UUID) -> int:
    query = select(func.count()).where(Compilation.campaign_id == campaign_id)
    async with awards.runtime.sessionmaker() as session:
        return (await session.execute(query)).scalar_one()


async def _published(
    awards: RunningService, bus: RecordingBus, campaign_id: UUID
) -> list[NominationsCompiled]:
    await awards.drain_outbox()
    return [
        e.payload(NominationsCompiled)
        for e in bus.of_type("nominations.compiled")
        if e.subject == f"compilations/{campaign_id}"
    ]


async def _assert_compiled_once(awards: RunningService, bus: RecordingBus, story: Story) -> None:
    assert await _compilation_count(awards, story.campaign_id) == 1
    [compiled] = await _published(awards, bus, story.campaign_id)
    assert compiled.version == 1
    assert compiled.rule_set == "law-2013-decree-91-2017"
    units = [n for n in compiled.nominations if n.subject_kind == "unit"]
    assert [n.subject_code for n in units] == NOMINATED
    for nomination in units:
        assert nomination.title == "tap_the_lao_dong_tien_tien"
        assert nomination.rule_id == "ttldtt-2013"
        assert nomination.facts[0].startswith("Báo cáo của cả 2 đợt đều được phê duyệt")
        for phase in (1, 2):
            report_id = story.report_ids[(phase, nomination.subject_code)]
            assert f"đợt {phase}: báo cáo {report_id}" in nomination.basis

    response = await awards.client.get(
        "/awards/nominations", params={"campaign_id": str(story.campaign_id)}
    )
    assert response.status_code == 200, response.text
    # The old second path of the nominations: answered as before, pointing at the one to use.
    assert response.headers["Deprecation"].startswith("@")
    canonical = f"</awards/campaigns/{story.campaign_id}/nominations>"
    assert response.headers["Link"] == f'{canonical}; rel="successor-version"'
    body = response.json()
    assert body["campaign_id"] == str(story.campaign_id)
    assert body["version"] == 1
    unit_items = [item for item in body["items"] if item["subject_kind"] == "unit"]
    assert [item["subject_code"] for item in unit_items] == NOMINATED
    assert unit_items[0]["basis"] == units[0].basis


async def test_phases_reviewed_in_order_compile_once(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = Story()
    await story.register_and_report(awards)
    await awards.deliver(story.launched())
    await awards.deliver(story.reviewed(1))
    assert await _compilation_count(awards, story.campaign_id) == 0
    assert await _published(awards, bus, story.campaign_id) == []

    await awards.deliver(story.reviewed(2))
    await _assert_compiled_once(awards, bus, story)

    summary = await awards.client.get(f"/awards/compilations/{story.campaign_id}")
    assert summary.status_code == 200, summary.text
    assert summary.headers["ETag"] == '"1"'
    assert summary.headers["Deprecation"].startswith("@")
    assert {k: v for k, v in summary.json().items() if k != "compiled_at"} == {
        "campaign_id": str(story.campaign_id),
        "version": 1,
        "phases_reviewed": 2,
        "nomination_count": 6,
    }


async def test_phases_reviewed_in_reverse_order_compile_the_same(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = Story()
    await story.register_and_report(awards)
    await awards.deliver(story.launched())
    await awards.deliver(story.reviewed(2))
    assert await _compilation_count(awards, story.campaign_id) == 0
    await awards.deliver(story.reviewed(1))
    await _assert_compiled_once(awards, bus, story)


async def test_redelivered_and_republished_reviews_compile_once(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = Story()
    await story.register_and_report(awards)
    await awards.deliver(story.launched())
    for phase in (1, 2):
        first = await awards.deliver(story.reviewed(phase))
        await awards.deliver(story.reviewed(phase), envelope=first)
        await awards.deliver(story.reviewed(phase))
        await awards.deliver(story.reviewed(phase))
    again = await awards.deliver(story.launched())
    await awards.deliver(story.launched(), envelope=again)
    await _assert_compiled_once(awards, bus, story)


async def test_reviews_before_the_launch_compile_once_the_campaign_is_known(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = Story()
    await story.register_and_report(awards)
    await awards.deliver(story.reviewed(2))
    await awards.deliver(story.reviewed(1))
    # The participating units and the rule set come with campaign.launched.
    assert await _compilation_count(awards, story.campaign_id) == 0
    pending = await awards.client.get(
        "/awards/nominations", params={"campaign_id": str(story.campaign_id)}
    )
    assert pending.status_code == 404
    assert pending.json()["field"] == "campaign_id"

    await awards.deliver(story.launched())
    await awards.deliver(story.launched())
    await _assert_compiled_once(awards, bus, story)


async def test_concurrent_reviews_compile_exactly_once(
    awards: RunningService, bus: RecordingBus
) -> None:
    stories = [Story() for _ in range(8)]
    for story in stories:
        await story.register_and_report(awards)
        await awards.deliver(story.launched())
    await asyncio.gather(
        *(awards.deliver(story.reviewed(phase)) for story in stories for phase in (1, 2))
    )
    for story in stories:
        await _assert_compiled_once(awards, bus, story)


async def test_every_event_at_once_compiles_exactly_once(
    awards: RunningService, bus: RecordingBus
) -> None:
    stories = [Story() for _ in range(4)]
    for story in stories:
        await story.register_and_report(awards)
    await asyncio.gather(
        *(
            awards.deliver(event)
            for story in stories
            for event in (story.reviewed(2), story.launched(), story.reviewed(1)) * 2
        )
    )
    for story in stories:
        await _assert_compiled_once(awards, bus, story)


async def test_a_long_list_is_announced_in_parts(
    awards: RunningService, bus: RecordingBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "NOMINATIONS_PER_EVENT", 4)
    story = Story()
    await story.register_and_report(awards)
    await awards.deliver(story.launched())
    await awards.deliver(story.reviewed(1))
    await awards.deliver(story.reviewed(2))
    first, second = await _published(awards, bus, story.campaign_id)
    assert [(e.part, e.parts, e.version) for e in (first, second)] == [(1, 2, 1), (2, 2, 1)]
    assert len(first.nominations) == 4
    assert len(second.nominations) == 2
    listed = {(n.subject_code, n.title) for e in (first, second) for n in e.nominations}
    assert len(listed) == 6


async def test_reviews_wait_for_the_reports_they_list(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = Story()
    for registration in story.registrations():
        await awards.deliver(registration)
    await awards.deliver(story.launched())
    await awards.deliver(story.reviewed(1))
    await awards.deliver(story.reviewed(2))
    *early, last = story.reports()
    for report in early:
        await awards.deliver(report)
    assert await _compilation_count(awards, story.campaign_id) == 0
    await awards.deliver(last)
    await awards.deliver(last)
    await _assert_compiled_once(awards, bus, story)
