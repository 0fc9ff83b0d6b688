"""Hostile input through HTTP: control characters in a JSON body, a query or a path, an offset
past PostgreSQL's bigint, a workbook that is not XML and a decompression bomb are each a 4xx
problem naming the field, quickly, and change nothing; never a 500."""

import csv
import io
import time
from collections.abc import AsyncIterator

import jwt
import psutil
import pytest
from httpx import Response
from sqlalchemy import text

from campaigns.main import spec as campaigns_spec
from thidua_shared.documents import XLSX_MEDIA_TYPE
from thidua_shared.platform.auth import Role
from thidua_shared.testing import (
    TEST_SIGNING_KEY,
    RecordingBus,
    RunningService,
    bearer,
    migrated_database,
)
from thidua_shared.testing import running_service as run
from thidua_shared.testing_workbooks import bomb_workbook, with_part, workbook

OFFICE = bearer(Role.OFFICE)
UNITS = "/campaigns/units"


@pytest.fixture(scope="module")
async def campaigns() -> AsyncIterator[RunningService]:
    database = await migrated_database(campaigns_spec, "thidua_test_hostile_input")
    async with run(campaigns_spec, database, RecordingBus()) as service:
        yield service


async def unit_count(service: RunningService) -> int:
    async with service.runtime.engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM units"))).scalar_one())


def assert_problem(response: Response, status: int | tuple[int, ...], field: str) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    named = {problem.get("field")} | {e["field"] for e in problem.get("errors", [])}
    assert field in named, problem


@pytest.mark.parametrize(
    "name",
    ["Phòng\u0000Một", "Phòng\u001bMột", "Phòng\u0085Một", "Phòng\u009fMột"],
    ids=["nul", "escape", "c1-next-line", "c1-last"],
)
async def test_a_control_character_in_a_json_string_is_a_422_naming_the_field(
    campaigns: RunningService, name: str
) -> None:
    before = await unit_count(campaigns)
    body = {"code": "HX1", "name": name, "kind": "department"}

    response = await campaigns.client.post(UNITS, json=body, headers=OFFICE)

    assert_problem(response, 422, "name")
    assert await unit_count(campaigns) == before


async def test_tab_and_line_breaks_in_json_strings_pass_the_guard(
    campaigns: RunningService,
) -> None:
    body = {"code": "HX2", "name": "Phòng\tHai", "kind": "department", "contact": "a\r\nb"}

    response = await campaigns.client.post(UNITS, json=body, headers=OFFICE)

    assert response.status_code == 201, response.text


async def test_a_control_character_in_a_query_or_a_path_is_a_422(
    campaigns: RunningService,
) -> None:
    in_query = await campaigns.client.get(f"{UNITS}?active=tr%00ue", headers=OFFICE)
    in_path = await campaigns.client.get(f"{UNITS}/VP%00", headers=OFFICE)
    in_json_escape = await campaigns.client.post(
        UNITS,
        content=b'{"code": "HX3", "name": "a\\u0000b", "kind": "department"}',
        headers={**OFFICE, "Content-Type": "application/json"},
    )

    assert_problem(in_query, 422, "active")
    assert_problem(in_path, 422, "path")
    assert_problem(in_json_escape, 422, "name")


async def test_an_offset_past_a_bigint_is_a_422_naming_offset(campaigns: RunningService) -> None:
    for url in (UNITS, "/campaigns/campaigns"):
        response = await campaigns.client.get(url, params={"offset": 2**63}, headers=OFFICE)
        assert_problem(response, 422, "offset")
    last = await campaigns.client.get(UNITS, params={"offset": 2**63 - 1}, headers=OFFICE)
    assert last.status_code == 200
    assert last.json()["items"] == []


async def test_a_workbook_whose_workbook_part_is_not_xml_is_a_422(
    campaigns: RunningService,
) -> None:
    broken = with_part(workbook([["Mã đơn vị", "Tên đơn vị"]]), "xl/workbook.xml", b"not XML <")

    response = await campaigns.client.post(
        f"{UNITS}/import", content=broken, headers={**OFFICE, "Content-Type": XLSX_MEDIA_TYPE}
    )

    assert_problem(response, 422, "body")


async def test_a_csv_cell_with_nul_is_a_422_naming_row_and_column(
    campaigns: RunningService,
) -> None:
    body = "Mã đơn vị,Tên đơn vị\r\nHX4,Phòng\x00Bốn\r\n".encode()

    response = await campaigns.client.post(
        f"{UNITS}/import", content=body, headers={**OFFICE, "Content-Type": "text/csv"}
    )

    assert_problem(response, 422, "Tên đơn vị")
    assert response.json()["errors"][0]["row"] == 2


async def test_a_300_mb_bomb_upload_is_refused_within_a_second_and_50_mb(
    campaigns: RunningService,
) -> None:
    bomb = bomb_workbook(300)
    before = await unit_count(campaigns)
    process = psutil.Process()
    rss_before = process.memory_info().rss
    started = time.perf_counter()

    response = await campaigns.client.post(
        f"{UNITS}/import", content=bomb, headers={**OFFICE, "Content-Type": XLSX_MEDIA_TYPE}
    )

    elapsed = time.perf_counter() - started
    assert_problem(response, (413, 422), "body")
    assert elapsed < 1.0, elapsed
    assert process.memory_info().rss - rss_before < 50 * 1024 * 1024
    assert await unit_count(campaigns) == before


async def test_the_audit_csv_export_writes_formula_like_text_as_text(
    campaigns: RunningService,
) -> None:
    now = int(time.time())
    claims = {"iss": "thidua-dev", "aud": "thidua", "iat": now, "exp": now + 300}
    actor = '=HYPERLINK("http://x","y")'
    hostile = jwt.encode({**claims, "sub": actor, "role": "office"}, TEST_SIGNING_KEY, "HS256")
    unit = {"code": "HX5", "name": "Phòng Năm", "kind": "department"}
    created = await campaigns.client.post(
        UNITS, json=unit, headers={"Authorization": f"Bearer {hostile}"}
    )
    assert created.status_code == 201, created.text

    exported = await campaigns.client.get(
        "/campaigns/audit", params={"export": "csv", "target": UNITS}, headers=OFFICE
    )

    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert "'" + actor in {row["actor"] for row in rows}
    assert actor not in {row["actor"] for row in rows}
