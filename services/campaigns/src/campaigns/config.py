from pydantic_settings import SettingsConfigDict

from thidua_shared.platform.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CAMPAIGNS_", extra="ignore")

    service_name: str = "campaigns"
    # Off by default so that an office driving phases by hand (the system test, a replay of a
    # past year) is not overtaken; production turns it on or runs `python -m campaigns scheduler`.
    scheduler_in_process: bool = False
    scheduler_interval_seconds: float = 30.0
