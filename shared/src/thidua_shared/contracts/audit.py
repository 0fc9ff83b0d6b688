"""Anchors of the services' audit trails, published so they land in the archive stream."""

from datetime import datetime

from pydantic import Field

from thidua_shared.contracts.envelope import EventData


class AuditCheckpointed(EventData):
    """A service's audit trail up to `sequence` ends in `head_hash`: kept outside the service's
    database (the archive stream, and the data folder of the all-in-one mode), so that records
    deleted or rewritten later are found by `audit-verify` (docs/adr/0012)."""

    event_type = "audit.checkpointed"

    service: str = Field(description="The service whose trail this is, e.g. campaigns.")
    sequence: int = Field(description="The id of the trail's last record at the checkpoint.")
    head_hash: str = Field(description="That record's HMAC-SHA256 chain hash (hex).")
    records: int = Field(description="How many records the trail held up to `sequence`.")
    taken_at: datetime
