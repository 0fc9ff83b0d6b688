"""The second half of the year: the compile with each nomination's and refusal's explanation,
the cluster votes, the council's agenda, session and votes, the disclosure and its comments,
the decision and the dossier to the higher level, and every document of the year."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from thidua_console.api import ApiProblem
from thidua_console.pages.common import campaigns_and_chosen, count, today_iso
from thidua_console.pages.office import VIEWERS
from thidua_console.session import session_of
from thidua_console.web import (
    api_of,
    back,
    checked_form,
    refused,
    render,
    require,
    text,
    with_campaign,
)
from thidua_shared.platform.auth import Role

router = APIRouter()
READERS = (*VIEWERS, Role.COUNCIL_MEMBER, Role.DECISION_SIGNER)
# Who the awards API lets read the dossiers to the higher level.
DOSSIER_READERS = (Role.OFFICE, Role.DECISION_SIGNER, Role.OBSERVER)


async def _campaign_page(request: Request) -> tuple[dict[str, Any], dict[str, Any] | None]:
    listed, campaign = await campaigns_and_chosen(api_of(request), request)
    return {"campaigns": listed, "campaign": campaign}, campaign


@router.get("/de-nghi")
async def nominations(request: Request) -> Response:
    require(request, *READERS)
    context, campaign = await _campaign_page(request)
    if campaign:
        context["compiled"] = await api_of(request).get_or_none(
            f"/awards/campaigns/{campaign['id']}/nominations"
        )
    return render(request, "awards/nominations.html", context)


async def _latest_session(request: Request, campaign_id: str) -> dict[str, Any] | None:
    sessions = await api_of(request).items("/awards/council/sessions", {"campaign_id": campaign_id})
    return sessions[-1] if sessions else None


@router.get("/hoi-dong")
async def council(request: Request) -> Response:
    require(request, *READERS)
    context, campaign = await _campaign_page(request)
    if campaign:
        api, query = api_of(request), {"campaign_id": campaign["id"]}
        context["votes"] = await api.items("/awards/cluster-votes", query)
        context["agenda"] = await api.get_or_none("/awards/council/agenda", query)
        context["session_"] = await _latest_session(request, campaign["id"])
    return render(request, "awards/council.html", context)


@router.post("/hoi-dong/phien-hop")
async def open_session(request: Request) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    campaign_id = text(form, "phong_trao")
    page = with_campaign("/hoi-dong", campaign_id)
    members = []
    for line in text(form, "members").splitlines():
        name, _, member_role = line.partition(";")
        if name.strip():
            present = not member_role.strip().endswith("(vắng)")
            member_role = member_role.replace("(vắng)", "").strip() or "Ủy viên"
            members.append({"name": name.strip(), "role": member_role, "present": present})
    body = {
        "campaign_id": campaign_id,
        "held_on": text(form, "held_on") or today_iso(),
        "place": text(form, "place"),
        "members": members,
    }
    try:
        await api_of(request).post("/awards/council/sessions", body)
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã mở phiên họp Hội đồng.")


@router.post("/hoi-dong/phien-hop/{session_id}/bieu-quyet")
async def vote(request: Request, session_id: UUID) -> Response:
    require(request, Role.OFFICE, Role.COUNCIL_MEMBER)
    form = await checked_form(request)
    page = with_campaign("/hoi-dong", text(form, "phong_trao"))
    try:
        votes = [
            {
                "subject_kind": text(form, f"c{index}_kind"),
                "subject_code": text(form, f"c{index}_code"),
                "title": text(form, f"c{index}_title"),
                "votes_for": count(text(form, f"c{index}_for"), f"c{index}_for"),
                "votes_against": count(text(form, f"c{index}_against"), f"c{index}_against"),
                "reason": text(form, f"c{index}_reason"),
            }
            for index in range(count(text(form, "count"), "count"))
        ]
        await api_of(request).post(f"/awards/council/sessions/{session_id}/votes", {"votes": votes})
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã ghi kết quả biểu quyết của Hội đồng.")


@router.get("/cong-khai-lay-y-kien")
async def disclosure(request: Request) -> Response:
    require(request, *VIEWERS)
    context, campaign = await _campaign_page(request)
    if campaign:
        api = api_of(request)
        public = await api.get("/awards/public/disclosures", {"campaign_id": campaign["id"]})
        context["disclosures"] = [
            await api.get(f"/awards/disclosures/{d['id']}") for d in public["items"]
        ]
        context["session_"] = await _latest_session(request, campaign["id"])
    return render(request, "awards/disclosure.html", context)


@router.post("/cong-khai-lay-y-kien")
async def disclose(request: Request) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    page = with_campaign("/cong-khai-lay-y-kien", text(form, "phong_trao"))
    try:
        await api_of(request).post("/awards/disclosures", {"session_id": text(form, "session")})
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã công khai danh sách để lấy ý kiến.")


@router.post("/cong-khai-lay-y-kien/{disclosure_id}/tra-loi/{comment_id}")
async def answer(request: Request, disclosure_id: UUID, comment_id: UUID) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    page = with_campaign("/cong-khai-lay-y-kien", text(form, "phong_trao"))
    try:
        await api_of(request).post(
            f"/awards/disclosures/{disclosure_id}/comments/{comment_id}/answer",
            {"answer": text(form, "answer")},
        )
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã trả lời ý kiến.")


@router.get("/quyet-dinh")
async def decisions(request: Request) -> Response:
    require(request, *READERS)
    context, campaign = await _campaign_page(request)
    if campaign:
        api, query = api_of(request), {"campaign_id": campaign["id"]}
        listed = (await api.get("/awards/public/decisions", query))["items"]
        context["decisions"] = [
            await api.get(f"/awards/public/decisions/{d['id']}") for d in listed
        ]
        context["disclosures"] = (await api.get("/awards/public/disclosures", query))["items"]
        if session_of(request).user_role in DOSSIER_READERS:
            context["dossiers"] = (await api.get("/awards/dossiers", query))["items"]
    return render(request, "awards/decisions.html", context)


@router.post("/quyet-dinh")
async def issue_decision(request: Request) -> Response:
    require(request, Role.OFFICE, Role.DECISION_SIGNER)
    form = await checked_form(request)
    page = with_campaign("/quyet-dinh", text(form, "phong_trao"))
    body = {
        name: text(form, name)
        for name in (
            "disclosure_id",
            "number",
            "decided_on",
            "place",
            "issuing_agency",
            "signer_title",
            "signer_name",
        )
    }
    try:
        await api_of(request).post("/awards/decisions", body)
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, f"Đã ban hành Quyết định {body['number']}.")


@router.get("/van-ban")
async def documents(request: Request) -> Response:
    require(request, *VIEWERS)
    context, campaign = await _campaign_page(request)
    if campaign:
        api, query = api_of(request), {"campaign_id": campaign["id"]}
        context["votes"] = await api.items("/awards/cluster-votes", query)
        context["sessions"] = await api.items("/awards/council/sessions", query)
        listed = (await api.get("/awards/public/decisions", query))["items"]
        context["decisions"] = [
            await api.get(f"/awards/public/decisions/{d['id']}") for d in listed
        ]
        progress = await api.get(f"/pledges/campaigns/{campaign['id']}/progress")
        context["covenants"] = [c for c in progress["clusters"] if c["covenant_id"]]
        if session_of(request).user_role in DOSSIER_READERS:
            context["dossiers"] = (await api.get("/awards/dossiers", query))["items"]
    return render(request, "awards/documents.html", context)
