"""Integration event contracts: data only, versioned, additive changes only."""

from thidua_shared.contracts.audit import AuditCheckpointed
from thidua_shared.contracts.awards import (
    AwardDecided,
    AwardRevoked,
    ExemplarPublished,
    NominationsCompiled,
    NominationsDisclosed,
)
from thidua_shared.contracts.campaigns import (
    CampaignAmended,
    CampaignCancelled,
    CampaignClosed,
    CampaignLaunched,
    PhaseClosed,
    PhaseOpened,
)
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.contracts.envelope import EventData
from thidua_shared.contracts.pledges import (
    CovenantSigned,
    PledgeApproved,
    PledgeReturned,
    PledgeSubmitted,
)
from thidua_shared.contracts.reports import (
    PhaseReviewed,
    ReportApproved,
    ReportReturned,
    ReportSubmitted,
)

CATALOGUE: dict[str, type[EventData]] = {
    model.event_type: model
    for model in (
        CampaignLaunched,
        PhaseOpened,
        PhaseClosed,
        CampaignClosed,
        CampaignAmended,
        CampaignCancelled,
        UnitChanged,
        ClusterChanged,
        PledgeSubmitted,
        PledgeApproved,
        PledgeReturned,
        CovenantSigned,
        ReportSubmitted,
        ReportApproved,
        ReportReturned,
        PhaseReviewed,
        NominationsCompiled,
        NominationsDisclosed,
        AwardDecided,
        AwardRevoked,
        ExemplarPublished,
        AuditCheckpointed,
    )
}

PRODUCERS: dict[str, tuple[str, ...]] = {
    "campaigns": (
        "campaign.launched",
        "phase.opened",
        "phase.closed",
        "campaign.closed",
        "campaign.amended",
        "campaign.cancelled",
        "unit.changed",
        "cluster.changed",
        "audit.checkpointed",
    ),
    "pledges": (
        "pledge.submitted",
        "pledge.approved",
        "pledge.returned",
        "covenant.signed",
        "audit.checkpointed",
    ),
    "reports": (
        "report.submitted",
        "report.approved",
        "report.returned",
        "phase.reviewed",
        "audit.checkpointed",
    ),
    "awards": (
        "nominations.compiled",
        "nominations.disclosed",
        "award.decided",
        "award.revoked",
        "exemplar.published",
        "audit.checkpointed",
    ),
}
