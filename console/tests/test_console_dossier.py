"""After the decision, against the faked API: the dossier to the higher level with its documents
and the steps its status allows, for the office, the signer and the observer; a refused form
shown again as typed with the problem beside its input; an award revoked with its document;
an exemplar published from those awarded."""

import json
from typing import Any
from urllib.parse import parse_qs

import httpx

from console.tests import test_console
from console.tests.test_console import CAMPAIGN_ID, DECISION, console, csrf_of, fake_api, log_in

# test_console.py's `browser` fixture (a client of a console whose API is faked), registered here.
opened_console = test_console.browser
DOSSIER_ID = "5d9a3c1e-7b2f-4c8a-9e6d-1f2a3b4c5d6e"
DISCLOSURE_ID = "c4e85d81-b99c-4918-9bc3-dcf10300a1b2"
PAGE = f"/ho-so?phong_trao={CAMPAIGN_ID}"
PROPOSALS = [
    {
        "subject_kind": "unit",
        "subject_code": "VP",
        "subject_name": "Văn phòng Sở",
        "unit_code": "VP",
        "title": "tap_the_lao_dong_xuat_sac",
    },
    {
        "subject_kind": "person",
        "subject_code": "VP-001",
        "subject_name": "Nguyễn Thị Hồng Nhung",
        "unit_code": "VP",
        "title": "chien_si_thi_dua_cap_tinh",
    },
]
AWARD = {
    "id": "9f1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
    "subject_kind": "person",
    "subject_code": "VP-007",
    "subject_name": "Đặng Quang Bình",
    "unit_code": "VP",
    "title": "lao_dong_tien_tien",
    "bonus_vnd": 420000,
    "revoked_at": None,
    "revoked_on": None,
    "revocation_number": None,
    "revocation_reason": None,
    "revocation_signer_title": None,
    "revocation_signer_name": None,
    "bonus_recovered_vnd": None,
}
DECIDED = DECISION | {"campaign_id": CAMPAIGN_ID, "bonus_recovered_vnd": 0, "awards": [AWARD]}


def dossier(status: str) -> dict[str, Any]:
    decided = status == "decided"
    return {
        "id": DOSSIER_ID,
        "campaign_id": CAMPAIGN_ID,
        "authority": "provincial_chairman",
        "authority_citation": "Luật Thi đua, khen thưởng 2013, Điều 79",
        "status": status,
        "number": "16/TTr-STTTT",
        "drafted_on": "2019-01-24",
        "addressee": "Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai",
        "signer_authority": "",
        "signer_title": "Giám đốc",
        "signer_name": "Lê Hoàng Ngọc",
        "items": PROPOSALS,
        "sent_number": "16/TTr-STTTT" if status != "drafted" else None,
        "sent_on": "2019-01-25" if status != "drafted" else None,
        "returns": [],
        "decision_number": "512/QĐ-UBND" if decided else None,
        "decided_on": "2019-03-01" if decided else None,
        "decision_signer_title": "Chủ tịch" if decided else None,
        "decision_signer_name": "Đinh Quốc Thái" if decided else None,
        "granted": [p | {"bonus_vnd": 4_170_000} for p in PROPOSALS] if decided else [],
        "refused": [],
        "fund": "Quỹ thi đua, khen thưởng của Ủy ban nhân dân cấp tỉnh" if decided else None,
        "total_bonus_vnd": 8_340_000 if decided else None,
    }


class FakeAwards:
    """The awards API of a dossier in the given status; POSTs are kept, and answered with the
    problem given (else 200)."""

    def __init__(self, status: str, problem: dict[str, Any] | None = None) -> None:
        self.status = status
        self.problem = problem
        self.posted: list[httpx.Request] = []
        self.decision = DECIDED

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST":
            self.posted.append(request)
            if self.problem:
                return httpx.Response(self.problem["status"], json=self.problem)
            return httpx.Response(200, json={})
        if path == "/awards/dossiers":
            return httpx.Response(200, json={"items": [dossier(self.status)]})
        if path == f"/awards/dossiers/{DOSSIER_ID}":
            return httpx.Response(200, json=dossier(self.status))
        if path == "/awards/public/disclosures":
            disclosure = {
                "id": DISCLOSURE_ID,
                "comment_from": "2019-01-10",
                "comment_until": "2019-01-23",
                "items": PROPOSALS,
            }
            return httpx.Response(200, json={"items": [disclosure]})
        if path.startswith("/awards/public/decisions/"):
            return httpx.Response(200, json=self.decision)
        return fake_api(request)


