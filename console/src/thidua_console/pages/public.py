"""The public page, without a login: the lists disclosed for comment with the comment form,
the decisions and the exemplars. Logged in, `/` is the role's home."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from thidua_console.api import ApiProblem
from thidua_console.navigation import HOMES
from thidua_console.pages.common import public_campaign_id
from thidua_console.session import session_of
from thidua_console.web import api_of, back, checked_form, refused, render, text

router = APIRouter()
COMMENT_KINDS = {"comment": "Góp ý", "complaint": "Khiếu nại"}


@router.get("/")
async def home(request: Request) -> Response:
    role = session_of(request).user_role
    if role is not None:
        return RedirectResponse(HOMES[role], status_code=303)
    return await public_page(request)


@router.get("/cong-khai")
async def public_page(request: Request) -> Response:
    api = api_of(request)
    campaign_id = await public_campaign_id(api, request)
    context: dict[str, Any] = {
        "campaign_id": campaign_id,
        "disclosures": [],
        "decisions": [],
        "exemplars": [],
        "comment_kinds": COMMENT_KINDS,
    }
    if campaign_id:
        query = {"campaign_id": campaign_id}
        context["disclosures"] = (await api.get("/awards/public/disclosures", query))["items"]
        context["decisions"] = (await api.get("/awards/public/decisions", query))["items"]
        context["exemplars"] = (await api.get("/awards/public/exemplars", query))["items"]
    return render(request, "public.html", context)


@router.post("/cong-khai/{disclosure_id}/gop-y")
async def send_comment(request: Request, disclosure_id: UUID) -> Response:
    form = await checked_form(request)
    campaign = text(form, "phong_trao")
    page = f"/cong-khai?phong_trao={campaign}" if campaign else "/cong-khai"
    body = {
        "kind": text(form, "kind") or "comment",
        "author": text(form, "author"),
        "content": text(form, "content"),
        "subject_code": text(form, "subject_code") or None,
    }
    try:
        await api_of(request).post(f"/awards/public/disclosures/{disclosure_id}/comments", body)
    except ApiProblem as error:
        return refused(request, page + "#gop-y", error)
    return back(request, page, "Đã gửi ý kiến. Cảm ơn bạn đã góp ý.")
