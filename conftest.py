"""Makes sure the real PostgreSQL and RabbitMQ the tests need are up before any test runs.

Where a server is installed but stopped, it is started; where it is missing, the run stops
with a message saying what to install. Nothing is skipped silently.
"""

import pytest

from tests.support.servers import ensure_servers


def pytest_sessionstart(session: pytest.Session) -> None:
    ensure_servers()
