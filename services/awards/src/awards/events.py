"""What the awards service consumes and announces."""

from sqlalchemy.ext.asyncio import AsyncSession

from awards import service
from awards.models import Compilation
from thidua_shared.contracts.awards import CompiledNomination, NominationsCompiled
from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.reports import PhaseReviewed
from thidua_shared.platform.consumer import HandlerSpec
from thidua_shared.platform.outbox import record_event

SOURCE = "/thidua/awards"


async def on_campaign_launched(
    session: AsyncSession, payload: CampaignLaunched, envelope: Envelope
) -> None:
    await service.record_campaign_launched(session, payload)


async def on_phase_reviewed(
    session: AsyncSession, payload: PhaseReviewed, envelope: Envelope
) -> None:
    await service.record_phase_review(session, payload, event_id=envelope.id)


HANDLERS: dict[str, HandlerSpec] = {
    CampaignLaunched.event_type: HandlerSpec(CampaignLaunched, on_campaign_launched),
    PhaseReviewed.event_type: HandlerSpec(PhaseReviewed, on_phase_reviewed),
}


async def nominations_compiled(session: AsyncSession, compilation: Compilation) -> None:
    data = NominationsCompiled(
        campaign_id=compilation.campaign_id,
        version=compilation.version,
        nominations=[
            CompiledNomination(
                subject_kind=n.subject_kind,
                subject_code=n.subject_code,
                title=n.title,
                basis=n.basis,
            )
            for n in compilation.nominations
        ],
        compiled_at=compilation.compiled_at,
    )
    await record_event(
        session, data, source=SOURCE, subject=f"compilations/{compilation.campaign_id}"
    )
