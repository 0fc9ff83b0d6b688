"""The compilation follows the latest approved content, whatever the order it arrives in: a
corrected report delivered after its re-review, or after the compile, and an amendment after
compiling each compile a new version with its differences; an older report version or
amendment arriving after a newer one changes nothing; an issued decision stays as issued."""

import asyncio
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select

from awards.compile.models import Compilation
from services.awards.tests.one_phase_story import (
    OnePhase,
    deliver_until_review,
    published_compilations,
)
from services.awards.tests.test_council_story import CouncilStory, clock_at
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer

LAW_2013 = "law-2013-decree-91-2017"
LAW_2022 = "law-2022-decree-98-2023"


async def _versions(awards: RunningService, campaign_id: UUID) -> list[Compilation]:
    async with awards.runtime.sessionmaker() as session:
        rows = await session.execute(
            select(Compilation)
            .where(Compilation.campaign_id == campaign_id)
            .order_by(Compilation.version)
        )
        return list(rows.scalars())


async def _compiled(awards: RunningService, story: OnePhase) -> None:
    await deliver_until_review(awards, story)
    await awards.deliver(story.reviewed())
    assert [c.version for c in await _versions(awards, story.campaign_id)] == [1]


async def test_a_correction_approved_after_its_re_review_compiles_a_new_version(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await _compiled(awards, story)
    # The re-review names version 2 of the report, still on its way: compiling now would
    # announce the old content once more.
    await asyncio.gather(*(awards.deliver(story.reviewed(2, report_version=2)) for _ in range(2)))
    assert [c.version for c in await _versions(awards, story.campaign_id)] == [1]

    corrected = story.report(version=2, champion_discipline="canh_cao")
    await asyncio.gather(*(awards.deliver(corrected) for _ in range(3)))
    await awards.deliver(story.reviewed(2, report_version=2))

    first, second = await published_compilations(awards, bus, story.campaign_id)
    assert (first.version, second.version) == (1, 2)
    assert (second.added, second.removed) == ([], story.lost_to_a_warning())
    latest = (await _versions(awards, story.campaign_id))[-1]
    assert (latest.review_rounds, latest.report_versions) == ({"1": 2}, {f"1:{story.unit}": 2})


async def test_a_correction_after_the_compile_of_a_review_naming_no_version_compiles_again(
    awards: RunningService, bus: RecordingBus
) -> None:
    # Reviews published before they named the version read: the re-review can only be taken
    # to have read what is held, and the correction arriving after it compiles again.
    story = OnePhase()
    await deliver_until_review(awards, story)
    await awards.deliver(story.reviewed(report_version=None))
    await awards.deliver(story.reviewed(2, report_version=None))
    await awards.deliver(story.report(version=2, champion_discipline="canh_cao"))
    await awards.deliver(story.report(version=2, champion_discipline="canh_cao"))

    compiled = await published_compilations(awards, bus, story.campaign_id)
    assert [(c.version, c.added, c.removed) for c in compiled] == [
        (1, [], []),
        (2, [], []),
        (3, [], story.lost_to_a_warning()),
    ]
    versions = await _versions(awards, story.campaign_id)
    assert [c.report_versions for c in versions] == [{f"1:{story.unit}": v} for v in (1, 1, 2)]


async def test_an_amendment_after_compiling_compiles_a_new_version(
    awards: RunningService, bus: RecordingBus
) -> None:
    # The plan named the superseded rule set by mistake; the amendment applies the 2022 law.
    story = OnePhase(rule_set=LAW_2013)
    await _compiled(awards, story)
    amendment = story.amended(1, "Áp dụng Luật Thi đua, khen thưởng 2022", rule_set=LAW_2022)
    await asyncio.gather(*(awards.deliver(amendment) for _ in range(3)))

    first, second = await published_compilations(awards, bus, story.campaign_id)
    assert (first.rule_set, second.rule_set) == (LAW_2013, LAW_2022)
    assert second.version == 2
    # The provincial title replaces the bằng khen the 2013 set gave on the same CSTĐCS chain.
    assert (second.added, second.removed) == (
        [f"person:{story.champion}:chien_si_thi_dua_cap_tinh"],
        [f"person:{story.champion}:bang_khen_cap_tinh"],
    )
    assert [c.amendment_number for c in await _versions(awards, story.campaign_id)] == [0, 1]


async def test_older_versions_arriving_after_newer_ones_change_nothing(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await _compiled(awards, story)
    # Two corrections: the second (a warning) arrives first, the first (nothing to say about
    # the champion) after it, with its review round.
    await awards.deliver(story.reviewed(3, report_version=3))
    await awards.deliver(story.report(version=3, champion_discipline="canh_cao"))
    await awards.deliver(story.report(version=2))
    await awards.deliver(story.reviewed(2, report_version=2))
    await awards.deliver(story.report(version=1))
    # Two amendments of the title, the later first.
    await awards.deliver(story.amended(2, "Sửa tên kế hoạch", title="Phong trào thi đua 2024"))
    await awards.deliver(story.amended(1, "Sửa tên kế hoạch", title="Phong trào năm 2024"))

    compiled = await published_compilations(awards, bus, story.campaign_id)
    assert [(c.version, c.added, c.removed) for c in compiled] == [
        (1, [], []),
        (2, [], story.lost_to_a_warning()),
        (3, [], []),
    ]
    latest = (await _versions(awards, story.campaign_id))[-1]
    assert (latest.review_rounds, latest.report_versions, latest.amendment_number) == (
        {"1": 3},
        {f"1:{story.unit}": 3},
        2,
    )
    body = (await awards.client.get(f"/awards/campaigns/{story.campaign_id}/nominations")).json()
    assert body["version"] == 3
    assert story.champion not in {n["subject_code"] for n in body["nominations"]}


async def _decision(awards: RunningService, campaign_id: UUID, year: int) -> dict[str, Any]:
    council = CouncilStory(awards, year=year)
    council.campaign_id = campaign_id
    disclosure = await council.disclosed(date(year + 1, 1, 6))
    with clock_at(date(year + 1, 1, 22)):
        response = await awards.client.post(
            "/awards/decisions",
            json={
                "disclosure_id": disclosure["id"],
                "number": f"{uuid4().int % 10000}/QĐ-STTTT",
                "decided_on": f"{year + 1}-01-22",
                "place": "Đồng Nai",
                "issuing_agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                "parent_agency": "UBND TỈNH ĐỒNG NAI",
                "signer_authority": "KT. GIÁM ĐỐC",
                "signer_title": "PHÓ GIÁM ĐỐC",
                "signer_name": "Nguyễn Văn Thành",
                "recipients": ["Như Điều 3;", "Lưu: VT, VP."],
            },
            headers=bearer(Role.DECISION_SIGNER),
        )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_correction_after_the_decision_leaves_the_decision_as_issued(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = OnePhase()
    await _compiled(awards, story)
    decision = await _decision(awards, story.campaign_id, story.year)
    issued = (await awards.client.get(f"/awards/public/decisions/{decision['id']}")).json()

    await awards.deliver(story.report(version=2, champion_discipline="canh_cao"))
    await awards.deliver(story.reviewed(2, report_version=2))

    first, second = await published_compilations(awards, bus, story.campaign_id)
    assert (first.issued_decisions, second.issued_decisions) == ([], [decision["number"]])
    assert (second.version, second.removed) == (2, story.lost_to_a_warning())
    after = (await awards.client.get(f"/awards/public/decisions/{decision['id']}")).json()
    assert after == issued
    assert story.champion in {a["subject_code"] for a in after["awards"]}
