"""The office's review queues: registrations and phase reports, each approved or returned
with its reasons (a report's per item: each result against its commitment)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from thidua_console.api import ApiProblem
from thidua_console.pages.common import campaigns_and_chosen
from thidua_console.pages.office import VIEWERS
from thidua_console.web import api_of, back, checked_form, refused, render, require, text
from thidua_shared.contracts.vocabulary import TASK_RATINGS
from thidua_shared.platform.auth import Role

router = APIRouter()
QUEUE_STATUSES = ("submitted", "returned", "draft", "approved")


def _queued_first(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {status: index for index, status in enumerate(QUEUE_STATUSES)}
    return sorted(items, key=lambda i: (order.get(i["status"], 9), i.get("unit_code", "")))


@router.get("/dang-ky")
async def registrations(request: Request) -> Response:
    require(request, *VIEWERS)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    items: list[dict[str, Any]] = []
    if campaign:
        items = await api.items(
            "/pledges/registrations", {"campaign_id": campaign["id"], "limit": 1000}
        )
    return render(
        request,
        "office/registrations.html",
        {"campaigns": listed, "campaign": campaign, "registrations": _queued_first(items)},
    )


@router.get("/dang-ky/{registration_id}")
async def registration(request: Request, registration_id: UUID) -> Response:
    require(request, *VIEWERS)
    found = await api_of(request).get(f"/pledges/registrations/{registration_id}")
    return render(request, "office/registration.html", {"registration": found})


@router.post("/dang-ky/{registration_id}/duyet")
async def approve_registration(request: Request, registration_id: UUID) -> Response:
    require(request, Role.OFFICE)
    await checked_form(request)
    page = f"/dang-ky/{registration_id}"
    try:
        await api_of(request).post(f"/pledges/registrations/{registration_id}/approve")
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã phê duyệt đăng ký thi đua.")


def _return_body(form: FormData) -> dict[str, Any]:
    """A return's general reason and those typed for single items: the inputs named
    item:commitment:<n> or item:member:<staff code>, the item as the API names it."""
    item_reasons = [
        {"item": key.removeprefix("item:"), "reason": text(form, key)}
        for key in form
        if key.startswith("item:") and text(form, key)
    ]
    return {"reason": text(form, "reason"), "item_reasons": item_reasons}


@router.post("/dang-ky/{registration_id}/tra-lai")
async def return_registration(request: Request, registration_id: UUID) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    page = f"/dang-ky/{registration_id}"
    try:
        await api_of(request).post(
            f"/pledges/registrations/{registration_id}/return", _return_body(form)
        )
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã trả lại đăng ký thi đua cho đơn vị, kèm lý do.")


@router.get("/bao-cao")
async def reports(request: Request) -> Response:
    require(request, *VIEWERS)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    items: list[dict[str, Any]] = []
    phases: list[dict[str, Any]] = []
    if campaign:
        items = await api.items("/reports/reports", {"campaign_id": campaign["id"], "limit": 1000})
        phases = [p for p in campaign["phases"] if p["status"] == "closed"]
    return render(
        request,
        "office/reports.html",
        {
            "campaigns": listed,
            "campaign": campaign,
            "reports": _queued_first(items),
            "closed_phases": phases,
        },
    )


@router.get("/bao-cao/{report_id}")
async def report(request: Request, report_id: UUID) -> Response:
    require(request, *VIEWERS)
    found = await api_of(request).get(f"/reports/reports/{report_id}")
    return render(request, "office/report.html", {"report": found, "ratings": TASK_RATINGS})


@router.post("/bao-cao/{report_id}/duyet")
async def approve_report(request: Request, report_id: UUID) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    page = f"/bao-cao/{report_id}"
    rating = text(form, "office_rating")
    try:
        await api_of(request).post(
            f"/reports/reports/{report_id}/approve",
            {"office_rating": rating} if rating else None,
        )
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã phê duyệt báo cáo.")


@router.post("/bao-cao/{report_id}/tra-lai")
async def return_report(request: Request, report_id: UUID) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    page = f"/bao-cao/{report_id}"
    try:
        await api_of(request).post(f"/reports/reports/{report_id}/return", _return_body(form))
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã trả lại báo cáo cho đơn vị, kèm lý do từng nội dung.")
