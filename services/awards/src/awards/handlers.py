"""What the awards service consumes: the campaigns, the directory, approved registrations and
reports, and phase reviews, copied into the read model. A campaign's launch or amendment, a
phase review and an approved report may complete what a compilation needs, so after them the
compilation runs when it is due, under the campaign row lock the read model took."""

from sqlalchemy.ext.asyncio import AsyncSession

from awards.compile import service as compilation
from awards.read_model import service as read_model
from thidua_shared.contracts.campaigns import CampaignAmended, CampaignCancelled, CampaignLaunched
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.contracts.envelope import Envelope
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.contracts.reports import PhaseReviewed, ReportApproved
from thidua_shared.platform.consumer import HandlerSpec


async def campaign_launched(session: AsyncSession, payload: CampaignLaunched) -> None:
    campaign = await read_model.record_campaign_launched(session, payload)
    await compilation.compile_when_due(session, campaign)


async def phase_reviewed(session: AsyncSession, payload: PhaseReviewed, envelope: Envelope) -> None:
    campaign = await read_model.record_phase_review(session, payload, event_id=envelope.id)
    await compilation.compile_when_due(session, campaign)


async def report_approved(session: AsyncSession, payload: ReportApproved) -> None:
    await read_model.record_report_approved(session, payload)
    await compilation.compile_if_due(session, payload.campaign_id)


HANDLERS: dict[str, HandlerSpec] = {
    CampaignLaunched.event_type: HandlerSpec.of_payload(CampaignLaunched, campaign_launched),
    CampaignAmended.event_type: HandlerSpec.of_payload(CampaignAmended, campaign_launched),
    CampaignCancelled.event_type: HandlerSpec.of_payload(
        CampaignCancelled, read_model.record_campaign_cancelled
    ),
    PhaseReviewed.event_type: HandlerSpec(PhaseReviewed, phase_reviewed),
    PledgeApproved.event_type: HandlerSpec.of_payload(
        PledgeApproved, read_model.record_pledge_approved
    ),
    ReportApproved.event_type: HandlerSpec.of_payload(ReportApproved, report_approved),
    UnitChanged.event_type: HandlerSpec.of_payload(UnitChanged, read_model.record_unit_changed),
    ClusterChanged.event_type: HandlerSpec.of_payload(
        ClusterChanged, read_model.record_cluster_changed
    ),
}