async def _logged_in(browser: Any, api: FakeAwards, role: str = "office") -> httpx.AsyncClient:
    client: httpx.AsyncClient = await browser(console(api))
    await log_in(client, role)
    return client


async def test_the_dossier_shows_its_documents_and_the_step_its_status_allows(
    opened_console: Any,
) -> None:
    for role in ("office", "decision_signer"):
        page = await (await _logged_in(opened_console, FakeAwards("drafted"), role)).get(PAGE)
        assert page.status_code == 200, page.text[:1000]
        assert "Tờ trình 16/TTr-STTTT ngày 24/01/2019" in page.text
        assert "Đã lập tờ trình, chưa gửi" in page.text
        assert f'href="/tai-ve/awards/dossiers/{DOSSIER_ID}/documents/to-trinh.pdf"' in page.text
        assert f'href="/tai-ve/awards/dossiers/{DOSSIER_ID}/dossier.zip"' in page.text
        assert "Ghi nhận đã gửi" in page.text
        assert "Ghi nhận quyết định" not in page.text
    observer = await (await _logged_in(opened_console, FakeAwards("sent"), "observer")).get(PAGE)
    assert "Đã gửi, chờ cấp trên quyết định" in observer.text
    assert '<form method="post" action="/ho-so' not in observer.text
    decided = await (await _logged_in(opened_console, FakeAwards("decided"))).get(PAGE)
    assert "Quyết định 512/QĐ-UBND của cấp trên" in decided.text
    assert "8.340.000 đ" in decided.text
    assert "01/03/2019" in decided.text


async def test_the_dossier_is_recorded_as_sent(opened_console: Any) -> None:
    api = FakeAwards("drafted")
    client = await _logged_in(opened_console, api)
    page = await client.get(PAGE)
    answer = await client.post(
        f"/ho-so/{DOSSIER_ID}/gui?phong_trao={CAMPAIGN_ID}",
        data={"csrf": csrf_of(page), "sent_on": "2019-01-25", "number": ""},
    )
    assert (answer.status_code, answer.headers["location"]) == (303, PAGE)
    [sent] = api.posted
    assert sent.url.path == f"/awards/dossiers/{DOSSIER_ID}/sent"
    assert json.loads(sent.content) == {"sent_on": "2019-01-25", "number": None}
    assert "Đã ghi nhận gửi hồ sơ." in (await client.get(PAGE)).text


async def test_a_refused_form_comes_back_as_typed_with_the_problem_beside_its_input(
    opened_console: Any,
) -> None:
    problem = {"status": 422, "code": "unprocessable", "field": "sent_on"}
    client = await _logged_in(opened_console, FakeAwards("drafted", problem))
    page = await client.get(PAGE)
    answer = await client.post(
        f"/ho-so/{DOSSIER_ID}/gui?phong_trao={CAMPAIGN_ID}",
        data={"csrf": csrf_of(page), "sent_on": "2019-01-20", "number": "25/STTTT-VP"},
    )
    assert answer.status_code == 422
    field = f"sent-{DOSSIER_ID}-sent_on"
    assert f'value="2019-01-20" required aria-invalid="true" aria-describedby="{field}-loi"' in (
        answer.text
    )
    assert f'<p id="{field}-loi" class="problem">Ngày gửi không được trước ngày tờ trình.</p>' in (
        answer.text
    )
    assert 'value="25/STTTT-VP"' in answer.text
    assert f'<a href="#{field}">Đến ô cần sửa</a>' in answer.text


