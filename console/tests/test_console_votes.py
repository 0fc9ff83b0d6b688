"""The office's cluster work and a unit head's evaluations by form, against the faked API: the
covenant drawn up from the clusters' progress, the cluster vote sent with every member unit and
refused beside the field the API names, and the members' ratings sent as the report's content."""

import json
import re
from typing import Any

import httpx

from console.tests import test_console
from console.tests.test_console import CAMPAIGN, CAMPAIGN_ID, console, csrf_of, fake_api, log_in
from thidua_shared.contracts.vocabulary import TASK_RATINGS

CLUSTER = "Cụm thi đua số 3"
UNITS = [
    {
        "code": "PVHTT-LK",
        "name": "Phòng Văn hóa và Thông tin thị xã Long Khánh",
        "cluster": CLUSTER,
    },
    {"code": "PVHTT-NT", "name": "Phòng Văn hóa và Thông tin huyện Nhơn Trạch", "cluster": CLUSTER},
]
CLUSTER_CAMPAIGN = CAMPAIGN | {"units": UNITS}
COVENANT_ID = "0b0d0b8e-5a54-4c55-9a39-5c1f3c7f6a11"
REPORT_ID = "a1f0c3a2-8a58-4bb3-9d53-0e0b5f1f2a7c"
# test_console.py's `browser` fixture (a client of a console whose API is faked), registered here.
opened_console = test_console.browser
VOTE_PAGE = f"/hoi-dong/binh-xet-cum?phong_trao={CAMPAIGN_ID}&cum={CLUSTER}"


def progress(covenant_id: str | None) -> dict[str, Any]:
    cluster = {
        "cluster": CLUSTER,
        "member_units": ["PVHTT-LK", "PVHTT-NT"],
        "covenant_status": "open" if covenant_id else "none",
        "covenant_id": covenant_id,
        "in_force_at": None,
        "signed": [],
        "not_signed": ["PVHTT-LK", "PVHTT-NT"],
        "signatures": [],
    }
    return {"registration_deadline": None, "units": [], "counts": {}, "clusters": [cluster]}


class Recorder:
    """The fake API of these screens: reads answered from `reads`, writes kept and answered
    from `writes` (a created covenant otherwise)."""

    def __init__(self, writes: dict[str, httpx.Response] | None = None) -> None:
        self.sent: list[httpx.Request] = []
        self.writes = writes or {}
        self.reads: dict[str, httpx.Response] = {}
        self.covenant_id: str | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method in ("POST", "PUT"):
            self.sent.append(request)
            return self.writes.get(path, httpx.Response(201, json={"id": COVENANT_ID}))
        if path == "/campaigns/campaigns":
            return httpx.Response(200, json={"items": [CLUSTER_CAMPAIGN]})
        if path.startswith("/campaigns/campaigns/"):
            return httpx.Response(200, json=CLUSTER_CAMPAIGN)
        if path == f"/pledges/campaigns/{CAMPAIGN_ID}/progress":
            return httpx.Response(200, json=progress(self.covenant_id))
        return self.reads.get(path) or fake_api(request)


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


async def test_the_office_draws_up_a_clusters_covenant(opened_console: Any) -> None:
    api = Recorder()
    client = await opened_console(console(api))
    await log_in(client, "office")
    page = await client.get(f"/giao-uoc?phong_trao={CAMPAIGN_ID}")
    assert "Lập giao ước thi đua: Cụm thi đua số 3" in page.text
    sent = await client.post(
        "/giao-uoc",
        data={
            "csrf": csrf_of(page),
            "phong_trao": CAMPAIGN_ID,
            "cluster": CLUSTER,
            "document_number": "01/GƯTĐ-CTĐ3",
            "place": "",
            "items": "Hoàn thành xuất sắc nhiệm vụ\n\n  Xây dựng cơ quan văn hóa  ",
        },
    )
    assert sent.status_code == 303
    (request,) = api.sent
    assert (request.url.path, body_of(request)) == (
        "/pledges/covenants",
        {
            "campaign_id": CAMPAIGN_ID,
            "cluster": CLUSTER,
            "items": ["Hoàn thành xuất sắc nhiệm vụ", "Xây dựng cơ quan văn hóa"],
            "document_number": "01/GƯTĐ-CTĐ3",
            "place": "",
        },
    )
    api.covenant_id = COVENANT_ID
    after = await client.get(sent.headers["location"])
    assert f"Gửi mã giao ước {COVENANT_ID}" in after.text
    assert f"/tai-ve/pledges/covenants/{COVENANT_ID}/document.pdf" in after.text
    assert "Lập giao ước thi đua:" not in after.text


async def test_an_observer_sees_the_covenants_without_the_form(opened_console: Any) -> None:
    client = await opened_console(console(Recorder()))
    await log_in(client, "observer")
    page = await client.get(f"/giao-uoc?phong_trao={CAMPAIGN_ID}")
    assert page.status_code == 200
    assert CLUSTER in page.text
    assert "Lập giao ước" not in page.text


