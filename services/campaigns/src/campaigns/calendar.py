"""What is open now and what opens or closes next, on the agency's calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from campaigns.codes import CampaignStatus, PhaseStatus
from campaigns.models import Campaign, Phase
from campaigns.schemas import CalendarRead, PhaseRead
from thidua_shared.platform.clock import now

# Phase dates are the agency's calendar days: a phase ending 30/06 runs to midnight in Vietnam.
AGENCY_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def agency_today(moment: datetime | None = None) -> date:
    return (moment or now()).astimezone(AGENCY_TIMEZONE).date()


def calendar(campaign: Campaign) -> CalendarRead:
    today = agency_today()
    pending = [p for p in campaign.phases if p.status == PhaseStatus.PENDING]
    open_now = [p for p in campaign.phases if p.status == PhaseStatus.OPEN]
    running = campaign.status == CampaignStatus.LAUNCHED

    def read(phase: Phase | None) -> PhaseRead | None:
        return PhaseRead.model_validate(phase) if phase is not None else None

    return CalendarRead(
        campaign_id=campaign.id,
        status=campaign.status,
        today=today,
        open_now=[PhaseRead.model_validate(p) for p in open_now],
        next_to_open=read(pending[0] if pending and running else None),
        next_to_close=read(open_now[0] if open_now and running else None),
        phases=[PhaseRead.model_validate(p) for p in campaign.phases],
    )