async def test_the_higher_decision_is_recorded_with_the_refused_and_their_reasons(
    opened_console: Any,
) -> None:
    api = FakeAwards("sent")
    client = await _logged_in(opened_console, api, "decision_signer")
    page = await client.get(PAGE)
    assert f'href="/tai-ve/awards/dossiers/{DOSSIER_ID}/decision-template.xlsx"' in page.text
    form = {
        "csrf": csrf_of(page),
        "number": "512/QĐ-UBND",
        "decided_on": "2019-03-01",
        "signer_title": "Chủ tịch",
        "signer_name": "Đinh Quốc Thái",
        "tu_choi_1": "person|VP-001|chien_si_thi_dua_cap_tinh",
        "ly_do_1": "",
    }
    action = f"/ho-so/{DOSSIER_ID}/quyet-dinh?phong_trao={CAMPAIGN_ID}"
    assert (await client.post(action, data=form)).status_code == 303
    body = json.loads(api.posted[0].content)
    assert body["refused"] == [
        {
            "subject_kind": "person",
            "subject_code": "VP-001",
            "title": "chien_si_thi_dua_cap_tinh",
            "reason": "",
        }
    ]
    assert body["number"] == "512/QĐ-UBND"
    api.problem = {"status": 422, "code": "validation", "field": "refused[0].reason"}
    refused = await client.post(action, data=form)
    assert refused.status_code == 422
    assert "Ghi lý do cấp trên không khen thưởng đề nghị này." in refused.text
    assert f'id="decision-{DOSSIER_ID}-ly_do_1-loi"' in refused.text
    assert f'id="decision-{DOSSIER_ID}-tu_choi_1" name="tu_choi_1"' in refused.text
    assert 'chien_si_thi_dua_cap_tinh" checked>' in refused.text


async def test_the_higher_decision_is_imported_from_its_workbook(opened_console: Any) -> None:
    api = FakeAwards("sent")
    client = await _logged_in(opened_console, api)
    page = await client.get(PAGE)
    signed = {"number": "512/QĐ-UBND", "decided_on": "2019-03-01"}
    signed |= {"signer_title": "Chủ tịch", "signer_name": "Đinh Quốc Thái"}
    answer = await client.post(
        f"/ho-so/{DOSSIER_ID}/quyet-dinh/tep?phong_trao={CAMPAIGN_ID}",
        data={"csrf": csrf_of(page), **signed},
        files={"tep": ("ket-qua.xlsx", b"PK", "application/vnd.ms-excel")},
    )
    assert answer.status_code == 303
    [imported] = api.posted
    assert imported.url.path == f"/awards/dossiers/{DOSSIER_ID}/decision/import"
    assert {k: v[0] for k, v in parse_qs(imported.url.query.decode()).items()} == signed
    assert imported.content == b"PK"


async def test_a_dossier_is_drafted_from_a_disclosed_list(opened_console: Any) -> None:
    api = FakeAwards("decided")
    client = await _logged_in(opened_console, api)
    page = await client.get(PAGE)
    assert f'<option value="{DISCLOSURE_ID}"' in page.text
    form = {
        "csrf": csrf_of(page),
        "disclosure_id": DISCLOSURE_ID,
        "authority": "provincial_chairman",
        "number": "17/TTr-STTTT",
        "drafted_on": "2019-01-25",
        "place": "Đồng Nai",
        "signer_title": "Giám đốc",
        "signer_name": "Lê Hoàng Ngọc",
    }
    assert (await client.post(f"/ho-so?phong_trao={CAMPAIGN_ID}", data=form)).status_code == 303
    body = json.loads(api.posted[0].content)
    assert body["disclosure_id"] == DISCLOSURE_ID
    assert (body["number"], body["issuing_agency"]) == ("17/TTr-STTTT", "")
    api.problem = {"status": 409, "code": "conflict", "field": "number"}
    taken = await client.post(f"/ho-so?phong_trao={CAMPAIGN_ID}", data=form)
    assert taken.status_code == 409
    assert "Số tờ trình này đã được dùng." in taken.text
    assert 'id="draft-number" name="number" type="text" maxlength="50" value="17/TTr-STTTT"' in (
        taken.text
    )