def vote_form(csrf: str, votes: str) -> dict[str, str]:
    typed = {
        "csrf": csrf,
        "phong_trao": CAMPAIGN_ID,
        "cum": CLUSTER,
        "criteria": "2",
        "held_on": "2019-01-08",
        "place": "Hội trường Sở",
        "chair_name": "Trần Văn Cụm",
        "secretary_name": "Nguyễn Thị Thảo",
        "k1_name": "Thực hiện nhiệm vụ",
        "k1_max": "60",
        "k2_name": "Phong trào thi đua",
        "k2_max": "40",
        "u1_k1": "55,5",
        "u1_k2": "38",
        "u2_k1": "50",
        "u2_k2": "35",
        "ballots_cast": "6",
        "ballots_invalid": "1",
        "seats": "1",
        "tie_break": "score",
        "u1_votes": votes,
        "u2_votes": "1",
    }
    return typed


async def test_the_council_page_links_each_cluster_without_a_vote(opened_console: Any) -> None:
    client = await opened_console(console(Recorder()))
    await log_in(client, "office")
    page = await client.get(f"/hoi-dong?phong_trao={CAMPAIGN_ID}")
    assert "Nhập kết quả bình xét: Cụm thi đua số 3" in page.text
    form = await client.get(VOTE_PAGE + "&tieu_chi=2")
    assert form.status_code == 200
    assert 'for="u2_k2"' in form.text
    assert "Điểm tiêu chí 2 của Phòng Văn hóa và Thông tin huyện Nhơn Trạch" in form.text


async def test_a_refused_vote_is_shown_again_with_the_rule_beside_the_votes(
    opened_console: Any,
) -> None:
    refusal = {"code": "unprocessable", "status": 422, "field": "votes", "detail": "English"}
    api = Recorder({"/awards/cluster-votes": httpx.Response(422, json=refusal)})
    client = await opened_console(console(api))
    await log_in(client, "office")
    page = await client.get(VOTE_PAGE)
    answer = await client.post("/hoi-dong/binh-xet-cum", data=vote_form(csrf_of(page), "9"))
    assert answer.status_code == 422
    assert 'id="votes-loi"' in answer.text
    assert "Số phiếu bầu vượt quá số phiếu hợp lệ" in answer.text
    assert re.search(r'id="u1_votes"[^>]*value="9"[^>]*aria-invalid="true"', answer.text)
    assert 'value="55,5"' in answer.text
    assert "English" not in answer.text
    (request,) = api.sent
    body = body_of(request)
    assert body["criteria"] == [
        {"name": "Thực hiện nhiệm vụ", "max_points": "60"},
        {"name": "Phong trào thi đua", "max_points": "40"},
    ]
    assert body["scores"][0] == {"unit_code": "PVHTT-LK", "points": ["55.5", "38"]}
    assert body["votes"] == [
        {"unit_code": "PVHTT-LK", "votes": 9},
        {"unit_code": "PVHTT-NT", "votes": 1},
    ]
    assert (body["ballots_cast"], body["ballots_invalid"], body["seats"]) == (6, 1, 1)


async def test_a_points_field_the_api_names_is_marked_in_its_cell(opened_console: Any) -> None:
    refusal = {"code": "validation", "status": 422, "field": "scores[1].points[0]"}
    api = Recorder({"/awards/cluster-votes": httpx.Response(422, json=refusal)})
    client = await opened_console(console(api))
    await log_in(client, "office")
    page = await client.get(VOTE_PAGE)
    answer = await client.post("/hoi-dong/binh-xet-cum", data=vote_form(csrf_of(page), "4"))
    assert re.search(
        r'id="u2_k1"[^>]*aria-invalid="true" aria-describedby="u2_k1-loi"', answer.text
    )


async def test_an_unreadable_figure_is_refused_before_the_api(opened_console: Any) -> None:
    api = Recorder()
    client = await opened_console(console(api))
    await log_in(client, "office")
    page = await client.get(VOTE_PAGE)
    typed = vote_form(csrf_of(page), "4") | {"u1_k2": "ba mươi"}
    answer = await client.post("/hoi-dong/binh-xet-cum", data=typed)
    assert answer.status_code == 422
    assert 'id="u1_k2-loi"' in answer.text
    assert 'value="ba mươi"' in answer.text
    assert api.sent == []


async def test_a_saved_vote_goes_back_to_the_council_page(opened_console: Any) -> None:
    elected = {"id": "v", "leaders": ["PVHTT-LK"], "outcome": "elected"}
    api = Recorder({"/awards/cluster-votes": httpx.Response(201, json=elected)})
    client = await opened_console(console(api))
    await log_in(client, "office")
    page = await client.get(VOTE_PAGE)
    answer = await client.post("/hoi-dong/binh-xet-cum", data=vote_form(csrf_of(page), "4"))
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/hoi-dong?phong_trao={CAMPAIGN_ID}"
    after = await client.get(answer.headers["location"])
    assert "đơn vị dẫn đầu PVHTT-LK" in after.text


