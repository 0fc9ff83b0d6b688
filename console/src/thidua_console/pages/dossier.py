"""After the decision: the dossier to the higher level drafted, sent, returned and decided; an
award of a decision revoked; exemplars published. A form the API refuses comes back as typed,
with the problem said beside the input it names."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from thidua_console.api import ApiProblem
from thidua_console.pages.common import campaigns_and_chosen, wanted_campaign
from thidua_console.problems import Problem
from thidua_console.session import session_of
from thidua_console.web import api_of, back, checked_form, render, require, text, with_campaign
from thidua_shared.platform.auth import Role

router = APIRouter()
READERS = (Role.OFFICE, Role.DECISION_SIGNER, Role.OBSERVER)
SIGNERS = (Role.OFFICE, Role.DECISION_SIGNER)
DOSSIER_STATUSES = {
    "drafted": "Đã lập tờ trình, chưa gửi",
    "sent": "Đã gửi, chờ cấp trên quyết định",
    "returned": "Cấp trên trả lại để bổ sung",
    "decided": "Cấp trên đã quyết định",
}
# Who decides what the agency's head may not (thẩm quyền); the head's own is never sent up.
AUTHORITIES = {
    "provincial_chairman": "Chủ tịch UBND tỉnh",
    "district_chairman": "Chủ tịch UBND huyện",
    "minister": "Bộ trưởng",
    "prime_minister": "Thủ tướng Chính phủ",
    "president": "Chủ tịch nước",
}
NUMBER_FORMAT = "Số chỉ gồm chữ, chữ số và các dấu . / -, ví dụ 16/TTr-STTTT."
# What a problem on an input means on this form, said beside it; otherwise the code's message.
FIELD_MESSAGES: dict[tuple[str, str, str], str] = {
    ("draft", "conflict", "number"): "Số tờ trình này đã được dùng.",
    ("draft", "conflict", "disclosure_id"): "Danh sách còn trong thời hạn lấy ý kiến; "
    "tờ trình chỉ lập sau thời hạn đó.",
    ("draft", "conflict", "authority"): "Danh sách này đã có hồ sơ trình cấp này.",
    ("draft", "unprocessable", "authority"): "Danh sách không có đề nghị nào thuộc thẩm quyền "
    "của cấp này, hoặc cơ quan tự quyết định ở cấp này.",
    ("sent", "unprocessable", "sent_on"): "Ngày gửi không được trước ngày tờ trình.",
    ("returns", "unprocessable", "returned_on"): "Ngày trả lại không được trước ngày gửi.",
    ("decision", "unprocessable", "decided_on"): "Ngày ký không được trước ngày gửi hồ sơ, và "
    "phải có mức lương cơ sở áp dụng vào ngày đó.",
    ("decision", "validation", "ly_do_"): "Ghi lý do cấp trên không khen thưởng đề nghị này.",
    ("import", "unprocessable", "decided_on"): "Ngày ký không được trước ngày gửi hồ sơ, và "
    "phải có mức lương cơ sở áp dụng vào ngày đó.",
    ("revocation", "not-found", "award"): "Quyết định không có danh hiệu này.",
    ("revocation", "conflict", "award"): "Danh hiệu này đã bị hủy bỏ.",
    ("revocation", "unprocessable", "decided_on"): "Ngày ký quyết định hủy bỏ không được trước "
    "ngày của quyết định khen thưởng.",
    ("exemplar", "conflict", "subject"): "Tập thể, cá nhân này đã là điển hình của phong trào.",
}


@dataclass(frozen=True)
class Failed:
    """A form the API refused: which one, its values as typed, and the input the problem is
    about (None: the form as a whole)."""

    form: str
    typed: dict[str, str]
    problem: Problem
    field: str | None
    message: str

    @property
    def status(self) -> int:
        return self.problem.page_status


def _failed(
    kind: str, form: str, typed: dict[str, str], error: ApiProblem, inputs: Mapping[str, str]
) -> Failed:
    """`inputs` names the form's input of each API field the form does not call alike."""
    problem = error.problem
    named = (problem.field or "").replace("[", ".").split(".")[0]
    field = inputs.get(named, named if named in typed else None)
    if problem.rows:
        field = inputs.get("body")
    # The reasons beside each proposal (ly_do_0, ly_do_1, …) share their message.
    said_of = (field or "").rstrip("0123456789")
    message = FIELD_MESSAGES.get((kind, problem.code, said_of), problem.message)
    if problem.code == "validation" and field == "number":
        message = NUMBER_FORMAT
    return Failed(form, typed, problem, field, message)


