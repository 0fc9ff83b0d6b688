"""What the campaigns service announces. It consumes no events yet."""

from sqlalchemy.ext.asyncio import AsyncSession

from campaigns.models import Campaign, Phase
from thidua_shared.contracts.campaigns import (
    CampaignClosed,
    CampaignLaunched,
    ClusterSnapshot,
    PhaseClosed,
    PhaseOpened,
    PhaseSnapshot,
    TaskSnapshot,
    UnitSnapshot,
)
from thidua_shared.platform.consumer import HandlerSpec
from thidua_shared.platform.outbox import record_event

SOURCE = "/thidua/campaigns"
HANDLERS: dict[str, HandlerSpec] = {}


def _subject(campaign: Campaign) -> str:
    return f"campaigns/{campaign.id}"


async def campaign_launched(session: AsyncSession, campaign: Campaign) -> None:
    clusters: dict[str, list[str]] = {}
    for unit in campaign.participants:
        if unit.cluster:
            clusters.setdefault(unit.cluster, []).append(unit.unit_code)
    assert campaign.launched_at is not None
    data = CampaignLaunched(
        campaign_id=campaign.id,
        document_number=campaign.document_number,
        title=campaign.title,
        year=campaign.year,
        theme=campaign.theme,
        period_start=campaign.period_start,
        period_end=campaign.period_end,
        registration_deadline=campaign.registration_deadline,
        rule_set=campaign.rule_set,
        phases=[
            PhaseSnapshot(
                number=p.number,
                name=p.name,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                dedication=p.dedication,
            )
            for p in campaign.phases
        ],
        units=[
            UnitSnapshot(code=u.unit_code, name=u.unit_name, cluster=u.cluster)
            for u in campaign.participants
        ],
        clusters=[ClusterSnapshot(name=name, unit_codes=codes) for name, codes in clusters.items()],
        launched_at=campaign.launched_at,
        issuing_agency=campaign.issuing_agency,
        kind=campaign.kind,
        parent_campaign_id=campaign.parent_campaign_id,
        objectives=list(campaign.objectives),
        tasks=[TaskSnapshot.model_validate(t) for t in campaign.tasks],
        signer_name=campaign.signer_name,
        signer_title=campaign.signer_title,
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
