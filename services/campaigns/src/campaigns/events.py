"""What the campaigns service announces: the campaign, its phases and the unit directory."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from campaigns.directory_models import Cluster, ClusterLeadership, Unit
from campaigns.models import Amendment, Campaign, Phase
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignCancelled,
    CampaignClosed,
    CampaignLaunched,
    ClusterSnapshot,
    PhaseClosed,
    PhaseOpened,
    PhaseSnapshot,
    TaskSnapshot,
    UnitSnapshot,
)
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.platform.clock import now
from thidua_shared.platform.outbox import record_event

SOURCE = "/thidua/campaigns"


def _subject(campaign: Campaign) -> str:
    return f"campaigns/{campaign.id}"


def _snapshot(campaign: Campaign) -> dict[str, Any]:
    """The whole plan as announced at launch and again after each amendment."""
    clusters: dict[str, list[str]] = {}
    for unit in campaign.participants:
        if unit.cluster:
            clusters.setdefault(unit.cluster, []).append(unit.unit_code)
    assert campaign.launched_at is not None
    return {
        "campaign_id": campaign.id,
        "document_number": campaign.document_number,
        "title": campaign.title,
        "year": campaign.year,
        "theme": campaign.theme,
        "period_start": campaign.period_start,
        "period_end": campaign.period_end,
        "registration_deadline": campaign.registration_deadline,
        "rule_set": campaign.rule_set,
        "phases": [
            PhaseSnapshot(
                number=p.number,
                name=p.name,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                dedication=p.dedication,
            )
            for p in campaign.phases
        ],
        "units": [
            UnitSnapshot(code=u.unit_code, name=u.unit_name, cluster=u.cluster)
            for u in campaign.participants
        ],
        "clusters": [
            ClusterSnapshot(name=name, unit_codes=codes) for name, codes in clusters.items()
        ],
        "launched_at": campaign.launched_at,
        "issuing_agency": campaign.issuing_agency,
        "kind": campaign.kind,
        "parent_campaign_id": campaign.parent_campaign_id,
        "objectives": list(campaign.objectives),
        "tasks": [TaskSnapshot.model_validate(t) for t in campaign.tasks],
        "signer_name": campaign.signer_name,
        "signer_title": campaign.signer_title,
        "parent_agency": campaign.parent_agency,
        "place_of_issue": campaign.place_of_issue,
        "issued_on": campaign.issued_on,
        "legal_bases": list(campaign.legal_bases),
        "introduction": list(campaign.introduction),
        "tasks_introduction": campaign.tasks_introduction,
        "implementation": list(campaign.implementation),
        "closing": campaign.closing,
        "recipients": list(campaign.recipients),
        "cluster_codes": list(campaign.cluster_codes),
        "amendment_count": campaign.amendment_count,
    }


async def campaign_launched(session: AsyncSession, campaign: Campaign) -> None:
    data = CampaignLaunched(**_snapshot(campaign))
    await record_event(session, data, source=SOURCE, subject=_subject(campaign))


async def campaign_amended(session: AsyncSession, campaign: Campaign, amendment: Amendment) -> None:
    data = CampaignAmended(
        **_snapshot(campaign),
        amendment_number=amendment.number,
        reason=amendment.reason,
        changed_fields=list(amendment.changed_fields),
        amended_at=amendment.amended_at,
    )
    await record_event(session, data, source=SOURCE, subject=_subject(campaign))


async def campaign_cancelled(session: AsyncSession, campaign: Campaign) -> None:
    assert campaign.cancelled_at is not None
    assert campaign.cancel_reason is not None
    data = CampaignCancelled(
        campaign_id=campaign.id, reason=campaign.cancel_reason, cancelled_at=campaign.cancelled_at
    )
    await record_event(session, data, source=SOURCE, subject=_subject(campaign))


async def phase_opened(session: AsyncSession, campaign: Campaign, phase: Phase) -> None:
    assert phase.opened_at is not None
    data = PhaseOpened(
        campaign_id=campaign.id, phase_number=phase.number, opened_at=phase.opened_at
    )
    await record_event(session, data, source=SOURCE, subject=_subject(campaign))


async def phase_closed(
    session: AsyncSession, campaign: Campaign, phase: Phase, *, is_last: bool
) -> None:
    assert phase.closed_at is not None
    data = PhaseClosed(
        campaign_id=campaign.id,
        phase_number=phase.number,
        phases_total=len(campaign.phases),
        is_last=is_last,
        closed_at=phase.closed_at,
        reason=phase.close_reason,
    )
    await record_event(session, data, source=SOURCE, subject=_subject(campaign))


async def campaign_closed(session: AsyncSession, campaign: Campaign) -> None:
    assert campaign.closed_at is not None
    data = CampaignClosed(campaign_id=campaign.id, closed_at=campaign.closed_at)
    await record_event(session, data, source=SOURCE, subject=_subject(campaign))


async def unit_changed(session: AsyncSession, unit: Unit) -> None:
    data = UnitChanged(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        parent_code=unit.parent_code,
        contact=unit.contact,
        active=unit.active,
        changed_at=now(),
    )
    await record_event(session, data, source=SOURCE, subject=f"units/{unit.code}")


async def cluster_changed(
    session: AsyncSession, cluster: Cluster, leadership: ClusterLeadership | None = None
) -> None:
    data = ClusterChanged(
        code=cluster.code,
        name=cluster.name,
        unit_codes=[m.unit_code for m in cluster.members],
        year=leadership.year if leadership else None,
        leader_unit=leadership.leader_unit if leadership else None,
        deputy_unit=leadership.deputy_unit if leadership else None,
        active=cluster.active,
        changed_at=now(),
    )
    await record_event(session, data, source=SOURCE, subject=f"clusters/{cluster.code}")
