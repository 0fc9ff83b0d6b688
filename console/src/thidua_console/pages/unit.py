"""A unit head's screens: the registration (commitments against the plan's tasks, members from
the XLSX template, what was returned and why, resubmission), the cluster covenant's signature,
and the sơ kết / tổng kết reports with the members' evaluations, by form or by upload."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from thidua_console.api import Api, ApiProblem
from thidua_console.pages.common import as_number, campaigns_and_chosen, count
from thidua_console.pages.office import upload_type
from thidua_console.problems import Problem
from thidua_console.session import Session
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
from thidua_shared.contracts.vocabulary import TASK_RATINGS, TITLES, UNIT_TITLES
from thidua_shared.platform.auth import Role

router = APIRouter()
REGISTRATION_PAGE = "/don-vi/dang-ky"
REPORTS_PAGE = "/don-vi/bao-cao"
# The form's choice for a registered member who left the unit: listed, not rated.
LEFT_UNIT = "left"
RESULT_FIELDS = ("commitment_number", "achieved_value", "narrative", "evidence")
EVALUATION_FIELDS = (
    "staff_code",
    "task_rating",
    "discipline",
    "discipline_from",
    "discipline_to",
    "under_investigation",
    "initiatives",
    "research",
    "counted_leave_days",
    "notes",
    "joined_during_year",
    "joined_on",
)
LEFT_FIELDS = ("staff_code", "left_on", "notes")
CONTENT_FIELDS = ("collective_title", "members", "commitments", "attachments")


def _content(registration: dict[str, Any]) -> dict[str, Any]:
    """A registration's content as read, to send again: blank values left out, since the read
    fills in what the plan says where the unit said nothing."""

    def filled(item: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in item.items() if v not in (None, "")}

    content = {k: registration[k] for k in CONTENT_FIELDS}
    for listed in ("members", "commitments", "attachments"):
        content[listed] = [filled(item) for item in content[listed]]
    return content


def _missing_file() -> ApiProblem:
    return ApiProblem(Problem.from_body(422, {"code": "validation", "field": "file"}))


async def _file(form: FormData) -> tuple[bytes, str]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise _missing_file()
    return await upload.read(), upload_type(upload)


def _number(form: FormData, name: str) -> float | None:
    try:
        return as_number(text(form, name))
    except ValueError:
        raise ApiProblem(Problem.from_body(422, {"code": "validation", "field": name})) from None


async def _own_registration(api: Api, session: Session, campaign_id: str) -> dict[str, Any] | None:
    found = await api.items(
        "/pledges/registrations",
        {"campaign_id": campaign_id, "unit_code": session.unit, "limit": 10},
    )
    if not found:
        return None
    full: dict[str, Any] = await api.get(f"/pledges/registrations/{found[0]['id']}")
    return full


@router.get(REGISTRATION_PAGE)
async def registration(request: Request) -> Response:
    session = require(request, Role.UNIT_HEAD)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    context: dict[str, Any] = {
        "campaigns": listed,
        "campaign": campaign,
        "unit_titles": {t: TITLES[t] for t in UNIT_TITLES if t in TITLES},
    }
    if campaign:
        context["registration"] = await _own_registration(api, session, campaign["id"])
    return render(request, "unit/registration.html", context)


@router.post(REGISTRATION_PAGE)
async def register(request: Request) -> Response:
    session = require(request, Role.UNIT_HEAD)
    form = await checked_form(request)
    campaign_id = text(form, "phong_trao")
    page = with_campaign(REGISTRATION_PAGE, campaign_id)
    try:
        commitments = []
        for task in range(1, count(text(form, "tasks"), "tasks") + 1):
            own = {
                "content": text(form, f"t{task}_content") or None,
                "indicator": text(form, f"t{task}_indicator") or None,
                "unit_of_measure": text(form, f"t{task}_unit") or None,
                "target_value": _number(form, f"t{task}_target"),
            }
            if text(form, f"t{task}_take") or any(v is not None for v in own.values()):
                commitments.append({"task_number": task, **{k: v for k, v in own.items() if v}})
        body = {
            "campaign_id": campaign_id,
            "unit_code": session.unit,
            "collective_title": text(form, "collective_title") or None,
            "commitments": commitments,
            "members": [],
            "draft": True,
        }
        await api_of(request).post("/pledges/registrations", body)
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã lưu bản nháp đăng ký. Hãy tải lên danh sách cá nhân rồi nộp.")


@router.post("/don-vi/dang-ky/{registration_id}/ca-nhan")
async def upload_members(request: Request, registration_id: UUID) -> Response:
    require(request, Role.UNIT_HEAD)
    form = await checked_form(request)
    page = with_campaign(REGISTRATION_PAGE, text(form, "phong_trao"))
    try:
        content, media_type = await _file(form)
        answer = await api_of(request).put_file(
            f"/pledges/registrations/{registration_id}/members", content, media_type
        )
    except ApiProblem as error:
        return refused(request, page, error)
    members = len(answer.get("members", [])) if isinstance(answer, dict) else 0
    return back(request, page, f"Đã nhập danh sách {members} cá nhân đăng ký.")


@router.post("/don-vi/dang-ky/{registration_id}/nop")
async def submit(request: Request, registration_id: UUID) -> Response:
    require(request, Role.UNIT_HEAD)
    form = await checked_form(request)
    page = with_campaign(REGISTRATION_PAGE, text(form, "phong_trao"))
    api = api_of(request)
    path = f"/pledges/registrations/{registration_id}"
    try:
        current = await api.get(path)
        if current["status"] == "returned":
            # Resubmitted as it stands now: the members uploaded since the return included.
            await api.post(f"{path}/resubmit", _content(current))
        else:
            await api.post(f"{path}/submit")
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã nộp đăng ký thi đua; chờ Thường trực Hội đồng xét duyệt.")


@router.get("/don-vi/giao-uoc")
async def covenant(request: Request, giao_uoc: UUID | None = None) -> Response:
    require(request, Role.UNIT_HEAD)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    found = None
    if giao_uoc:
        found = await api.get(f"/pledges/covenants/{giao_uoc}")
    elif campaign:
        # The API lists a unit head only its own cluster's covenant.
        own = await api.items("/pledges/covenants", {"campaign_id": campaign["id"]})
        found = own[0] if own else None
    context = {"covenant": found, "campaigns": listed, "campaign": campaign}
    return render(request, "unit/covenant.html", context)


@router.post("/don-vi/giao-uoc/{covenant_id}/ky")
async def sign(request: Request, covenant_id: UUID) -> Response:
    session = require(request, Role.UNIT_HEAD)
    form = await checked_form(request)
    page = f"/don-vi/giao-uoc?giao_uoc={covenant_id}"
    body = {
        "unit_code": session.unit,
        "signer_name": text(form, "signer_name"),
        "signer_title": text(form, "signer_title"),
    }
    try:
        await api_of(request).post(f"/pledges/covenants/{covenant_id}/signatures", body)
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đơn vị đã ký giao ước thi đua.")


@router.get(REPORTS_PAGE)
async def reports(request: Request) -> Response:
    session = require(request, Role.UNIT_HEAD)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    context: dict[str, Any] = {
        "campaigns": listed,
        "campaign": campaign,
        "ratings": TASK_RATINGS,
        "left_unit": LEFT_UNIT,
    }
    if campaign:
        own = await api.items(
            "/reports/reports", {"campaign_id": campaign["id"], "unit_code": session.unit}
        )
        context["reports"] = own
        reported = {r["phase_number"] for r in own}
        context["due_phases"] = [
            p for p in campaign["phases"] if p["status"] == "closed" and p["number"] not in reported
        ]
        context["registration"] = await _own_registration(api, session, campaign["id"])
    return render(request, "unit/reports.html", context)


@router.post(REPORTS_PAGE)
async def report(request: Request) -> Response:
    session = require(request, Role.UNIT_HEAD)
    form = await checked_form(request)
    campaign_id = text(form, "phong_trao")
    page = with_campaign(REPORTS_PAGE, campaign_id)
    try:
        results = [
            {
                "commitment_number": number,
                "achieved_value": _number(form, f"r{number}_value"),
                "narrative": text(form, f"r{number}_narrative"),
            }
            for number in range(1, count(text(form, "commitments"), "commitments") + 1)
        ]
        final = text(form, "final") == "1"
        body = {
            "campaign_id": campaign_id,
            "phase_number": count(text(form, "phase_number"), "phase_number"),
            "unit_code": session.unit,
            "summary": text(form, "summary"),
            "self_assessment": text(form, "self_assessment") or None,
            "results": results,
            # A final report waits for its members' evaluations, uploaded before it is sent.
            "draft": final,
        }
        await api_of(request).post("/reports/reports", body)
    except ApiProblem as error:
        return refused(request, page, error)
    notice = "Đã lưu báo cáo; hãy tải lên đánh giá cá nhân rồi nộp." if final else "Đã nộp báo cáo."
    return back(request, page, notice)


@router.post("/don-vi/bao-cao/{report_id}/danh-gia")
async def upload_evaluations(request: Request, report_id: UUID) -> Response:
    require(request, Role.UNIT_HEAD)
    form = await checked_form(request)
    page = with_campaign(REPORTS_PAGE, text(form, "phong_trao"))
    try:
        content, media_type = await _file(form)
        await api_of(request).put_file(
            f"/reports/reports/{report_id}/member-evaluations", content, media_type
        )
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã nhập đánh giá, xếp loại cá nhân.")


def _rated(report: dict[str, Any], ratings: dict[str, str]) -> dict[str, Any]:
    """The report's content as read, with the form's rating of each member: what else an
    evaluation holds (discipline, initiatives, …) stays as uploaded, and the evaluations of
    members who joined during the year, not on the form, stay as they are."""
    evaluations = {e["staff_code"]: e for e in report["member_evaluations"]}
    left = {m["staff_code"]: m for m in report["members_left"]}
    for code, rating in ratings.items():
        if rating == LEFT_UNIT:
            evaluations.pop(code, None)
            left.setdefault(code, {"staff_code": code})
        else:
            left.pop(code, None)
            evaluation = evaluations.get(code, {"staff_code": code})
            evaluations[code] = {**evaluation, "task_rating": rating}

    def given(item: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
        return {k: item[k] for k in fields if k in item}

    return {
        "summary": report["summary"],
        "self_assessment": report["self_assessment"],
        "results": [given(r, RESULT_FIELDS) for r in report["results"]],
        "member_evaluations": [
            given(e, EVALUATION_FIELDS)
            | ({"full_name": e["full_name"]} if e.get("joined_during_year") else {})
            for e in evaluations.values()
        ],
        "members_left": [given(m, LEFT_FIELDS) for m in left.values()],
    }


@router.post("/don-vi/bao-cao/{report_id}/xep-loai")
async def rate_members(request: Request, report_id: UUID) -> Response:
    require(request, Role.UNIT_HEAD)
    form = await checked_form(request)
    page = with_campaign(REPORTS_PAGE, text(form, "phong_trao"))
    api = api_of(request)
    path = f"/reports/reports/{report_id}"
    try:
        ratings = {
            text(form, f"m{i}_code"): text(form, f"m{i}_rating")
            for i in range(1, count(text(form, "members"), "members") + 1)
            if text(form, f"m{i}_rating") in (*TASK_RATINGS, LEFT_UNIT)
        }
        current = await api.get(path)
        # The version the page showed: evaluations uploaded since are not overwritten unseen.
        version = f'"{count(text(form, "version"), "version")}"'
        await api.put_json(path, _rated(current, ratings), if_match=version)
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, f"Đã lưu đánh giá, xếp loại {len(ratings)} cá nhân.")


@router.post("/don-vi/bao-cao/{report_id}/nop")
async def submit_report(request: Request, report_id: UUID) -> Response:
    require(request, Role.UNIT_HEAD)
    form = await checked_form(request)
    page = with_campaign(REPORTS_PAGE, text(form, "phong_trao"))
    api = api_of(request)
    try:
        current = await api.get(f"/reports/reports/{report_id}")
        action = "resubmit" if current["status"] == "returned" else "submit"
        await api.post(f"/reports/reports/{report_id}/{action}")
    except ApiProblem as error:
        return refused(request, page, error)
    return back(request, page, "Đã nộp báo cáo; chờ Thường trực Hội đồng xét duyệt.")
