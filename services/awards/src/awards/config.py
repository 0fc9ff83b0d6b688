from functools import cache

from pydantic_settings import SettingsConfigDict

from awards.dossier.codes import AgencyLevel
from thidua_shared.platform.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AWARDS_", extra="ignore")

    service_name: str = "awards"

    # Thẩm quyền: the level of the agency running the movement decides which titles its own
    # decision may grant and which go up in a dossier (dossier/authority/*.yaml).
    agency_level: AgencyLevel = AgencyLevel.PROVINCIAL_DEPARTMENT


@cache
def agency_level() -> AgencyLevel:
    """The setting AWARDS_AGENCY_LEVEL, read once."""
    return Settings().agency_level
