"""The plan drafted, edited and shown in the console, and the consolidated report's page,
against an API faked at the HTTP layer: what each form sends, and how a refusal is shown
beside the field it names."""

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from campaigns.schemas import CampaignCreate, CampaignUpdate
from thidua_console.app import create_console_app
from thidua_console.problems import MESSAGES
from thidua_console.settings import ConsoleSettings

DRAFT_ID = "0b0c8a53-6d1e-4bd6-9e59-0f4e3f2a1c11"
DRAFT: dict[str, Any] = {
    "id": DRAFT_ID,
    "document_number": "12/KH-STTTT",
    "title": "Phát động phong trào thi đua năm 2017",
    "year": 2017,
    "theme": "",
    "status": "draft",
    "version": 3,
    "rule_set": "law-2013-decree-91-2017",
    "kind": "regular",
    "period_start": "2017-01-01",
    "period_end": "2017-12-31",
    "registration_deadline": None,
    "issued_on": "2017-01-05",
    "issuing_agency": "Sở Thông tin và Truyền thông",
    "parent_agency": "UBND tỉnh Đồng Nai",
    "place_of_issue": "Đồng Nai",
    "signer_name": "Lê Hoàng Ngọc",
    "signer_title": "Giám đốc",
    "launched_at": None,
    "legal_bases": [],
    "introduction": [],
    "objectives": [],
    "implementation": [],
    "tasks_introduction": "",
    "closing": "",
    "recipients": ["Bộ TT&TT", "Lưu: VT"],
    "tasks": [
        {
            "number": 1,
            "content": "Cải cách hành chính",
            "targets": [
                {
                    "indicator": "Hồ sơ trễ hạn",
                    "unit_of_measure": "%",
                    "target_value": 0.5,
                    "lower_is_better": True,
                }
            ],
        }
    ],
    "phases": [
        {
            "number": 1,
            "name": "Đợt 1",
            "starts_on": "2017-01-01",
            "ends_on": "2017-06-30",
            "dedication": "",
            "status": "pending",
        }
    ],
    "units": [{"code": "VP", "name": "Văn phòng Sở", "cluster": "Cụm 1"}],
    "cluster_codes": [],
}
LAUNCHED = DRAFT | {"status": "launched", "launched_at": "2017-01-06T02:00:00Z"}
RESULT: dict[str, Any] = {
    "task_number": 1,
    "content": "Cải cách hành chính",
    "indicator": "Hồ sơ trễ hạn",
}
RESULT |= {"unit_of_measure": "%", "target_value": 0.5, "lower_is_better": True}
RESULT |= {"achieved_value": 0.4, "percent_of_target": 125.0}
UNIT_REPORT: dict[str, Any] = {"unit_code": "VP", "unit_name": "Văn phòng Sở", "cluster": "Cụm 1"}
UNIT_REPORT |= {"report_id": "5c7f7a57-8f36-4f8e-8f6b-3c1e3c0b7a10", "status": "approved"}
UNIT_REPORT |= {"late": False, "self_assessment": "hoan_thanh_tot", "results": [RESULT]}
UNIT_REPORT |= {"commitments": 1, "targets_met": 1, "average_percent": 125.0}
TOTALS = dict.fromkeys(("missing", "submitted", "returned", "late"), 0)
TOTALS |= {"units": 1, "approved": 1, "commitments": 1, "targets_met": 1}
REPORT: dict[str, Any] = {"campaign_id": DRAFT_ID, "phase_number": 1, "phase_name": "Đợt 1"}
REPORT |= {"kind": "preliminary", "phase_status": "closed", "review_round": 1}
REPORT |= {"units": [UNIT_REPORT], "totals": TOTALS}
UNITS = [
    {"code": "VP", "name": "Văn phòng Sở", "active": True},
    {"code": "TTRA", "name": "Thanh tra Sở", "active": True},
    {"code": "STTTT", "name": "Sở Thông tin và Truyền thông", "active": True},
    {"code": "CU", "name": "Đơn vị đã giải thể", "active": False},
]
CLUSTERS = [{"code": "CUM1", "name": "Cụm 1", "active": True, "unit_codes": ["VP", "TTRA"]}]