async def test_an_award_is_revoked_and_its_document_offered(opened_console: Any) -> None:
    api = FakeAwards("decided")
    client = await _logged_in(opened_console, api)
    page = await client.get(f"/quyet-dinh/{DECISION['id']}/huy-bo")
    assert page.status_code == 200, page.text[:1000]
    chosen = "person|VP-007|lao_dong_tien_tien"
    assert f'<option value="{chosen}">Đặng Quang Bình (VP)' in page.text
    form = {
        "csrf": csrf_of(page),
        "award": chosen,
        "reason": "Khai man thành tích.",
        "number": "42/QĐ-STTTT",
        "decided_on": "2019-03-15",
        "signer_title": "",
        "signer_name": "",
    }
    answer = await client.post(f"/quyet-dinh/{DECISION['id']}/huy-bo", data=form)
    assert answer.status_code == 303
    assert json.loads(api.posted[0].content) == {
        "subject_kind": "person",
        "subject_code": "VP-007",
        "title": "lao_dong_tien_tien",
        "reason": "Khai man thành tích.",
        "number": "42/QĐ-STTTT",
        "decided_on": "2019-03-15",
        "signer_title": None,
        "signer_name": None,
    }
    api.problem = {"status": 409, "code": "conflict", "field": "subject_code"}
    again = await client.post(f"/quyet-dinh/{DECISION['id']}/huy-bo", data=form)
    assert again.status_code == 409
    assert "Danh hiệu này đã bị hủy bỏ." in again.text
    assert f'<option value="{chosen}" selected>' in again.text
    assert "Khai man thành tích.</textarea>" in again.text
    revocation: dict[str, Any] = {"revoked_at": "2019-03-15T02:00:00Z", "revoked_on": "2019-03-15"}
    revocation |= {"revocation_number": "42/QĐ-STTTT", "bonus_recovered_vnd": 420000}
    api.decision = DECIDED | {"awards": [AWARD | revocation]}
    revoked = await client.get(f"/quyet-dinh/{DECISION['id']}/huy-bo")
    assert "42/QĐ-STTTT ngày 15/03/2019" in revoked.text
    pdf = f"/revocations/{AWARD['id']}/decision.pdf"
    assert f'href="/tai-ve/awards/public/decisions/{DECISION["id"]}{pdf}"' in revoked.text


async def test_an_exemplar_is_published_from_those_awarded(opened_console: Any) -> None:
    api = FakeAwards("decided")
    client = await _logged_in(opened_console, api)
    page = await client.get(f"/dien-hinh?phong_trao={CAMPAIGN_ID}")
    assert page.status_code == 200, page.text[:1000]
    assert '<option value="person|VP-001|Nguyễn Thị Hồng Nhung">' in page.text
    assert '<option value="person|VP-007|Đặng Quang Bình">' in page.text
    form = {
        "csrf": csrf_of(page),
        "subject": "person|VP-001|Nguyễn Thị Hồng Nhung",
        "story": "Số hóa hồ sơ một cửa.",
    }
    answer = await client.post(f"/dien-hinh?phong_trao={CAMPAIGN_ID}", data=form)
    assert answer.status_code == 303
    assert json.loads(api.posted[0].content) == {
        "campaign_id": CAMPAIGN_ID,
        "subject_kind": "person",
        "subject_code": "VP-001",
        "subject_name": "Nguyễn Thị Hồng Nhung",
        "story": "Số hóa hồ sơ một cửa.",
    }
    observer = await _logged_in(opened_console, api, "observer")
    seen = await observer.get(f"/dien-hinh?phong_trao={CAMPAIGN_ID}")
    assert seen.status_code == 200
    assert "Đăng lên trang công khai" not in seen.text