def _typed(form: FormData) -> dict[str, str]:
    return {name: text(form, name) for name in form if name != "csrf"}


def _or_none(value: str) -> str | None:
    return value or None


def _here(request: Request, path: str) -> str:
    return with_campaign(path, request.query_params.get("phong_trao"))


def _acts(request: Request) -> bool:
    return session_of(request).user_role in SIGNERS


async def _dossier_page(request: Request, failed: Failed | None = None) -> Response:
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    context: dict[str, Any] = {
        "campaigns": listed,
        "campaign": campaign,
        "failed": failed,
        "acts": _acts(request),
        "statuses": DOSSIER_STATUSES,
        "authorities": AUTHORITIES,
    }
    if campaign:
        query = {"campaign_id": campaign["id"]}
        context["disclosures"] = (await api.get("/awards/public/disclosures", query))["items"]
        summaries = (await api.get("/awards/dossiers", query))["items"]
        context["dossiers"] = [await api.get(f"/awards/dossiers/{d['id']}") for d in summaries]
    return render(request, "awards/dossier.html", context, failed.status if failed else 200)


@router.get("/ho-so")
async def dossiers(request: Request) -> Response:
    require(request, *READERS)
    return await _dossier_page(request)


DRAFTED = (
    "disclosure_id",
    "authority",
    "number",
    "drafted_on",
    "place",
    "issuing_agency",
    "parent_agency",
    "signer_authority",
    "signer_title",
    "signer_name",
)


@router.post("/ho-so")
async def draft(request: Request) -> Response:
    require(request, *SIGNERS)
    typed = _typed(await checked_form(request))
    body = {name: typed.get(name, "") for name in DRAFTED}
    try:
        await api_of(request).post("/awards/dossiers", body)
    except ApiProblem as error:
        return await _dossier_page(request, _failed("draft", "draft", typed, error, {}))
    return back(request, _here(request, "/ho-so"), f"Đã lập Tờ trình {body['number']}.")


async def _dossier_step(
    request: Request, dossier_id: UUID, kind: str, body: dict[str, Any], typed: dict[str, str]
) -> Response | None:
    """The step posted to the dossier's API path of the same name; the page again if refused."""
    try:
        await api_of(request).post(f"/awards/dossiers/{dossier_id}/{kind}", body)
    except ApiProblem as error:
        failed = _failed(kind, f"{kind}-{dossier_id}", typed, error, {})
        return await _dossier_page(request, failed)
    return None


@router.post("/ho-so/{dossier_id}/gui")
async def send(request: Request, dossier_id: UUID) -> Response:
    require(request, *SIGNERS)
    typed = _typed(await checked_form(request))
    body = {"sent_on": typed.get("sent_on", ""), "number": _or_none(typed.get("number", ""))}
    refused = await _dossier_step(request, dossier_id, "sent", body, typed)
    return refused or back(request, _here(request, "/ho-so"), "Đã ghi nhận gửi hồ sơ.")


@router.post("/ho-so/{dossier_id}/tra-lai")
async def returned(request: Request, dossier_id: UUID) -> Response:
    require(request, *SIGNERS)
    typed = _typed(await checked_form(request))
    body = {"returned_on": typed.get("returned_on", ""), "reason": typed.get("reason", "")}
    refused = await _dossier_step(request, dossier_id, "returns", body, typed)
    notice = "Đã ghi nhận cấp trên trả lại hồ sơ; bổ sung rồi gửi lại."
    return refused or back(request, _here(request, "/ho-so"), notice)