class FakeApi:
    """The campaigns and reports API the plan's screens call, keeping what was sent."""

    def __init__(self, campaign: dict[str, Any] = DRAFT, refusal: dict[str, Any] | None = None):
        self.campaign = campaign
        self.refusal = refusal
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        if method in ("POST", "PATCH"):
            self.sent.append(request)
            if self.refusal:
                return httpx.Response(self.refusal["status"], json=self.refusal)
            return httpx.Response(201 if method == "POST" else 200, json=self.campaign)
        if path == "/campaigns/units":
            return httpx.Response(200, json={"items": UNITS, "total": 4})
        if path == "/campaigns/clusters":
            return httpx.Response(200, json=CLUSTERS)
        if path == "/campaigns/campaigns":
            return httpx.Response(200, json={"items": [self.campaign], "total": 1})
        if path == f"/campaigns/campaigns/{DRAFT_ID}":
            return httpx.Response(200, json=self.campaign)
        if path == f"/reports/campaigns/{DRAFT_ID}/phases/1/consolidated":
            return httpx.Response(200, json=REPORT)
        return httpx.Response(404, json={"code": "not-found", "status": 404})

    def body(self) -> dict[str, Any]:
        sent: dict[str, Any] = json.loads(self.sent[-1].content)
        return sent


@pytest.fixture
async def open_console() -> AsyncIterator[Callable[..., Any]]:
    """A client of a console whose API is the fake, logged in as the role."""
    opened: list[Any] = []

    async def open_as(api: FakeApi, role: str, unit: str = "") -> httpx.AsyncClient:
        settings = ConsoleSettings(dev_login=True, auth_signing_key="k" * 48, session_key="s" * 48)
        app: FastAPI = create_console_app(settings)
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        opened.append(lifespan)
        app.state.http = httpx.AsyncClient(
            transport=httpx.MockTransport(api), base_url="http://api"
        )
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://c")
        opened.append(client)
        login = await client.get("/dang-nhap")
        form = {"csrf": csrf_of(login), "role": role, "unit": unit}
        assert (await client.post("/dang-nhap/thu-nghiem", data=form)).status_code == 303
        return client

    yield open_as
    for item in reversed(opened):
        await item.__aexit__(None, None, None)


def csrf_of(page: httpx.Response) -> str:
    return page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def typed_plan(csrf: str) -> dict[str, Any]:
    """A new plan as an office types it: a blank task row and a blank phase row between
    filled ones, a date typed dd/mm/yyyy, a target 12,5 the Vietnamese way."""
    return {
        "csrf": csrf,
        "tasks": "3",
        "phases": "3",
        "t1_targets": "1",
        "t2_targets": "1",
        "t3_targets": "2",
        "document_number": "12/KH-STTTT",
        "title": "Phát động phong trào thi đua năm 2017",
        "year": "2017",
        "kind": "regular",
        "rule_set": "",
        "period_start": "2017-01-01",
        "period_end": "31/12/2017",
        "registration_deadline": "",
        "issued_on": "2017-01-05",
        "recipients": "Bộ TT&TT\n\nLưu: VT\n",
        "t1_content": "Tuyên truyền",
        "t3_content": "Cải cách hành chính",
        "t3_g2_indicator": "Hồ sơ đúng hạn",
        "t3_g2_target_value": "12,5",
        "t3_g2_unit_of_measure": "%",
        "p1_name": "Đợt 1",
        "p1_starts_on": "2017-01-01",
        "p1_ends_on": "2017-06-30",
        "p3_name": "Đợt 2",
        "p3_starts_on": "2017-07-01",
        "p3_ends_on": "2017-06-01",
        "units": ["VP", "TTRA"],
        "clusters": ["CUM1"],
    }


async def test_the_new_plan_form_offers_the_directory_by_cluster(open_console: Any) -> None:
    client = await open_console(FakeApi(), "office")
    page = await client.get("/phong-trao/moi")
    assert page.status_code == 200
    assert "Cụm 1" in page.text
    assert 'name="clusters" value="CUM1"' in page.text
    assert "Thanh tra Sở (TTRA)" in page.text
    assert "Đơn vị không thuộc cụm thi đua" in page.text
    assert "Đơn vị đã giải thể" not in page.text
    assert page.text.count('name="units"') == 3
    for label in ("Số, ký hiệu", "Nơi nhận", "Càng thấp càng tốt", "Thi đua chào mừng"):
        assert label in page.text


