"""The office's first half of the year: the movements, the plan and its launch, the directory
and clusters with their XLSX import, and the progress of registrations, covenants and reports.
An observer sees the same screens without their buttons."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from thidua_console.api import ApiProblem
from thidua_console.pages.common import campaigns_and_chosen
from thidua_console.session import session_of
from thidua_console.web import (
    api_of,
    back,
    checked_form,
    refused,
    render,
    require,
    with_campaign,
)
from thidua_shared.platform.auth import Role

router = APIRouter()
VIEWERS = (Role.OFFICE, Role.OBSERVER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_type(upload: UploadFile) -> str:
    """The file's media type as the API reads it: XLSX or CSV by the name's ending."""
    name = (upload.filename or "").lower()
    return "text/csv; charset=utf-8" if name.endswith(".csv") else XLSX


@router.get("/phong-trao")
async def campaigns(request: Request) -> Response:
    require(request, *VIEWERS)
    listed, _ = await campaigns_and_chosen(api_of(request), request)
    return render(request, "office/campaigns.html", {"campaigns": listed})


@router.get("/phong-trao/ke-hoach")
async def plan(request: Request) -> Response:
    require(request, *VIEWERS)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    return render(request, "office/plan.html", {"campaigns": listed, "campaign": campaign})


@router.post("/phong-trao/{campaign_id}/phat-dong")
async def launch(request: Request, campaign_id: UUID) -> Response:
    require(request, Role.OFFICE)
    await checked_form(request)
    page = with_campaign("/phong-trao/ke-hoach", str(campaign_id))
    try:
        await api_of(request).post(f"/campaigns/campaigns/{campaign_id}/launch")
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã phát động phong trào; kế hoạch đã được gửi các đơn vị.")


@router.get("/danh-muc")
async def directory(request: Request) -> Response:
    require(request, *VIEWERS)
    api = api_of(request)
    units = await api.items("/campaigns/units", {"limit": 1000})
    clusters = await api.items("/campaigns/clusters", {"limit": 1000})
    return render(request, "office/directory.html", {"units": units, "clusters": clusters})


@router.post("/danh-muc/nhap")
async def import_directory(request: Request) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        session_problem = {"status": 422, "code": "validation", "field": "file"}
        session_of(request).report(session_problem)
        return back(request, "/danh-muc")
    content = await upload.read()
    try:
        answer = await api_of(request).post_file(
            "/campaigns/units/import", content, upload_type(upload)
        )
    except ApiProblem as error:
        return refused(request, "/danh-muc", error)
    count = answer.get("imported", answer.get("units", "")) if isinstance(answer, dict) else ""
    return back(request, "/danh-muc", f"Đã nhập danh mục đơn vị {count}".strip() + ".")


@router.get("/tien-do")
async def progress(request: Request) -> Response:
    require(request, *VIEWERS)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    context: dict[str, Any] = {"campaigns": listed, "campaign": campaign}
    if campaign:
        context["pledges"] = await api.get(f"/pledges/campaigns/{campaign['id']}/progress")
        context["reports"] = await api.get(f"/reports/campaigns/{campaign['id']}/progress")
    return render(request, "office/progress.html", context)
