import os
from collections.abc import AsyncIterator

import pytest

from awards.main import spec
from thidua_shared.testing import RecordingBus, RunningService, migrated_database, running_service


@pytest.fixture(scope="session")
async def awards_db() -> str:
    # Two test runs of this service at once (two engineers, two checkouts) name different
    # databases, or one drops the other's.
    return await migrated_database(
        spec, os.environ.get("AWARDS_TEST_DATABASE", "thidua_test_awards"), own_role=True
    )


@pytest.fixture
async def bus() -> RecordingBus:
    return RecordingBus()


@pytest.fixture
async def awards(awards_db: str, bus: RecordingBus) -> AsyncIterator[RunningService]:
    async with running_service(spec, awards_db, bus) as service:
        yield service
