"""Events of the unit directory the campaigns service keeps (đơn vị, cụm thi đua)."""

from datetime import datetime

from pydantic import Field

from thidua_shared.contracts.envelope import EventData


class UnitChanged(EventData):
    """A unit was created, updated or deactivated; the event carries its whole current record."""

    event_type = "unit.changed"

    code: str
    name: str
    kind: str = Field(default="", description="e.g. phòng, trung tâm, đơn vị sự nghiệp.")
    parent_code: str | None = None
    contact: str = ""
    active: bool = True
    changed_at: datetime


class ClusterChanged(EventData):
    """A cluster (cụm thi đua) was created or changed: members, leader and deputy for a year."""

    event_type = "cluster.changed"

    code: str
    name: str
    unit_codes: list[str]
    year: int | None = None
    leader_unit: str | None = Field(default=None, description="Cụm trưởng for the year.")
    deputy_unit: str | None = Field(default=None, description="Cụm phó for the year.")
    active: bool = True
    changed_at: datetime
