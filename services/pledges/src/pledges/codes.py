"""The states registrations and covenants move through, and the campaign's as this service
keeps it (see docs/glossary.md)."""

from thidua_shared.contracts.codes import Code


class CampaignStatus(Code):
    """A launched campaign as its events left it."""

    LAUNCHED = "launched"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RegistrationStatus(Code):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class RegistrationState(Code):
    """A unit's registration in the progress view: its status, or not registered at all. A unit
    with only a draft has not registered yet; it shows as draft so the office sees it started."""

    NOT_REGISTERED = "not_registered"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class CovenantStatus(Code):
    OPEN = "open"
    IN_FORCE = "in_force"


class CovenantState(Code):
    """A cluster's covenant in the progress view: its status, or none drawn up yet."""

    NONE = "none"
    OPEN = "open"
    IN_FORCE = "in_force"
