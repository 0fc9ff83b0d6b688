"""What the reports service consumes: the campaigns, their phases closing and approved
registrations, each applied to the read model as it comes."""

from reports import read_model
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignCancelled,
    CampaignLaunched,
    PhaseClosed,
)
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.platform.consumer import HandlerSpec

HANDLERS: dict[str, HandlerSpec] = {
    CampaignLaunched.event_type: HandlerSpec.of_payload(
        CampaignLaunched, read_model.record_campaign_launched
    ),
    CampaignAmended.event_type: HandlerSpec.of_payload(
        CampaignAmended, read_model.record_campaign_amended
    ),
    CampaignCancelled.event_type: HandlerSpec.of_payload(
        CampaignCancelled, read_model.record_campaign_cancelled
    ),
    PhaseClosed.event_type: HandlerSpec.of_payload(PhaseClosed, read_model.record_phase_closed),
    PledgeApproved.event_type: HandlerSpec.of_payload(
        PledgeApproved, read_model.record_pledge_approved
    ),
}
