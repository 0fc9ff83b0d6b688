"""The read model keeps only what is newer, whatever order the events arrive in."""

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from sqlalchemy import select

from awards.read_model.models import (
    Campaign,
    CampaignUnit,
    DirectoryCluster,
    DirectoryUnit,
    RegisteredMember,
)
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignLaunched,
    PhaseSnapshot,
    UnitSnapshot,
)
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.contracts.pledges import RegisteredMember as Member
from thidua_shared.testing import RunningService


def _pledge(campaign_id: UUID, version: int, codes: list[str]) -> PledgeApproved:
    return PledgeApproved(
        registration_id=uuid4(),
        campaign_id=campaign_id,
        unit_code="PCNTT",
        version=version,
        members=[
            Member(
                staff_code=c,
                full_name=f"Phạm Thị {c}",
                gender="female",
                title_aimed="lao_dong_tien_tien",
            )
            for c in codes
        ],
        approved_at=datetime(2018, 1, version, tzinfo=UTC),
    )


async def test_a_newer_registration_replaces_its_members_an_older_one_does_not(
    awards: RunningService,
) -> None:
    campaign_id = uuid4()
    await awards.deliver(_pledge(campaign_id, 2, ["CB1", "CB3"]))
    await awards.deliver(_pledge(campaign_id, 1, ["CB1", "CB2"]))
    async with awards.runtime.sessionmaker() as session:
        rows = await session.execute(
            select(RegisteredMember).where(RegisteredMember.campaign_id == campaign_id)
        )
        members = rows.scalars().all()
    assert sorted(m.staff_code for m in members) == ["CB1", "CB3"]
    assert {m.full_name for m in members} == {"Phạm Thị CB1", "Phạm Thị CB3"}


async def test_units_and_clusters_keep_their_latest_record(awards: RunningService) -> None:
    code = f"U{uuid4().hex[:8]}"
    later = datetime(2018, 3, 1, tzinfo=UTC)
    earlier = datetime(2018, 2, 1, tzinfo=UTC)
    await awards.deliver(UnitChanged(code=code, name="Phòng Bưu chính", changed_at=later))
    await awards.deliver(UnitChanged(code=code, name="Phòng cũ", changed_at=earlier))
    await awards.deliver(
        ClusterChanged(
            code=code,
            name="Cụm thi đua số 1",
            unit_codes=["A", "B"],
            leader_unit="A",
            changed_at=later,
        )
    )
    await awards.deliver(
        ClusterChanged(code=code, name="Cụm cũ", unit_codes=["A"], changed_at=earlier)
    )
    async with awards.runtime.sessionmaker() as session:
        unit = await session.get(DirectoryUnit, code)
        cluster = await session.get(DirectoryCluster, code)
    assert unit is not None
    assert unit.name == "Phòng Bưu chính"
    assert cluster is not None
    assert (cluster.name, cluster.unit_codes, cluster.leader_unit) == (
        "Cụm thi đua số 1",
        ["A", "B"],
        "A",
    )


def _launched(campaign_id: UUID, units: list[str]) -> CampaignLaunched:
    return CampaignLaunched(
        campaign_id=campaign_id,
        document_number="60/KH-STTTT",
        title="Phong trào thi đua năm 2018",
        year=2018,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        rule_set="law-2013-decree-91-2017",
        phases=[
            PhaseSnapshot(
                number=1, name="Cả năm", starts_on=date(2018, 1, 1), ends_on=date(2018, 12, 31)
            )
        ],
        units=[UnitSnapshot(code=code, name=f"Đơn vị {code}") for code in units],
        clusters=[],
        launched_at=datetime(2018, 1, 9, tzinfo=UTC),
    )


async def test_an_amendment_outlives_a_late_copy_of_the_launch(awards: RunningService) -> None:
    campaign_id = uuid4()
    launched = _launched(campaign_id, ["A", "B"])
    amended = CampaignAmended(
        **_launched(campaign_id, ["A", "B", "C"]).model_dump(),
        amendment_number=1,
        reason="Bổ sung đơn vị",
        changed_fields=["units"],
        amended_at=datetime(2018, 2, 1, tzinfo=UTC),
    )
    await awards.deliver(launched)
    await awards.deliver(amended)
    await awards.deliver(launched)
    async with awards.runtime.sessionmaker() as session:
        rows = await session.execute(
            select(CampaignUnit.unit_code).where(CampaignUnit.campaign_id == campaign_id)
        )
        campaign = await session.get(Campaign, campaign_id)
    assert sorted(rows.scalars()) == ["A", "B", "C"]
    assert campaign is not None
    assert campaign.amendment_number == 1
