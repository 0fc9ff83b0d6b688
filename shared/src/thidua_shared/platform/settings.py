"""Settings every service shares; each service subclasses with its own env prefix."""

from pathlib import Path
from typing import Self
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from thidua_shared.platform.auth import DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, AuthConfig


class ServiceSettings(BaseSettings):
    """Read from the environment, e.g. CAMPAIGNS_DATABASE_URL or THIDUA_AMQP_URL.

    A service's own database URL wins; otherwise THIDUA_DATABASE_URL names a PostgreSQL server
    and the service uses its own database `thidua_<service>` there.

    Secrets may come as files, the way Docker and Kubernetes mount them: `<VARIABLE>_FILE` names
    a file holding the value of THIDUA_AUTH_SIGNING_KEY, THIDUA_AMQP_URL, THIDUA_DATABASE_URL or
    `<SERVICE>_DATABASE_URL`; THIDUA_AMQP_PASSWORD_FILE and THIDUA_DATABASE_PASSWORD_FILE hold
    only the password, put into a URL given without one.

    Migrations run as the database's owner, named by `<SERVICE>_MIGRATION_DATABASE_URL` (or the
    server's THIDUA_MIGRATION_DATABASE_URL), with files as above and
    THIDUA_MIGRATION_DATABASE_PASSWORD_FILE; the service itself runs as the role of its own URL,
    which the migration grants what it needs and no more (docs/adr/0016). Without a migration
    URL, migrations run as the service's own role.
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str = ""
    database_url: str | None = None
    server_database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_DATABASE_URL")
    )
    # One node, or a comma-separated list of a cluster's nodes: the first that answers is used,
    # and the next one after a loss.
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
    auth_max_token_lifetime_seconds: int = Field(
        default=DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
        gt=0,
        validation_alias=AliasChoices("THIDUA_AUTH_MAX_TOKEN_LIFETIME_SECONDS"),
        description="Tokens whose exp is further than this from their iat are refused.",
    )
    # The key of the audit trail's chain hash (HMAC-SHA256), kept out of the database so that
    # nobody who can only write the database can re-chain a rewritten trail (docs/adr/0012).
    audit_key: str | None = Field(default=None, validation_alias=AliasChoices("THIDUA_AUDIT_KEY"))
    audit_key_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AUDIT_KEY_FILE")
    )
    # Where checkpoints are also written as JSON lines, one file per service (the all-in-one
    # mode sets it to its data folder); they are always published as audit.checkpointed.
    audit_checkpoint_dir: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AUDIT_CHECKPOINT_DIR")
    )
    audit_checkpoint_records: int = Field(default=100, gt=0)
    audit_checkpoint_seconds: float = Field(default=60.0, gt=0)

    # The proxies whose X-Forwarded-For is believed when a service limits anonymous callers per
    # address (platform/rate_limit.py): addresses or networks, comma-separated; none by default.
    trusted_gateways: str = Field(
        default="", validation_alias=AliasChoices("THIDUA_TRUSTED_GATEWAYS")
    )

    auth_signing_key_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AUTH_SIGNING_KEY_FILE")
    )
    amqp_url_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AMQP_URL_FILE")
    )
    amqp_password_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_AMQP_PASSWORD_FILE")
    )
    migration_database_url: str | None = None
    server_migration_database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_MIGRATION_DATABASE_URL")
    )
    database_url_file: Path | None = None
    migration_database_url_file: Path | None = None
    server_migration_database_url_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_MIGRATION_DATABASE_URL_FILE")
    )
    migration_database_password_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_MIGRATION_DATABASE_PASSWORD_FILE")
    )
    server_database_url_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_DATABASE_URL_FILE")
    )
    database_password_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("THIDUA_DATABASE_PASSWORD_FILE")
    )

    api_docs: bool = Field(
        default=True,
        validation_alias=AliasChoices("THIDUA_API_DOCS"),
        description="false hides /<service>/docs and /<service>/openapi.json (production).",
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
    # A handler that fails this many times for one event sends it to the dead-letter queue;
    # with the backoff below that takes under 4 s, so a poison message never blocks for long.
    max_deliveries: int = 5
    retry_backoff_seconds: float = 0.25
    retry_backoff_max_seconds: float = 30.0
    # The broker's own backstop (x-delivery-limit), counting every redelivery, those caused by
    # restarts and crashes too: high enough that faults never dead-letter a good message
    # (docs/adr/0008). A queue's arguments are fixed when it is declared.
    delivery_limit: int = 20
    # The longest a reconnection waits between attempts (with jitter below it).
    reconnect_backoff_max_seconds: float = 3.0
    # Liveness fails when a consumer stays detached this long while the broker is reachable:
    # the process could not repair itself, and a restart will.
    consumer_detached_limit_seconds: float = Field(
        default=30.0, validation_alias=AliasChoices("THIDUA_CONSUMER_DETACHED_LIMIT_SECONDS")
    )

    @model_validator(mode="after")
    def _read_secret_files(self) -> Self:
        prefix = self.model_config.get("env_prefix", "")
        own_database = f"{prefix}DATABASE_URL"
        own_migration = f"{prefix}MIGRATION_DATABASE_URL"
        for field, variable in (
            ("auth_signing_key", "THIDUA_AUTH_SIGNING_KEY"),
            ("audit_key", "THIDUA_AUDIT_KEY"),
            ("amqp_url", "THIDUA_AMQP_URL"),
            ("database_url", own_database),
            ("server_database_url", "THIDUA_DATABASE_URL"),
            ("migration_database_url", own_migration),
            ("server_migration_database_url", "THIDUA_MIGRATION_DATABASE_URL"),
        ):
            path = getattr(self, f"{field}_file")
            if path is None:
                continue
            # Two sources for one secret would leave the operator guessing which one is used.
            if getattr(self, field):
                raise ValueError(f"set {variable} or {variable}_FILE, not both")
            setattr(self, field, _read_secret(path, f"{variable}_FILE"))
        if self.amqp_password_file is not None:
            if not self.amqp_url:
                raise ValueError("THIDUA_AMQP_PASSWORD_FILE needs THIDUA_AMQP_URL (without one)")
            password = _read_secret(self.amqp_password_file, "THIDUA_AMQP_PASSWORD_FILE")
            self.amqp_url = ",".join(
                _with_amqp_password(url.strip(), password) for url in self.amqp_url.split(",")
            )
        self._put_database_password("", ("database_url", "server_database_url"), own_database)
        self._put_database_password(
            "MIGRATION_",
            ("migration_database_url", "server_migration_database_url"),
            own_migration,
        )
        return self

    def _put_database_password(self, kind: str, fields: tuple[str, str], own: str) -> None:
        """THIDUA_<kind>DATABASE_PASSWORD_FILE's password, put into the URLs of `fields`."""
        variable = f"THIDUA_{kind}DATABASE_PASSWORD_FILE"
        path = getattr(self, f"{kind.lower()}database_password_file")
        if path is None:
            return
        if not any(getattr(self, field) for field in fields):
            raise ValueError(f"{variable} needs {own} or THIDUA_{kind}DATABASE_URL")
        password = _read_secret(path, variable)
        for field in fields:
            if getattr(self, field):
                setattr(
                    self, field, _with_database_password(getattr(self, field), password, variable)
                )

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

    def resolved_migration_database_url(self) -> str:
        """The owner's URL migrations run with: the service's own database, as another role."""
        runtime = make_url(self.resolved_database_url())
        if self.migration_database_url:
            owner = make_url(self.migration_database_url)
        elif self.server_migration_database_url:
            owner = make_url(self.server_migration_database_url).set(database=runtime.database)
        else:
            return runtime.render_as_string(hide_password=False)
        if owner.database != runtime.database:
            raise ValueError(
                f"the migration URL names database {owner.database}, the service's own URL "
                f"{runtime.database}"
            )
        return owner.render_as_string(hide_password=False)

    def auth_config(self) -> AuthConfig:
        return AuthConfig(
            issuer=self.auth_issuer,
            audience=self.auth_audience,
            signing_key=self.auth_signing_key,
            jwks_url=self.auth_jwks_url,
            max_token_lifetime_seconds=self.auth_max_token_lifetime_seconds,
        )

    def audit_chain_key(self) -> bytes:
        if not self.audit_key:
            raise RuntimeError(
                "No audit key: set THIDUA_AUDIT_KEY_FILE to a file holding a long random secret "
                "(deploy/make_secrets.py writes one; `thidua up` makes its own)"
            )
        return self.audit_key.encode()

    @property
    def queue_name(self) -> str:
        return f"{self.queue_prefix}{self.service_name}"


def _read_secret(path: Path, variable: str) -> str:
    try:
        # Secret files are often written with a trailing newline that is no part of the value.
        value = path.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        raise ValueError(f"{variable}: cannot read {path}: {exc.strerror}") from exc
    if not value:
        raise ValueError(f"{variable}: {path} is empty")
    return value


def _with_amqp_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    user, _, host = parts.netloc.rpartition("@")
    if not user or ":" in user:
        raise ValueError(
            "THIDUA_AMQP_PASSWORD_FILE needs THIDUA_AMQP_URL with a user and no password "
            "(amqp://<user>@<host>:5672/)"
        )
    netloc = f"{user}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def _with_database_password(url: str, password: str, variable: str) -> str:
    parsed = make_url(url)
    if parsed.password is not None:
        raise ValueError(f"{variable} needs a database URL with a user and no password")
    return parsed.set(password=password).render_as_string(hide_password=False)