REGISTRATION = {
    "id": "r",
    "status": "approved",
    "commitments": [],
    "members": [
        {"staff_code": "LK001", "full_name": "Lê Thị Hoa", "position": "Trưởng phòng"},
        {"staff_code": "LK002", "full_name": "Phan Văn Nam", "position": None},
        {"staff_code": "LK003", "full_name": "Võ Minh Tâm", "position": None},
    ],
}
REPORT = {
    "id": REPORT_ID,
    "phase_number": 1,
    "kind": "final",
    "status": "draft",
    "version": 3,
    "summary": "Hoàn thành kế hoạch năm",
    "self_assessment": "tot",
    "results": [
        {
            "commitment_number": 1,
            "task_number": 1,
            "content": "Tuyên truyền",
            "indicator": "Buổi sinh hoạt",
            "unit_of_measure": "buổi",
            "target_value": 4,
            "percent_of_target": 100.0,
            "achieved_value": 4,
            "narrative": "",
            "evidence": [],
        }
    ],
    "member_evaluations": [
        {
            "staff_code": "LK001",
            "full_name": "Lê Thị Hoa",
            "task_rating": "hoan_thanh",
            "discipline": "none",
            "discipline_from": None,
            "discipline_to": None,
            "under_investigation": False,
            "initiatives": [
                {"identifier": "SK-1", "title": "Số hóa", "level": "co_so", "year": 2017}
            ],
            "research": [],
            "counted_leave_days": 0,
            "notes": "",
            "joined_during_year": False,
            "joined_on": None,
        }
    ],
    "members_left": [],
    "item_reasons": [],
}


def reporting(api: Recorder) -> Recorder:
    api.reads |= {
        "/pledges/registrations": httpx.Response(200, json={"items": [{"id": "r"}]}),
        "/pledges/registrations/r": httpx.Response(200, json=REGISTRATION),
        "/reports/reports": httpx.Response(200, json={"items": [REPORT]}),
        f"/reports/reports/{REPORT_ID}": httpx.Response(200, json=REPORT),
    }
    return api


async def test_a_unit_head_rates_the_registered_members_by_form(opened_console: Any) -> None:
    api = reporting(Recorder())
    api.writes[f"/reports/reports/{REPORT_ID}"] = httpx.Response(200, json=REPORT)
    client = await opened_console(console(api))
    await log_in(client, "unit_head", "PVHTT-LK")
    page = await client.get(f"/don-vi/bao-cao?phong_trao={CAMPAIGN_ID}")
    assert "Xếp loại của Phan Văn Nam" in page.text
    for label in TASK_RATINGS.values():
        assert label in page.text
    assert re.search(r'<option value="hoan_thanh" selected>', page.text)
    excellent, good = list(TASK_RATINGS)[:2]
    sent = await client.post(
        f"/don-vi/bao-cao/{REPORT_ID}/xep-loai",
        data={
            "csrf": csrf_of(page),
            "phong_trao": CAMPAIGN_ID,
            "version": "3",
            "members": "3",
            "m1_code": "LK001",
            "m1_rating": excellent,
            "m2_code": "LK002",
            "m2_rating": good,
            "m3_code": "LK003",
            "m3_rating": "left",
        },
    )
    assert sent.status_code == 303
    (request,) = api.sent
    assert (request.method, request.url.path) == ("PUT", f"/reports/reports/{REPORT_ID}")
    assert request.headers["if-match"] == '"3"'
    body = body_of(request)
    assert body["summary"] == "Hoàn thành kế hoạch năm"
    assert body["results"] == [
        {"commitment_number": 1, "achieved_value": 4, "narrative": "", "evidence": []}
    ]
    first, second = body["member_evaluations"]
    # What the upload gave beyond the rating stays.
    assert first["task_rating"] == excellent
    assert first["initiatives"][0]["identifier"] == "SK-1"
    assert "full_name" not in first
    assert second == {"staff_code": "LK002", "task_rating": good}
    assert body["members_left"] == [{"staff_code": "LK003"}]
    assert (
        "Đã lưu đánh giá, xếp loại 3 cá nhân." in (await client.get(sent.headers["location"])).text
    )


async def test_the_vote_form_finds_a_cluster_by_its_directory_code(opened_console: Any) -> None:
    api = Recorder()
    api.reads["/campaigns/clusters/CUM3"] = httpx.Response(
        200, json={"code": "CUM3", "name": CLUSTER}
    )
    client = await opened_console(console(api))
    await log_in(client, "office")
    page = await client.get(f"/hoi-dong/binh-xet-cum?phong_trao={CAMPAIGN_ID}&cum=CUM3")
    assert page.status_code == 200
    assert f'name="cum" value="{CLUSTER}"' in page.text
    unknown = await client.get(f"/hoi-dong/binh-xet-cum?phong_trao={CAMPAIGN_ID}&cum=CUM9")
    assert unknown.status_code == 303
    assert "Trường: <code>cum</code>" in (await client.get(unknown.headers["location"])).text


async def test_the_screens_proposed_for_main_screens_render_on_the_usual_fake(
    opened_console: Any,
) -> None:
    client = await opened_console(console())
    await log_in(client, "office")
    for path in ("/giao-uoc", "/hoi-dong/binh-xet-cum?cum=CUM1"):
        page = await client.get(path)
        assert page.status_code == 200, page.text[:500]
