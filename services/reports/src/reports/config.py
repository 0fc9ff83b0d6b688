from pydantic import Field
from pydantic_settings import SettingsConfigDict

from thidua_shared.platform.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTS_", extra="ignore")

    service_name: str = "reports"
    report_due_days: int = Field(
        default=15,
        ge=0,
        description="Days after a phase closes within which its report is on time; a report "
        "first submitted later is marked late (REPORTS_REPORT_DUE_DAYS).",
    )
