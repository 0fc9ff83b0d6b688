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
from thidua_shared.platform.audit_anchor import Checkpointer
from thidua_shared.platform.audit_chain import AuditTrail
from thidua_shared.platform.auth import TokenVerifier
from thidua_shared.platform.bus import EventBus
from thidua_shared.platform.conditional import ConditionalRequests
from thidua_shared.platform.consumer import HandlerSpec, build_subscription
from thidua_shared.platform.context import correlation_id
from thidua_shared.platform.control_characters import ControlCharacterGuard
from thidua_shared.platform.db import make_engine, make_sessionmaker
from thidua_shared.platform.demo_clock import demo_clock_router
from thidua_shared.platform.docs_switch import DocsSwitch
from thidua_shared.platform.errors import install_problem_handlers
from thidua_shared.platform.health import health_router
from thidua_shared.platform.heap import freeze_startup_objects
from thidua_shared.platform.http import IdempotentReplay, on_idempotent_replay
from thidua_shared.platform.inprocess import InProcessBus
from thidua_shared.platform.openapi import install_openapi
from thidua_shared.platform.pagination import Pagination
from thidua_shared.platform.probes import relay_report, serving_probes
from thidua_shared.platform.rabbit import RabbitBus
from thidua_shared.platform.relay import OutboxRelay
from thidua_shared.platform.runtime import ServiceRuntime
from thidua_shared.platform.scrape import metrics_router, watch_service
from thidua_shared.platform.settings import ServiceSettings
from thidua_shared.platform.telemetry import RequestTelemetry
from thidua_shared.platform.tracing import configure_tracing


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
            delivery_limit=settings.delivery_limit,
            backoff_seconds=settings.retry_backoff_seconds,
            backoff_cap=settings.retry_backoff_max_seconds,
            reconnect_cap=settings.reconnect_backoff_max_seconds,
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


async def run_relay(
    settings: ServiceSettings, *, health_host: str = "127.0.0.1", health_port: int | None = None
) -> None:
    """The service's outbox relay on its own, until cancelled, with probes if given a port."""
    configure_tracing(settings.service_name)
    engine = make_engine(settings.resolved_database_url(), pool_size=2)
    bus = bus_from_settings(settings)
    await bus.start()
    relay = OutboxRelay(
        engine,
        bus,
        service=settings.service_name,
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
        linger_seconds=settings.relay_linger_seconds,
        listen=True,
    )
    bus.on_connected(relay.wake)
    await relay.start()
    freeze_startup_objects()
    report = relay_report(relay, bus, settings.consumer_detached_limit_seconds)
    try:
        async with serving_probes(report, health_host, health_port, service=settings.service_name):
            await asyncio.Event().wait()
    finally:
        await relay.stop()
        await bus.stop()
        await engine.dispose()


def create_service_app(
    spec: ServiceSpec,
    *,
    settings: ServiceSettings | None = None,
    bus: EventBus | None = None,
    serving: bool = False,
) -> FastAPI:
    """The service's app; `serving` when it is the process's own, started to serve."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = settings or spec.settings_factory()
        configure_tracing(spec.name)
        verifier = TokenVerifier(resolved.auth_config())
        # Checked first: a service that cannot key its audit trail must not start at all.
        audit_key = resolved.audit_chain_key() if spec.audited else None
        engine = make_engine(resolved.resolved_database_url(), pool_size=resolved.db_pool_size)
        sessionmaker = make_sessionmaker(engine)
        event_bus = bus or bus_from_settings(resolved)
        relay = OutboxRelay(
            engine,
            event_bus,
            service=spec.name,
            batch_size=resolved.relay_batch_size,
            poll_seconds=resolved.relay_poll_seconds,
            linger_seconds=resolved.relay_linger_seconds,
        )
        event_bus.on_connected(relay.wake)
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
        checkpointer = None
        if audit_key is not None:
            checkpointer = Checkpointer(
                spec.name,
                sessionmaker,
                relay.wake,
                every_records=resolved.audit_checkpoint_records,
                every_seconds=resolved.audit_checkpoint_seconds,
                directory=resolved.audit_checkpoint_dir,
            )
            app.state.audit = AuditTrail(audit_key, checkpointer.appended)
            await checkpointer.start()
        unwatch = watch_service(spec.name, app.state.runtime)
        if serving:
            freeze_startup_objects()
        try:
            yield
        finally:
            unwatch()
            if checkpointer is not None:
                # The last anchor, taken before the relay stops so that it is published too.
                await checkpointer.stop()
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
        # Served by install_openapi, with Swagger UI's assets from the service itself.
        docs_url=None,
        redoc_url=None,
        openapi_tags=list(spec.tags),
        # The kit's own request span (telemetry.py) is the server span, named by the route's
        # whole template; FastAPI's would be a second one, named without the service's prefix.
        telemetry={"tracing": False},
    )
    install_problem_handlers(app)
    install_openapi(app, spec.name)
    app.add_exception_handler(IdempotentReplay, on_idempotent_replay)
    if spec.audited:
        # Added before the correlation middleware, so it runs inside it and sees the id.
        app.add_middleware(AuditMiddleware)
        app.include_router(audit_router(spec.prefix))
    # Outside the audit, whose records could not store the NUL of a refused path or query.
    app.add_middleware(ControlCharacterGuard)
    # Outside the routes and the audit: a 415, a 304 and the paging of a list change nothing.
    app.add_middleware(ConditionalRequests)
    app.add_middleware(Pagination)
    # Inside the correlation middleware, so its request lines carry the request's id.
    app.add_middleware(RequestTelemetry, service=spec.name)
    app.add_middleware(DocsSwitch, prefix=spec.prefix)
    app.add_middleware(CorrelationIdMiddleware)
    app.include_router(health_router(spec.prefix))
    app.include_router(metrics_router(spec.prefix))
    app.include_router(demo_clock_router(spec.prefix))
    for router in spec.routers:
        app.include_router(router, prefix=spec.prefix)
    return app
