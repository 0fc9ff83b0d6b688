from collections.abc import AsyncIterator

import pytest

from awards.main import spec
from thidua_shared.testing import RecordingBus, RunningService, migrated_database, running_service


@pytest.fixture(scope="session")
async def awards_db() -> str:
    return await migrated_database(spec, "thidua_test_awards")


@pytest.fixture
async def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture
async def awards(awards_db: str, bus: RecordingBus) -> AsyncIterator[RunningService]:
    async with running_service(spec, awards_db, bus) as service:
        yield service
