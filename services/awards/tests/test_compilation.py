import asyncio
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from sqlalchemy import func, select

from awards.models import Compilation
from thidua_shared.contracts.awards import NominationsCompiled
from thidua_shared.contracts.campaigns import CampaignLaunched, PhaseSnapshot, UnitSnapshot
from thidua_shared.contracts.reports import ApprovedReportRef, MissingUnit, PhaseReviewed
from thidua_shared.testing import RecordingBus, RunningService

UNITS = ("PCNTT", "TTCNTT", "VP")
# VP's report for phase 2 was returned and never approved, so VP is not nominated.
NOMINATED = ["PCNTT", "TTCNTT"]


class Story:
    """One two-phase campaign and the events that report on it."""

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
    assert [n.subject_code for n in compiled.nominations] == NOMINATED
    for nomination in compiled.nominations:
        assert nomination.subject_kind == "unit"
        assert nomination.title == "tap_the_lao_dong_tien_tien"
        assert nomination.basis.startswith("Báo cáo của cả 2 đợt đều được phê duyệt")
        for phase in (1, 2):
            report_id = story.report_ids[(phase, nomination.subject_code)]
            assert f"đợt {phase}: báo cáo {report_id}" in nomination.basis

    response = await awards.client.get(
        "/awards/nominations", params={"campaign_id": str(story.campaign_id)}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["campaign_id"] == str(story.campaign_id)
    assert body["version"] == 1
    assert [item["subject_code"] for item in body["items"]] == NOMINATED
    assert body["items"][0]["basis"] == compiled.nominations[0].basis


async def test_phases_reviewed_in_order_compile_once(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = Story()
    await awards.deliver(story.launched())
    await awards.deliver(story.reviewed(1))
    assert await _compilation_count(awards, story.campaign_id) == 0
    assert await _published(awards, bus, story.campaign_id) == []

    await awards.deliver(story.reviewed(2))
    await _assert_compiled_once(awards, bus, story)

    summary = await awards.client.get(f"/awards/compilations/{story.campaign_id}")
    assert summary.status_code == 200, summary.text
    assert summary.headers["ETag"] == '"1"'
    assert {k: v for k, v in summary.json().items() if k != "compiled_at"} == {
        "campaign_id": str(story.campaign_id),
        "version": 1,
        "phases_reviewed": 2,
        "nomination_count": 2,
    }


async def test_phases_reviewed_in_reverse_order_compile_the_same(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = Story()
    await awards.deliver(story.launched())
    await awards.deliver(story.reviewed(2))
    assert await _compilation_count(awards, story.campaign_id) == 0
    await awards.deliver(story.reviewed(1))
    await _assert_compiled_once(awards, bus, story)


async def test_redelivered_and_republished_reviews_compile_once(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = Story()
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
    await asyncio.gather(
        *(
            awards.deliver(event)
            for story in stories
            for event in (story.reviewed(2), story.launched(), story.reviewed(1)) * 2
        )
    )
    for story in stories:
        await _assert_compiled_once(awards, bus, story)
