"""Test support for every service: real PostgreSQL databases, the app with its lifespan, a bus
that records what it was given. The recording bus is for unit tests only; integration tests
run the real RabbitMQ bus."""

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from thidua_shared.contracts.envelope import Envelope, EventData, new_envelope
from thidua_shared.platform.app import ServiceSpec, create_service_app
from thidua_shared.platform.auth import AuthConfig, Role, issue_development_token
from thidua_shared.platform.bus import ConsumerHealth, EventBus, OutgoingMessage, Subscription
from thidua_shared.platform.consumer import build_subscription
from thidua_shared.platform.migrations import ensure_role, migrate
from thidua_shared.platform.runtime import ServiceRuntime

SERVER_URL = os.environ.get(
    "THIDUA_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
TEST_SIGNING_KEY = "thidua-tests-signing-key-not-for-production-0123456789"
TEST_AUDIT_KEY = "thidua-tests-audit-key-not-for-production-0123456789"
AMQP_URL = os.environ.get("THIDUA_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")


# Two test runs on one server (two checkouts, say) keep apart by giving each a suffix.
DATABASE_SUFFIX = os.environ.get("THIDUA_TEST_DATABASE_SUFFIX", "")
# The services under test connect as this role, as deployed services do as theirs: no superuser,
# owning nothing (docs/adr/0016). Roles belong to the server, not a database: one per suffix,
# made when missing and kept for the next run.
RUNTIME_ROLE = f"thidua_test_runtime{DATABASE_SUFFIX}"


def database_url(name: str) -> str:
    """The test database `name` (with the run's suffix) on the test server."""
    database = f"{name}{DATABASE_SUFFIX}"
    return make_url(SERVER_URL).set(database=database).render_as_string(hide_password=False)


async def fresh_database(name: str) -> str:
    """Drops and recreates a database (named with the run's suffix); returns its URL."""
    url = database_url(name)
    name = make_url(url).database or name
    admin = make_url(SERVER_URL).set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return url


async def migrated_database(spec: ServiceSpec, name: str, *, own_role: bool = False) -> str:
    """A fresh database migrated by the server's owner, and its URL: the owner's, or with
    `own_role` the one the service's own role (the run's RUNTIME_ROLE) connects with, as a
    deployed service does. `owner_url` gives the owner's back."""
    url = await fresh_database(name)
    if not own_role:
        await asyncio.to_thread(migrate, spec.migrations, url)
        return url
    await ensure_role(SERVER_URL, RUNTIME_ROLE)
    runtime = make_url(url).set(username=RUNTIME_ROLE).render_as_string(hide_password=False)
    await asyncio.to_thread(migrate, spec.migrations, url, runtime_url=runtime)
    return runtime


def owner_url(url: str) -> str:
    """The same test database as its owner, for what no service may do (tampering, dumps)."""
    owner = make_url(SERVER_URL)
    return (
        make_url(url)
        .set(username=owner.username, password=owner.password)
        .render_as_string(hide_password=False)
    )


def bearer(role: Role, unit_code: str | None = None, **config: str) -> dict[str, str]:
    """The Authorization header of a test token for a role (and unit, for a unit head)."""
    auth = AuthConfig(
        issuer=config.get("issuer", "thidua-dev"),
        audience=config.get("audience", "thidua"),
        signing_key=config.get("signing_key", TEST_SIGNING_KEY),
        jwks_url=None,
    )
    return {"Authorization": f"Bearer {issue_development_token(auth, role, unit_code=unit_code)}"}


class RecordingBus:
    """Keeps what it is asked to publish and delivers it to nobody."""

    def __init__(self) -> None:
        self.published: list[Envelope] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def subscribe(self, subscription: Subscription) -> None:
        return None

    async def ping(self) -> bool:
        return True

    def on_connected(self, callback: Callable[[], None]) -> None:
        return None

    def consumers(self) -> list[ConsumerHealth]:
        return []

    async def broker_reachable(self) -> bool:
        return True

    def disconnected_seconds(self) -> float:
        return 0.0

    async def dead_letter_count(self, queue: str) -> int | None:
        return None

    async def publish(self, messages: Sequence[OutgoingMessage]) -> set[str]:
        self.published.extend(Envelope.model_validate_json(m.body) for m in messages)
        return set()

    def of_type(self, event_type: str) -> list[Envelope]:
        return [e for e in self.published if e.type == event_type]


@dataclass
class RunningService:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    subscription: Subscription

    async def drain_outbox(self, within_seconds: float = 10.0) -> None:
        """Returns once every committed event has been handed to the bus."""
        relay = self.runtime.relay
        async with asyncio.timeout(within_seconds):
            # Other tasks may still be committing or relaying rows: poll until none is pending.
            while await relay.relay_once() or await relay.pending():  # noqa: ASYNC110
                await asyncio.sleep(0.01)

    async def deliver(
        self,
        data: EventData,
        *,
        source: str = "/test",
        subject: str | None = None,
        envelope: Envelope | None = None,
    ) -> Envelope:
        """Hands an event to the service's consumer as the bus would (inbox included)."""
        envelope = envelope or new_envelope(data, source=source, subject=subject)
        await self.subscription.handle(envelope)
        return envelope

    async def replay(self, envelope: Envelope) -> None:
        """Hands a recorded event, as it travelled, to the service's consumer."""
        await self.subscription.handle(envelope)


@asynccontextmanager
async def running_service(
    spec: ServiceSpec, database: str, bus: EventBus | None = None, **settings: object
) -> AsyncIterator[RunningService]:
    config = spec.settings_factory().model_copy(
        update={
            "database_url": database,
            "relay_poll_seconds": 0.05,
            "auth_signing_key": TEST_SIGNING_KEY,
            "audit_key": TEST_AUDIT_KEY,
            **settings,
        }
    )
    app = create_service_app(spec, settings=config, bus=bus)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=bearer(Role.OFFICE)
        ) as client:
            runtime: ServiceRuntime = app.state.runtime
            subscription = build_subscription(
                config.queue_name, dict(spec.handlers), runtime.sessionmaker, runtime.relay.wake
            )
            yield RunningService(client, runtime, subscription)


def pdf_text(content: bytes) -> str:
    """A PDF's text with line breaks and runs of spaces collapsed, so phrases that the layout
    wrapped still match."""
    import io
    import unicodedata

    import pypdf

    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    text = " ".join(page.extract_text() for page in pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))
