"""The one composition root every service uses: `create_service_app(spec)`."""

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import asyncpg
from fastapi import APIRouter, FastAPI
from sqlalchemy.engine import make_url
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_shared.platform.audit import AuditMiddleware, audit_router
from thidua_shared.platform.auth import TokenVerifier
from thidua_shared.platform.bus import EventBus
from thidua_shared.platform.consumer import HandlerSpec, build_subscription
from thidua_shared.platform.context import correlation_id
from thidua_shared.platform.db import make_engine, make_sessionmaker
from thidua_shared.platform.demo_clock import demo_clock_router
from thidua_shared.platform.errors import install_problem_handlers
from thidua_shared.platform.health import health_router
from thidua_shared.platform.http import IdempotentReplay, on_idempotent_replay
from thidua_shared.platform.inprocess import InProcessBus
from thidua_shared.platform.rabbit import RabbitBus
from thidua_shared.platform.relay import OutboxRelay
from thidua_shared.platform.runtime import ServiceRuntime
from thidua_shared.platform.settings import ServiceSettings


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    description: str
    routers: Sequence[APIRouter]
    handlers: dict[str, HandlerSpec]
    settings_factory: Callable[[], ServiceSettings]
    migrations: Path
    tags: Sequence[dict[str, str]] = field(default_factory=tuple)
    # Every service records its state-changing requests; only the benchmark's stand-in services
    # switch this off, to measure the messaging pipeline alone.
    audited: bool = True

    @property
    def prefix(self) -> str:
        return f"/{self.name}"


def bus_from_settings(settings: ServiceSettings) -> EventBus:
    if settings.amqp_url:
        return RabbitBus(
            settings.amqp_url,
            exchange=settings.exchange,
            prefetch=settings.consumer_prefetch,
            max_deliveries=settings.max_deliveries,
            backoff_seconds=settings.retry_backoff_seconds,
            backoff_cap=settings.retry_backoff_max_seconds,
        )
    return InProcessBus(
        max_deliveries=settings.max_deliveries,
        backoff_seconds=settings.retry_backoff_seconds,
        backoff_cap=settings.retry_backoff_max_seconds,
    )


class CorrelationIdMiddleware:
    """Every event caused by one request carries the request's correlation id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-correlation-id")
        value = incoming.decode("latin-1")[:100] if incoming else str(uuid4())
        token = correlation_id.set(value)

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-correlation-id", value.encode("latin-1")),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        finally:
            correlation_id.reset(token)


async def _keep_session_state(connection: asyncpg.Connection) -> None:
    """Skips asyncpg's RESET ALL round trip on release: this pool never changes session state."""
    return None


async def run_relay(settings: ServiceSettings) -> None:
    """The service's outbox relay on its own, until cancelled."""
    engine = make_engine(settings.resolved_database_url(), pool_size=2)
    bus = bus_from_settings(settings)
    await bus.start()
    relay = OutboxRelay(
        engine,
        bus,
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
        linger_seconds=settings.relay_linger_seconds,
        listen=True,
    )
    await relay.start()
    try:
        await asyncio.Event().wait()
    finally:
        await relay.stop()
        await bus.stop()
        await engine.dispose()


def create_service_app(
    spec: ServiceSpec, *, settings: ServiceSettings | None = None, bus: EventBus | None = None
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = settings or spec.settings_factory()
        verifier = TokenVerifier(resolved.auth_config())
        engine = make_engine(resolved.resolved_database_url(), pool_size=resolved.db_pool_size)
        sessionmaker = make_sessionmaker(engine)
        event_bus = bus or bus_from_settings(resolved)
        relay = OutboxRelay(
            engine,
            event_bus,
            batch_size=resolved.relay_batch_size,
            poll_seconds=resolved.relay_poll_seconds,
            linger_seconds=resolved.relay_linger_seconds,
        )
        if spec.handlers:
            event_bus.subscribe(
                build_subscription(
                    resolved.queue_name,
                    spec.handlers,
                    sessionmaker,
                    relay.wake,
                    linger_seconds=resolved.consumer_linger_seconds,
                    # A batch can never grow past what the broker lets the consumer hold.
                    max_batch=resolved.consumer_prefetch,
                )
            )
        if bus is None:
            await event_bus.start()
        driver_pool = await asyncpg.create_pool(
            make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False),
            min_size=1,
            max_size=resolved.db_pool_size,
            reset=_keep_session_state,
        )
        app.state.runtime = ServiceRuntime(
            resolved,
            engine,
            sessionmaker,
            event_bus,
            relay,
            owns_bus=bus is None,
            verifier=verifier,
            driver_pool=driver_pool,
        )
        if resolved.relay_in_process:
            await relay.start()
        try:
            yield
        finally:
            await relay.stop()
            if bus is None:
                await event_bus.stop()
            await driver_pool.close()
            await engine.dispose()

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=f"{spec.prefix}/openapi.json",
        docs_url=f"{spec.prefix}/docs",
        redoc_url=None,
        openapi_tags=list(spec.tags),
    )
    install_problem_handlers(app)
    app.add_exception_handler(IdempotentReplay, on_idempotent_replay)
    if spec.audited:
        # Added before the correlation middleware, so it runs inside it and sees the id.
        app.add_middleware(AuditMiddleware)
        app.include_router(audit_router(spec.prefix))
    app.add_middleware(CorrelationIdMiddleware)
    app.include_router(health_router(spec.prefix))
    app.include_router(demo_clock_router(spec.prefix))
    for router in spec.routers:
        app.include_router(router, prefix=spec.prefix)
    return app
