"""The console without a browser: its pages rendered for each role against an API faked at the
HTTP layer, the development login (404 when off, rate-limited), CSRF, the Vietnamese problem
messages, money and dates."""

import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from thidua_console.app import create_console_app
from thidua_console.formatting import day, moment, money, number
from thidua_console.problems import MESSAGES, Problem
from thidua_console.screens import MAIN_SCREENS
from thidua_console.settings import ConsoleSettings

CAMPAIGN_ID = "6385202c-49bd-4a15-bcf4-36c9735bc45d"
CAMPAIGN: dict[str, Any] = {
    "id": CAMPAIGN_ID,
    "document_number": "60/KH-STTTT",
    "title": "Phát động phong trào thi đua năm 2018",
    "year": 2018,
    "status": "launched",
    "period_start": "2018-01-01",
    "period_end": "2018-12-31",
    "registration_deadline": "2018-01-31",
    "issued_on": "2018-01-09",
    "issuing_agency": "Sở Thông tin và Truyền thông",
    "signer_name": "Lê Hoàng Ngọc",
    "signer_title": "Giám đốc",
    "launched_at": "2018-01-09T02:00:00Z",
    "recipients": [],
    "tasks": [{"number": 1, "content": "Tuyên truyền", "targets": []}],
    "phases": [
        {
            "number": 1,
            "name": "Đợt 1",
            "starts_on": "2018-01-01",
            "ends_on": "2018-06-30",
            "dedication": "",
            "status": "closed",
        }
    ],
    "units": [{"code": "VP", "name": "Văn phòng Sở", "cluster": "CUM1"}],
}
DECISION = {
    "id": "7b8e71e7-e841-4481-a973-850f5b128591",
    "number": "15/QĐ-STTTT",
    "decided_on": "2019-01-24",
    "signer_name": "Lê Hoàng Ngọc",
    "signer_title": "Giám đốc",
    "total_bonus_vnd": 1390000,
    "awards": [],
}
Handler = Callable[[httpx.Request], httpx.Response]


def fake_api(request: httpx.Request) -> httpx.Response:
    """The answers a year's screens need, keyed by path; every other list is empty."""
    path = request.url.path
    if path == "/campaigns/campaigns":
        return httpx.Response(
            200, json={"items": [CAMPAIGN], "total": 1, "limit": 100, "offset": 0}
        )
    if path.startswith("/campaigns/campaigns/"):
        return httpx.Response(200, json=CAMPAIGN)
    if path == "/pledges/campaigns/" + CAMPAIGN_ID + "/progress":
        return httpx.Response(
            200,
            json={"registration_deadline": None, "units": [], "counts": {}, "clusters": []},
        )
    if path == "/reports/campaigns/" + CAMPAIGN_ID + "/progress":
        return httpx.Response(200, json={"phases": []})
    if path.endswith("/nominations") or path == "/awards/council/agenda":
        return httpx.Response(404, json={"code": "not-found", "status": 404})
    if path == "/awards/public/decisions":
        return httpx.Response(200, json={"items": [DECISION]})
    if path.startswith("/awards/public/decisions/"):
        if path.endswith(".pdf"):
            return httpx.Response(
                200, content=b"%PDF-1.7", headers={"content-type": "application/pdf"}
            )
        return httpx.Response(200, json=DECISION)
    if path in ("/awards/public/disclosures", "/awards/public/exemplars", "/awards/dossiers"):
        return httpx.Response(200, json={"items": []})
    return httpx.Response(200, json=[] if request.method == "GET" else {})


def console(handler: Handler = fake_api, **settings: Any) -> FastAPI:
    defaults: dict[str, Any] = {
        "dev_login": True,
        "auth_signing_key": "k" * 48,
        "session_key": "s" * 48,
        "public_campaign_id": CAMPAIGN_ID,
    }
    app = create_console_app(ConsoleSettings(**(defaults | settings)))
    app.state.fake_api = handler
    return app


@pytest.fixture
async def browser() -> AsyncIterator[Callable[[FastAPI], httpx.AsyncClient]]:
    """A client of a console whose API client is the fake, its lifespan run."""
    opened: list[Any] = []

    async def open_for(app: FastAPI) -> httpx.AsyncClient:
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        opened.append(lifespan)
        app.state.http = httpx.AsyncClient(
            transport=httpx.MockTransport(app.state.fake_api), base_url="http://api"
        )
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://c")
        opened.append(client)
        return client

    yield open_for  # type: ignore[misc]
    for item in reversed(opened):
        await item.__aexit__(None, None, None)


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


