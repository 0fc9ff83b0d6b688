"""Makes sure the real PostgreSQL and RabbitMQ the tests need are up before any test runs.

Where a server is installed but stopped, it is started; where it is missing, the run stops
with a message saying what to install. Nothing is skipped silently.
"""

import os

import pytest

from tests.support.servers import ensure_servers
from thidua_shared.testing import TEST_AUDIT_KEY


def pytest_sessionstart(session: pytest.Session) -> None:
    ensure_servers()
    # Every service the tests start, in this process or as a child, keys its audit trail.
    os.environ.setdefault("THIDUA_AUDIT_KEY", TEST_AUDIT_KEY)
