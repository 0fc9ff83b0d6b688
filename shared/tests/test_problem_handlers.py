"""How the kit answers database errors a route did not expect."""

import httpx
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from thidua_shared.platform.errors import install_problem_handlers


class _DriverError(Exception):
    """What SQLAlchemy's asyncpg adapter wraps: the driver's error with its SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


def _app_failing_with(error: Exception) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def write() -> None:
        raise error

    return app


def _driver_error(sqlstate: str) -> DBAPIError:
    return DBAPIError("UPDATE things", {}, _DriverError(sqlstate))


async def _post(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/things")


async def test_a_deadlock_or_serialization_failure_asks_for_a_retry() -> None:
    for sqlstate in ("40P01", "40001"):
        response = await _post(_app_failing_with(_driver_error(sqlstate)))

        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "service-unavailable"


async def test_no_free_connection_in_the_pool_asks_for_a_retry() -> None:
    response = await _post(_app_failing_with(PoolTimeout("QueuePool limit reached")))

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["code"] == "service-unavailable"


async def test_any_other_database_error_is_an_internal_error() -> None:
    response = await _post(_app_failing_with(_driver_error("23505")))

    assert response.status_code == 500
    assert response.json()["code"] == "internal"
