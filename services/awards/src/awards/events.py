"""What the awards service consumes and announces."""

import math
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from awards import read_model_updates, service
from awards.engine import NominationDraft
from awards.models import Compilation
from thidua_shared.contracts.awards import CompiledNomination, NominationsCompiled
from thidua_shared.contracts.campaigns import CampaignAmended, CampaignCancelled, CampaignLaunched
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.contracts.reports import PhaseReviewed, ReportApproved
from thidua_shared.platform.consumer import HandlerSpec
from thidua_shared.platform.outbox import record_event

SOURCE = "/thidua/awards"


async def on_campaign_launched(
    session: AsyncSession, payload: CampaignLaunched, envelope: Envelope
) -> None:
    await service.record_campaign_launched(session, payload)


async def on_campaign_cancelled(
    session: AsyncSession, payload: CampaignCancelled, envelope: Envelope
) -> None:
    await service.record_campaign_cancelled(session, payload)


async def on_phase_reviewed(
    session: AsyncSession, payload: PhaseReviewed, envelope: Envelope
) -> None:
    await service.record_phase_review(session, payload, event_id=envelope.id)


async def on_pledge_approved(
    session: AsyncSession, payload: PledgeApproved, envelope: Envelope
) -> None:
    await read_model_updates.record_pledge_approved(session, payload)


async def on_report_approved(
    session: AsyncSession, payload: ReportApproved, envelope: Envelope
) -> None:
    await read_model_updates.record_report_approved(session, payload)
    await service.compile_if_due(session, payload.campaign_id)


async def on_unit_changed(session: AsyncSession, payload: UnitChanged, envelope: Envelope) -> None:
    await read_model_updates.record_unit_changed(session, payload)


async def on_cluster_changed(
    session: AsyncSession, payload: ClusterChanged, envelope: Envelope
) -> None:
    await read_model_updates.record_cluster_changed(session, payload)


HANDLERS: dict[str, HandlerSpec] = {
    CampaignLaunched.event_type: HandlerSpec(CampaignLaunched, on_campaign_launched),
    CampaignAmended.event_type: HandlerSpec(CampaignAmended, on_campaign_launched),
    CampaignCancelled.event_type: HandlerSpec(CampaignCancelled, on_campaign_cancelled),
    PhaseReviewed.event_type: HandlerSpec(PhaseReviewed, on_phase_reviewed),
    PledgeApproved.event_type: HandlerSpec(PledgeApproved, on_pledge_approved),
    ReportApproved.event_type: HandlerSpec(ReportApproved, on_report_approved),
    UnitChanged.event_type: HandlerSpec(UnitChanged, on_unit_changed),
    ClusterChanged.event_type: HandlerSpec(ClusterChanged, on_cluster_changed),
}


# A province's list (tens of thousands of nominations, each with its explanation) would make
# one message of tens of megabytes, past what brokers accept by default (RabbitMQ: 16 MiB).
NOMINATIONS_PER_EVENT = 2_000


async def nominations_compiled(
    session: AsyncSession, compilation: Compilation, nominations: Sequence[NominationDraft]
) -> None:
    # Built from our own drafts: validating tens of thousands of them again costs seconds.
    announced = [
        CompiledNomination.model_construct(
            subject_kind=n.subject_kind,
            subject_code=n.subject_code,
            title=n.title,
            basis=n.basis,
            subject_name=n.subject_name,
            unit_code=n.unit_code,
            rule_id=n.rule_id,
            citation=n.citation,
            facts=list(n.facts),
        )
        for n in nominations
    ]
    parts = max(1, math.ceil(len(announced) / NOMINATIONS_PER_EVENT))
    for part in range(1, parts + 1):
        first = part == 1
        data = NominationsCompiled(
            campaign_id=compilation.campaign_id,
            version=compilation.version,
            nominations=announced[
                (part - 1) * NOMINATIONS_PER_EVENT : part * NOMINATIONS_PER_EVENT
            ],
            compiled_at=compilation.compiled_at,
            rule_set=compilation.rule_set,
            added=compilation.added if first else [],
            removed=compilation.removed if first else [],
            part=part,
            parts=parts,
        )
        await record_event(
            session, data, source=SOURCE, subject=f"compilations/{compilation.campaign_id}"
        )
