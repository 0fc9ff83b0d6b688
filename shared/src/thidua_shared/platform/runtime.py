"""What one running service holds: its settings, database, bus and relay."""

from dataclasses import dataclass

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from thidua_shared.platform.auth import TokenVerifier
from thidua_shared.platform.bus import EventBus
from thidua_shared.platform.relay import OutboxRelay
from thidua_shared.platform.settings import ServiceSettings


@dataclass
class ServiceRuntime:
    settings: ServiceSettings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    bus: EventBus
    relay: OutboxRelay
    owns_bus: bool
    driver_pool: asyncpg.Pool
    verifier: TokenVerifier
