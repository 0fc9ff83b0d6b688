"""The states reports and phases move through in this service (see docs/glossary.md)."""

from thidua_shared.contracts.codes import Code


class ReportStatus(Code):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class UnitReportStatus(Code):
    """A unit's report for a phase in the office's views: its status, or missing."""

    MISSING = "missing"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class PhaseStatus(Code):
    """A phase's review: pending until the phase closes, reviewed when every report is
    approved, reopened when a late change calls for another round."""

    PENDING = "pending"
    CLOSED = "closed"
    REVIEWED = "reviewed"
    REOPENED = "reopened"
