from pydantic_settings import SettingsConfigDict

from thidua_shared.platform.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AWARDS_", extra="ignore")

    service_name: str = "awards"