async def log_in(client: httpx.AsyncClient, role: str, unit: str | None = None) -> httpx.Response:
    page = await client.get("/dang-nhap")
    form = {"csrf": csrf_of(page), "role": role, "unit": unit or ""}
    return await client.post("/dang-nhap/thu-nghiem", data=form)


@pytest.mark.parametrize("screen", MAIN_SCREENS, ids=lambda s: s.slug)
async def test_every_main_screen_renders_for_its_role(browser: Any, screen: Any) -> None:
    client = await browser(console())
    if screen.role:
        assert (await log_in(client, screen.role, screen.unit)).status_code == 303
    page = await client.get(screen.path, follow_redirects=True)
    assert page.status_code == 200, page.text[:1000]
    assert '<html lang="vi">' in page.text
    assert "Bỏ qua, đến nội dung chính" in page.text


async def test_the_public_page_shows_decisions_with_money_and_dates(browser: Any) -> None:
    page = await (await browser(console())).get("/")
    assert "15/QĐ-STTTT" in page.text
    assert "24/01/2019" in page.text
    assert "1.390.000 đ" in page.text
    assert "Đăng nhập" in page.text


async def test_the_development_login_is_404_when_off(browser: Any) -> None:
    client = await browser(console(dev_login=False, auth_signing_key=None))
    page = await client.get("/dang-nhap")
    assert "Đăng nhập thử nghiệm" not in page.text
    refused = await client.post("/dang-nhap/thu-nghiem", data={"csrf": "-", "role": "office"})
    assert refused.status_code == 404


async def test_the_development_login_is_rate_limited(browser: Any) -> None:
    client = await browser(console(dev_login_per_minute=3))
    answers = [(await log_in(client, "office")).status_code for _ in range(4)]
    assert answers == [303, 303, 303, 429]


async def test_a_form_without_the_sessions_csrf_token_is_refused(browser: Any) -> None:
    client = await browser(console())
    await client.get("/dang-nhap")
    refused = await client.post("/dang-nhap/thu-nghiem", data={"csrf": "x", "role": "office"})
    assert refused.status_code == 403
    assert MESSAGES["csrf"] in refused.text
    await log_in(client, "office")
    logout = await client.post("/dang-xuat", data={})
    assert logout.status_code == 403


async def test_a_unit_head_needs_a_unit(browser: Any) -> None:
    client = await browser(console())
    answer = await log_in(client, "unit_head")
    assert answer.status_code == 422
    assert "mã đơn vị" in answer.text


async def test_screens_of_another_role_are_not_shown(browser: Any) -> None:
    client = await browser(console())
    assert (await client.get("/phong-trao")).status_code == 303
    await log_in(client, "unit_head", "VP")
    assert (await client.get("/phong-trao")).status_code == 403


async def test_an_expired_login_goes_back_to_the_login_page(browser: Any) -> None:
    client = await browser(console(lambda request: httpx.Response(401, json={"code": "x"})))
    await log_in(client, "office")
    answer = await client.get("/phong-trao")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/dang-nhap")