SIGNED = ("number", "decided_on", "signer_title", "signer_name")


def _reason_input(field: str | None, refused_items: list[tuple[int, str]]) -> dict[str, str]:
    """The input a problem on "refused[i]…" is about: the reason typed beside the i-th
    proposal ticked as refused."""
    parts = (field or "").replace("[", ".").replace("]", "").split(".")
    place = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    if parts[0] != "refused" or place >= len(refused_items):
        return {}
    return {"refused": f"ly_do_{refused_items[place][0]}"}


@router.post("/ho-so/{dossier_id}/quyet-dinh")
async def decided(request: Request, dossier_id: UUID) -> Response:
    """The higher decision: every proposal granted but those ticked as refused, with reasons."""
    require(request, *SIGNERS)
    typed = _typed(await checked_form(request))
    refused_items = sorted(
        (int(name.removeprefix("tu_choi_")), value)
        for name, value in typed.items()
        if name.startswith("tu_choi_") and name.removeprefix("tu_choi_").isdigit()
    )
    refused = [
        dict(zip(("subject_kind", "subject_code", "title"), value.split("|", 2), strict=False))
        | {"reason": typed.get(f"ly_do_{index}", "")}
        for index, value in refused_items
    ]
    body: dict[str, Any] = {name: typed.get(name, "") for name in SIGNED} | {"refused": refused}
    try:
        await api_of(request).post(f"/awards/dossiers/{dossier_id}/decision", body)
    except ApiProblem as error:
        inputs = _reason_input(error.problem.field, refused_items)
        failed = _failed("decision", f"decision-{dossier_id}", typed, error, inputs)
        return await _dossier_page(request, failed)
    notice = f"Đã ghi nhận Quyết định {body['number']} của cấp trên."
    return back(request, _here(request, "/ho-so"), notice)


@router.post("/ho-so/{dossier_id}/quyet-dinh/tep")
async def decided_from_file(request: Request, dossier_id: UUID) -> Response:
    """The higher decision from the dossier's own workbook, its result and reason filled in."""
    require(request, *SIGNERS)
    form = await checked_form(request)
    typed = _typed(form)
    upload = form.get("tep")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    media = upload.content_type if isinstance(upload, UploadFile) else None
    query = urlencode({name: typed.get(name, "") for name in SIGNED})
    try:
        await api_of(request).post_file(
            f"/awards/dossiers/{dossier_id}/decision/import?{query}",
            content,
            media or "application/octet-stream",
        )
    except ApiProblem as error:
        inputs = {"body": "tep"}
        failed = _failed("import", f"import-{dossier_id}", typed, error, inputs)
        return await _dossier_page(request, failed)
    notice = f"Đã ghi nhận Quyết định {typed.get('number', '')} của cấp trên từ tệp."
    return back(request, _here(request, "/ho-so"), notice)


async def _revocation_page(
    request: Request, decision_id: UUID, failed: Failed | None = None
) -> Response:
    decision = await api_of(request).get(f"/awards/public/decisions/{decision_id}")
    revoked = [a for a in decision["awards"] if a["revoked_at"]]
    context = {
        "decision": decision,
        "in_force": [a for a in decision["awards"] if not a["revoked_at"]],
        "revoked": sorted(revoked, key=lambda a: str(a["revoked_at"]), reverse=True),
        "acts": _acts(request),
        "failed": failed,
    }
    status = failed.status if failed else 200
    return render(request, "awards/revocation.html", context, status)


@router.get("/quyet-dinh/{decision_id}/huy-bo")
async def revocations(request: Request, decision_id: UUID) -> Response:
    # What was revoked is public; any role reading the decisions reads it here too.
    require(request, *READERS, Role.COUNCIL_MEMBER)
    return await _revocation_page(request, decision_id)