async def test_only_the_office_drafts_a_plan(open_console: Any) -> None:
    client = await open_console(FakeApi(), "observer")
    assert (await client.get("/phong-trao/moi")).status_code == 403
    assert (await client.get(f"/phong-trao/{DRAFT_ID}/sua")).status_code == 403


async def test_a_row_is_added_keeping_what_was_typed(open_console: Any) -> None:
    api = FakeApi()
    client = await open_console(api, "office")
    form = typed_plan(csrf_of(await client.get("/phong-trao/moi")))
    page = await client.post("/phong-trao/moi", data=form | {"them": "chi_tieu_1"})
    assert page.status_code == 200
    assert api.sent == []
    assert 'id="t1_g2_indicator"' in page.text
    assert 'value="12/KH-STTTT"' in page.text
    assert 'value="VP" checked' in page.text
    page = await client.post("/phong-trao/moi", data=form | {"them": "dot"})
    assert 'id="p4_name"' in page.text
    assert 'value="Đợt 2"' in page.text


async def test_the_plan_is_sent_as_typed_without_blank_rows(open_console: Any) -> None:
    api = FakeApi()
    client = await open_console(api, "office")
    form = typed_plan(csrf_of(await client.get("/phong-trao/moi")))
    answer = await client.post("/phong-trao/moi", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/phong-trao/ke-hoach?phong_trao={DRAFT_ID}"
    body = api.body()
    assert set(body) <= set(CampaignCreate.model_fields)
    CampaignCreate.model_validate(body | {"phases": body["phases"][:1]})
    assert body["period_end"] == "2017-12-31"
    assert body["rule_set"] is None
    assert body["registration_deadline"] is None
    assert body["recipients"] == ["Bộ TT&TT", "Lưu: VT"]
    assert body["tasks"] == [
        {"content": "Tuyên truyền", "targets": []},
        {
            "content": "Cải cách hành chính",
            "targets": [
                {
                    "indicator": "Hồ sơ đúng hạn",
                    "target_value": 12.5,
                    "unit_of_measure": "%",
                    "lower_is_better": False,
                }
            ],
        },
    ]
    assert [p["name"] for p in body["phases"]] == ["Đợt 1", "Đợt 2"]
    assert body["unit_codes"] == ["VP", "TTRA"]
    assert body["cluster_codes"] == ["CUM1"]


async def test_a_refusal_is_shown_beside_the_field_it_names(open_console: Any) -> None:
    refusal = {"status": 422, "code": "unprocessable", "field": "phases[1].ends_on"}
    client = await open_console(FakeApi(refusal=refusal), "office")
    form = typed_plan(csrf_of(await client.get("/phong-trao/moi")))
    page = await client.post("/phong-trao/moi", data=form)
    assert page.status_code == 422
    # The second phase sent is the form's third row: the blank one between was left out.
    assert 'id="p3_ends_on" name="p3_ends_on" type="date" value="2017-06-01"' in page.text
    assert 'aria-invalid="true" aria-describedby="p3_ends_on-loi"' in page.text
    assert MESSAGES["unprocessable"] in page.text
    assert "Đợt thi đua kết thúc trước ngày bắt đầu." in page.text
    assert 'href="#p3_ends_on"' in page.text
    assert 'value="Hồ sơ đúng hạn"' in page.text


async def test_a_figure_that_is_not_a_number_is_refused_before_sending(
    open_console: Any,
) -> None:
    api = FakeApi()
    client = await open_console(api, "office")
    form = typed_plan(csrf_of(await client.get("/phong-trao/moi")))
    page = await client.post("/phong-trao/moi", data=form | {"t3_g2_target_value": "mười"})
    assert page.status_code == 422
    assert api.sent == []
    assert 'aria-describedby="t3_g2_target_value-loi"' in page.text
    assert MESSAGES["validation"] in page.text


async def test_the_draft_is_edited_with_the_version_read(open_console: Any) -> None:
    api = FakeApi()
    client = await open_console(api, "office")
    page = await client.get(f"/phong-trao/{DRAFT_ID}/sua")
    assert page.status_code == 200
    assert 'name="version" value="3"' in page.text
    assert 'value="0,5"' in page.text
    assert 'name="t1_g1_lower_is_better" value="1" checked' in page.text
    assert "Bộ TT&amp;TT\nLưu: VT</textarea>" in page.text
    assert 'name="p1_name"' not in page.text
    form = {
        "csrf": csrf_of(page),
        "version": "3",
        "tasks": "2",
        "t1_targets": "1",
        "t2_targets": "1",
        "title": "Phát động thi đua năm 2017 (sửa)",
        "kind": "regular",
        "t1_content": "Cải cách hành chính",
        "t1_g1_indicator": "Hồ sơ trễ hạn",
        "t1_g1_target_value": "0,5",
        "t1_g1_unit_of_measure": "%",
        "t1_g1_lower_is_better": "1",
        "recipients": "Bộ TT&TT",
    }
    answer = await client.post(f"/phong-trao/{DRAFT_ID}/sua", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/phong-trao/ke-hoach?phong_trao={DRAFT_ID}"
    sent = api.sent[-1]
    assert sent.method == "PATCH"
    assert sent.headers["If-Match"] == '"3"'
    body = api.body()
    CampaignUpdate.model_validate(body)
    assert body["title"] == "Phát động thi đua năm 2017 (sửa)"
    assert body["tasks"][0]["targets"][0]["lower_is_better"] is True
    assert body["issued_on"] is None


async def test_a_change_made_meanwhile_is_said_on_the_form(open_console: Any) -> None:
    refusal = {"status": 412, "code": "stale-version", "field": "If-Match"}
    client = await open_console(FakeApi(refusal=refusal), "office")
    page = await client.get(f"/phong-trao/{DRAFT_ID}/sua")
    form = {"csrf": csrf_of(page), "version": "2", "title": "Khác", "kind": "regular"}
    answer = await client.post(f"/phong-trao/{DRAFT_ID}/sua", data=form)
    assert answer.status_code == 412
    assert MESSAGES["stale-version"] in answer.text
    assert 'value="Khác"' in answer.text


async def test_a_launched_plan_is_not_edited(open_console: Any) -> None:
    client = await open_console(FakeApi(LAUNCHED), "office")
    answer = await client.get(f"/phong-trao/{DRAFT_ID}/sua", follow_redirects=True)
    assert str(answer.url).endswith(f"/phong-trao/ke-hoach?phong_trao={DRAFT_ID}")
    assert MESSAGES["conflict"] in answer.text
    assert "Sửa kế hoạch" not in answer.text
    assert "Lập kế hoạch mới" in answer.text


async def test_the_plan_page_links_to_drafting_for_the_office_only(open_console: Any) -> None:
    office = await open_console(FakeApi(), "office")
    page = await office.get(f"/phong-trao/ke-hoach?phong_trao={DRAFT_ID}")
    assert f'href="/phong-trao/{DRAFT_ID}/sua"' in page.text
    assert 'href="/phong-trao/moi"' in page.text
    assert 'href="/phong-trao/moi"' in (await office.get("/phong-trao")).text
    observer = await open_console(FakeApi(), "observer")
    page = await observer.get(f"/phong-trao/ke-hoach?phong_trao={DRAFT_ID}")
    assert "/sua" not in page.text
    assert "/phong-trao/moi" not in page.text


async def test_the_consolidated_report_shows_results_against_targets(open_console: Any) -> None:
    client = await open_console(FakeApi(LAUNCHED), "observer")
    page = await client.get(f"/bao-cao/tong-hop?phong_trao={DRAFT_ID}&dot=1")
    assert page.status_code == 200
    assert "Báo cáo sơ kết — Đợt 1" in page.text
    assert "Văn phòng Sở" in page.text
    assert "0,4 %" in page.text
    assert "125 %" in page.text
    xlsx = f"/tai-ve/reports/campaigns/{DRAFT_ID}/phases/1/consolidated.xlsx"
    assert f'href="{xlsx}"' in page.text


async def test_a_draft_has_no_consolidated_report_yet(open_console: Any) -> None:
    client = await open_console(FakeApi(), "office")
    page = await client.get("/bao-cao/tong-hop")
    assert page.status_code == 200
    assert "Phong trào chưa phát động" in page.text


async def test_a_unit_head_does_not_see_the_consolidated_report(open_console: Any) -> None:
    client = await open_console(FakeApi(LAUNCHED), "unit_head", "VP")
    assert (await client.get("/bao-cao/tong-hop")).status_code == 403
