from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.reliability.worker import metadata
from tests.support.broker import BrokerNames, isolated_broker_names
from thidua_shared.platform.db import make_engine
from thidua_shared.testing import fresh_database


@pytest.fixture
async def probe_db() -> str:
    url = await fresh_database("thidua_test_probe")
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()
    return url


@pytest.fixture
async def probe_engine(probe_db: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(probe_db)
    yield engine
    await engine.dispose()


@pytest.fixture
async def names() -> AsyncIterator[BrokerNames]:
    async with isolated_broker_names(("probe",)) as broker_names:
        yield broker_names