async def test_an_uploads_row_errors_are_shown_in_place(browser: Any) -> None:
    rows = [{"row": 3, "field": "staff_code", "message": "missing"}]

    def refusing(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            body = {"code": "invalid-rows", "status": 422, "field": "staff_code", "errors": rows}
            return httpx.Response(422, json=body)
        return fake_api(request)

    client = await browser(console(refusing))
    await log_in(client, "office")
    page = await client.get("/danh-muc")
    sent = await client.post(
        "/danh-muc/nhap",
        data={"csrf": csrf_of(page)},
        files={"file": ("don-vi.xlsx", b"PK", "application/octet-stream")},
    )
    assert (sent.status_code, sent.headers["location"]) == (303, "/danh-muc")
    answer = await client.get("/danh-muc")
    assert MESSAGES["invalid-rows"] in answer.text
    assert "<td>3</td><td>staff_code</td><td>missing</td>" in answer.text


async def test_documents_are_passed_on_and_only_documents(browser: Any) -> None:
    client = await browser(console())
    pdf = await client.get(f"/tai-ve/awards/public/decisions/{DECISION['id']}/decision.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert (await client.get("/tai-ve/campaigns/ops/clock")).status_code == 404


def test_problem_codes_map_to_vietnamese_keeping_the_field() -> None:
    problem = Problem.from_body(409, {"code": "conflict", "field": "status", "detail": "English"})
    assert problem.message == MESSAGES["conflict"]
    assert problem.field == "status"
    assert Problem.from_body(404, {}).message == MESSAGES["not-found"]
    assert Problem.from_body(400, {"code": "never-heard-of"}).message.startswith("Không")


def test_money_and_dates_are_written_the_vietnamese_way() -> None:
    assert money(1390000) == "1.390.000 đ"
    assert money(0) == "0 đ"
    assert number(1234.5) == "1.234,5"
    assert day("2019-01-24") == "24/01/2019"
    assert day("2019-01-24T09:00:00+07:00") == "24/01/2019"
    assert moment("2019-01-24T09:05:00+07:00") == "24/01/2019 09:05"


async def test_a_public_comment_is_posted_to_the_public_endpoint(browser: Any) -> None:
    disclosure_id = "c4e85d81-b99c-4918-9bc3-dcf10300a1b2"
    sent: list[httpx.Request] = []

    def disclosing(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/awards/public/disclosures":
            disclosure = {
                "id": disclosure_id,
                "comment_from": "2019-01-10",
                "comment_until": "2019-01-23",
                "working_days": 10,
                "disclosed_at": "2019-01-10T02:00:00Z",
                "items": [],
            }
            return httpx.Response(200, json={"items": [disclosure]})
        if request.method == "POST":
            sent.append(request)
            return httpx.Response(201, json={"id": "x"})
        return fake_api(request)

    client = await browser(console(disclosing))
    page = await client.get("/")
    assert "23/01/2019" in page.text
    answer = await client.post(
        f"/cong-khai/{disclosure_id}/gop-y",
        data={
            "csrf": csrf_of(page),
            "kind": "comment",
            "author": "Công đoàn cơ sở",
            "content": "Đề nghị nêu rõ sáng kiến.",
        },
    )
    assert answer.status_code == 303
    (request,) = sent
    assert request.url.path == f"/awards/public/disclosures/{disclosure_id}/comments"
    assert "authorization" not in request.headers
    assert request.headers["idempotency-key"]
    assert "Đã gửi ý kiến" in (await client.get(answer.headers["location"])).text


async def test_a_unit_head_finds_its_clusters_covenant_without_its_id(browser: Any) -> None:
    covenant = {
        "id": "0b3c8a56-3b1f-4f55-9a55-7d1c1c2f7a10",
        "campaign_id": CAMPAIGN_ID,
        "cluster": "Cụm thi đua số 1",
        "items": ["Hoàn thành xuất sắc nhiệm vụ"],
        "document_number": "01/GƯTĐ",
        "place": "Đồng Nai",
        "status": "open",
        "in_force_at": None,
        "member_units": ["TTRA", "VP"],
        "signatures": [],
        "version": 1,
    }
    asked: list[httpx.URL] = []

    def listing(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/pledges/covenants":
            asked.append(request.url)
            return httpx.Response(200, json=[covenant])
        return fake_api(request)

    client = await browser(console(listing))
    await log_in(client, "unit_head", "VP")
    page = await client.get("/don-vi/giao-uoc")
    assert page.status_code == 200
    assert "Giao ước số 01/GƯTĐ của Cụm thi đua số 1" in page.text
    assert f'action="/don-vi/giao-uoc/{covenant["id"]}/ky"' in page.text
    assert asked[0].params["campaign_id"] == CAMPAIGN_ID


async def test_a_registration_is_returned_with_reasons_for_single_items(browser: Any) -> None:
    registration_id = "5f0e9d3a-2b7c-4e8e-9f51-0c6a1d2b3c4d"
    sent: list[httpx.Request] = []

    def returning(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            sent.append(request)
            return httpx.Response(200, json={})
        return fake_api(request)

    client = await browser(console(returning))
    await log_in(client, "office")
    page = await client.get("/tien-do")
    answer = await client.post(
        f"/dang-ky/{registration_id}/tra-lai",
        data={
            "csrf": csrf_of(page),
            "reason": "Bổ sung danh sách",
            "item:commitment:1": "Chỉ tiêu thấp hơn kế hoạch.",
            "item:member:NV001": "",
            "item:member:NV002": "Thiếu chức vụ.",
        },
    )
    assert answer.status_code == 303
    assert sent[0].url.path == f"/pledges/registrations/{registration_id}/return"
    assert json.loads(sent[0].content) == {
        "reason": "Bổ sung danh sách",
        "item_reasons": [
            {"item": "commitment:1", "reason": "Chỉ tiêu thấp hơn kế hoạch."},
            {"item": "member:NV002", "reason": "Thiếu chức vụ."},
        ],
    }
