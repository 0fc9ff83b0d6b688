"""Settings every service shares; each service subclasses with its own env prefix."""

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from thidua_shared.platform.auth import AuthConfig


class ServiceSettings(BaseSettings):
    """Read from the environment, e.g. CAMPAIGNS_DATABASE_URL or THIDUA_AMQP_URL.

    A service's own database URL wins; otherwise THIDUA_DATABASE_URL names a PostgreSQL server
    and the service uses its own database `thidua_<service>` there.
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str = ""
    database_url: str | None = None
    server_database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_DATABASE_URL")
    )
    amqp_url: str | None = Field(default=None, validation_alias=AliasChoices("THIDUA_AMQP_URL"))
    exchange: str = Field(
        default="thidua.events", validation_alias=AliasChoices("THIDUA_EVENTS_EXCHANGE")
    )
    queue_prefix: str = Field(default="", validation_alias=AliasChoices("THIDUA_QUEUE_PREFIX"))

    auth_issuer: str = Field(
        default="thidua-dev", validation_alias=AliasChoices("THIDUA_AUTH_ISSUER")
    )
    auth_audience: str = Field(
        default="thidua", validation_alias=AliasChoices("THIDUA_AUTH_AUDIENCE")
    )
    auth_jwks_url: str | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AUTH_JWKS_URL")
    )
    auth_signing_key: str | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AUTH_SIGNING_KEY")
    )

    demo_clock: bool = Field(
        default=False,
        validation_alias=AliasChoices("THIDUA_DEMO_CLOCK"),
        description="Lets the office move the service's clock (the demo plays a past year).",
    )
    db_pool_size: int = 10
    relay_batch_size: int = 500
    relay_poll_seconds: float = 1.0
    # Under load the relay and the consumers wait this long to gather a batch (an idle one does
    # not): longer batches cost less CPU per event, at the price of as much lag.
    relay_linger_seconds: float = 0.05
    # False when the service's relay runs as its own process (`python -m <service> relay`),
    # which keeps publishing off the event loop that serves HTTP.
    relay_in_process: bool = True
    consumer_prefetch: int = 64
    consumer_linger_seconds: float = 0.03
    max_deliveries: int = 5
    retry_backoff_seconds: float = 0.5
    retry_backoff_max_seconds: float = 30.0

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.server_database_url:
            url = make_url(self.server_database_url).set(database=f"thidua_{self.service_name}")
            return url.render_as_string(hide_password=False)
        raise RuntimeError(
            f"No database for {self.service_name}: set {self.service_name.upper()}_DATABASE_URL "
            "or THIDUA_DATABASE_URL, or run the all-in-one mode"
        )

    def auth_config(self) -> AuthConfig:
        return AuthConfig(
            issuer=self.auth_issuer,
            audience=self.auth_audience,
            signing_key=self.auth_signing_key,
            jwks_url=self.auth_jwks_url,
        )

    @property
    def queue_name(self) -> str:
        return f"{self.queue_prefix}{self.service_name}"