@router.post("/quyet-dinh/{decision_id}/huy-bo")
async def revoke(request: Request, decision_id: UUID) -> Response:
    require(request, *SIGNERS)
    typed = _typed(await checked_form(request))
    award = typed.get("award", "").split("|", 2)
    body = dict(zip(("subject_kind", "subject_code", "title"), award, strict=False)) | {
        "reason": typed.get("reason", ""),
        "number": _or_none(typed.get("number", "")),
        "decided_on": _or_none(typed.get("decided_on", "")),
        "signer_title": _or_none(typed.get("signer_title", "")),
        "signer_name": _or_none(typed.get("signer_name", "")),
    }
    try:
        await api_of(request).post(f"/awards/decisions/{decision_id}/revocations", body)
    except ApiProblem as error:
        inputs = dict.fromkeys(("subject_kind", "subject_code", "title"), "award")
        failed = _failed("revocation", "revocation", typed, error, inputs)
        return await _revocation_page(request, decision_id, failed)
    notice = "Đã hủy bỏ danh hiệu; tải quyết định hủy bỏ ở mục “Danh hiệu đã hủy bỏ”."
    return back(request, f"/quyet-dinh/{decision_id}/huy-bo#da-huy-bo", notice)


async def _candidates(request: Request, campaign_id: str) -> list[dict[str, Any]]:
    """Who may be an exemplar: each collective and person awarded in the movement, by the
    agency's decisions (awards in force) or the higher level's."""
    api, query = api_of(request), {"campaign_id": campaign_id}
    awarded: list[dict[str, Any]] = []
    for listed in (await api.get("/awards/public/decisions", query))["items"]:
        decision = await api.get(f"/awards/public/decisions/{listed['id']}")
        awarded += [a for a in decision["awards"] if not a["revoked_at"]]
    for summary in (await api.get("/awards/dossiers", query))["items"]:
        awarded += (await api.get(f"/awards/dossiers/{summary['id']}"))["granted"]
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for award in awarded:
        kind, code, name = award["subject_kind"], award["subject_code"], award["subject_name"]
        subject = found.setdefault(
            (kind, code),
            {"kind": kind, "code": code, "name": name, "value": f"{kind}|{code}|{name}"},
        )
        subject.setdefault("titles", []).append(award["title"])
    return sorted(found.values(), key=lambda s: (s["kind"] != "unit", s["name"], s["code"]))


async def _exemplar_page(request: Request, failed: Failed | None = None) -> Response:
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    context: dict[str, Any] = {
        "campaigns": listed,
        "campaign": campaign,
        "failed": failed,
        "publishes": session_of(request).user_role is Role.OFFICE,
    }
    if campaign:
        query = {"campaign_id": campaign["id"]}
        context["exemplars"] = (await api.get("/awards/public/exemplars", query))["items"]
        context["candidates"] = await _candidates(request, campaign["id"])
    return render(request, "awards/exemplar.html", context, failed.status if failed else 200)


@router.get("/dien-hinh")
async def exemplars(request: Request) -> Response:
    require(request, *READERS)
    return await _exemplar_page(request)


@router.post("/dien-hinh")
async def publish(request: Request) -> Response:
    require(request, Role.OFFICE)
    typed = _typed(await checked_form(request))
    subject = typed.get("subject", "").split("|", 2)
    body = dict(zip(("subject_kind", "subject_code", "subject_name"), subject, strict=False)) | {
        "campaign_id": wanted_campaign(request),
        "story": typed.get("story", ""),
    }
    try:
        await api_of(request).post("/awards/exemplars", body)
    except ApiProblem as error:
        inputs = dict.fromkeys(("subject_kind", "subject_code", "subject_name"), "subject")
        return await _exemplar_page(request, _failed("exemplar", "exemplar", typed, error, inputs))
    notice = f"Đã đăng điển hình tiên tiến {body.get('subject_name', '')} lên trang công khai."
    return back(request, _here(request, "/dien-hinh"), notice)
