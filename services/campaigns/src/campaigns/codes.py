"""The states a campaign and its phases move through (see docs/glossary.md)."""

from thidua_shared.contracts.codes import Code


class CampaignStatus(Code):
    DRAFT = "draft"
    LAUNCHED = "launched"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class PhaseStatus(Code):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"
