"""The office's cluster work: each cluster's covenant drawn up, and its vote entered."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from thidua_console.api import ApiProblem
from thidua_console.pages.common import as_number, campaigns_and_chosen, count
from thidua_console.pages.office import VIEWERS
from thidua_console.problems import Problem
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
COVENANTS_PAGE = "/giao-uoc"
COUNCIL_PAGE = "/hoi-dong"
VOTE_PAGE = "/hoi-dong/binh-xet-cum"
CRITERIA_SHOWN = 4
MOST_CRITERIA = 10
MEETING_FIELDS = ("held_on", "place", "chair_name", "secretary_name")
BALLOT_FIELDS = ("ballots_cast", "ballots_invalid", "seats")
TIE_BREAKS = {
    "score": "Đơn vị có tổng điểm chấm cao hơn được chọn",
    "revote": "Bỏ phiếu lại cho vị trí còn lại",
}
# What the office is told beside a field the API refused: the rule the vote breaks, in words.
FIELD_MESSAGES = {
    "votes": "Số phiếu bầu vượt quá số phiếu hợp lệ: mỗi đơn vị nhận nhiều nhất bằng số phiếu "
    "hợp lệ (phiếu thu về trừ phiếu không hợp lệ), và tổng số phiếu bầu không quá số phiếu "
    "hợp lệ nhân số đơn vị được suy tôn.",
    "ballots_invalid": "Số phiếu không hợp lệ không được lớn hơn số phiếu thu về.",
    "scores": "Điểm chấm của mỗi đơn vị phải từ 0 đến điểm tối đa của từng tiêu chí.",
    "held_on": "Hãy nhập ngày họp cụm.",
    "number": "Hãy nhập một số không âm (ví dụ 9 hoặc 9,5).",
    "max": "Điểm tối đa phải lớn hơn 0 và không quá 1.000.",
    "name": "Hãy nhập tên tiêu chí.",
}
REQUIRED = "Không được để trống."
API_PATH = re.compile(r"(criteria|scores|votes)\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\])?")


def _clusters(campaign: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The movement's clusters with their member units, as the launch named them."""
    clusters: dict[str, list[dict[str, Any]]] = {}
    for unit in campaign.get("units", []):
        if unit.get("cluster"):
            clusters.setdefault(unit["cluster"], []).append(unit)
    return clusters


@router.get(COVENANTS_PAGE)
async def covenants(request: Request) -> Response:
    require(request, *VIEWERS)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    context: dict[str, Any] = {"campaigns": listed, "campaign": campaign}
    if campaign:
        progress = await api.get(f"/pledges/campaigns/{campaign['id']}/progress")
        context["clusters"] = progress["clusters"]
    return render(request, "office/covenants.html", context)


@router.post(COVENANTS_PAGE)
async def draw_up_covenant(request: Request) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    page = with_campaign(COVENANTS_PAGE, text(form, "phong_trao"))
    cluster = text(form, "cluster")
    body = {
        "campaign_id": text(form, "phong_trao"),
        "cluster": cluster,
        "items": [line.strip() for line in text(form, "items").splitlines() if line.strip()],
        "document_number": text(form, "document_number"),
        "place": text(form, "place"),
    }
    try:
        created = await api_of(request).post("/pledges/covenants", body)
    except ApiProblem as error:
        return refused(request, page, error)
    notice = (
        f"Đã lập giao ước thi đua của {cluster}. Gửi mã giao ước {created['id']} "
        "cho các đơn vị thành viên để ký."
    )
    return back(request, page, notice)


def _criteria_count(request: Request, form: FormData | None = None) -> int:
    wanted = text(form, "criteria") if form else request.query_params.get("tieu_chi", "")
    try:
        return min(max(int(wanted), 1), MOST_CRITERIA)
    except ValueError:
        return CRITERIA_SHOWN


async def _cluster_named(request: Request, clusters: dict[str, Any], cum: str) -> str:
    """The movement's cluster `cum` names: by the name the movement gives it, or by its code
    in the directory (CUM1); refused as a problem naming `cum` otherwise."""
    if cum in clusters:
        return cum
    if cum:
        found = await api_of(request).get_or_none(f"/campaigns/clusters/{quote(cum, safe='')}")
        if found and found["name"] in clusters:
            return str(found["name"])
    raise ApiProblem(Problem.from_body(422, {"code": "validation", "field": "cum"}))


async def _vote_context(request: Request, campaign: dict[str, Any], cum: str) -> dict[str, Any]:
    clusters = _clusters(campaign)
    cluster = await _cluster_named(request, clusters, cum)
    votes = await api_of(request).items("/awards/cluster-votes", {"campaign_id": campaign["id"]})
    return {
        "campaign": campaign,
        "cluster": cluster,
        "units": clusters[cluster],
        "earlier": [v for v in votes if v["cluster"] == cluster],
        "tie_breaks": TIE_BREAKS,
        "values": {},
        "errors": {},
    }


@router.get(VOTE_PAGE)
async def vote_form(request: Request, cum: str = "") -> Response:
    require(request, Role.OFFICE)
    council = with_campaign(COUNCIL_PAGE, request.query_params.get("phong_trao"))
    try:
        _, campaign = await campaigns_and_chosen(api_of(request), request)
        if campaign is None:
            return back(request, council)
        context = await _vote_context(request, campaign, cum)
    except ApiProblem as error:
        return refused(request, council, error)
    context["criteria"] = _criteria_count(request)
    return render(request, "awards/cluster_vote.html", context)


def _decimal(form: FormData, name: str) -> str:
    """A figure typed the Vietnamese way, as the API's decimal; refused naming the input."""
    try:
        figure = as_number(text(form, name))
        if figure is None or figure < 0:
            raise ValueError(name)
        return f"{Decimal(str(figure)).normalize():f}"
    except (ValueError, InvalidOperation):
        raise ApiProblem(Problem.from_body(422, {"code": "validation", "field": name})) from None


def _vote_body(
    form: FormData, campaign_id: str, cluster: str, units: list[dict[str, Any]], criteria: int
) -> dict[str, Any]:
    """The vote as the API takes it: every member unit scored and counted in the page's order,
    so that a refused `scores[i]` or `votes[i]` names the page's row i + 1."""
    for name in MEETING_FIELDS:
        if not text(form, name):
            raise ApiProblem(Problem.from_body(422, {"code": "validation", "field": name}))
    return {
        "campaign_id": campaign_id,
        "cluster": cluster,
        **{name: text(form, name) for name in MEETING_FIELDS},
        "criteria": [
            {"name": text(form, f"k{k}_name"), "max_points": _decimal(form, f"k{k}_max")}
            for k in range(1, criteria + 1)
        ],
        "scores": [
            {
                "unit_code": unit["code"],
                "points": [_decimal(form, f"u{u}_k{k}") for k in range(1, criteria + 1)],
            }
            for u, unit in enumerate(units, start=1)
        ],
        **{name: count(text(form, name), name) for name in BALLOT_FIELDS},
        "tie_break": text(form, "tie_break") or "score",
        "votes": [
            {"unit_code": unit["code"], "votes": count(text(form, f"u{u}_votes"), f"u{u}_votes")}
            for u, unit in enumerate(units, start=1)
        ],
    }


def _input_of(field: str | None) -> str:
    """The page's input an API field path names: criteria[0].name is k1_name, scores[1].points[2]
    u2_k3, votes[0].votes u1_votes; a whole list (scores, votes) stays as it is."""
    found = API_PATH.fullmatch(field or "")
    if not found:
        return (field or "").split("[")[0].split(".")[0]
    listed, index, part, inner = found.groups()
    row = int(index) + 1
    if listed == "criteria":
        return f"k{row}_max" if part == "max_points" else f"k{row}_name"
    if listed == "scores":
        return f"u{row}_k{int(inner) + 1}" if inner is not None else listed
    return f"u{row}_votes" if part == "votes" else listed


def _message_for(name: str) -> str:
    if name in FIELD_MESSAGES:
        return FIELD_MESSAGES[name]
    if name.endswith("_max"):
        return FIELD_MESSAGES["max"]
    if name.endswith("_name"):
        return FIELD_MESSAGES["name"]
    if re.fullmatch(r"u\d+_(k\d+|votes)|ballots_cast|seats", name):
        return FIELD_MESSAGES["number"]
    return REQUIRED


@router.post(VOTE_PAGE)
async def record_vote(request: Request) -> Response:
    require(request, Role.OFFICE)
    form = await checked_form(request)
    campaign_id, cluster = text(form, "phong_trao"), text(form, "cum")
    council = with_campaign(COUNCIL_PAGE, campaign_id)
    try:
        campaign = await api_of(request).get(f"/campaigns/campaigns/{UUID(campaign_id)}")
        context = await _vote_context(request, campaign, cluster)
    except ValueError:
        return back(request, COUNCIL_PAGE)
    except ApiProblem as error:
        return refused(request, council, error)
    criteria = _criteria_count(request, form)
    try:
        body = _vote_body(form, campaign_id, cluster, context["units"], criteria)
        vote = await api_of(request).post("/awards/cluster-votes", body)
    except ApiProblem as error:
        if error.problem.status != 422:
            return refused(request, council, error)
        # Shown again as typed, with the rule broken beside the input the API named.
        name = _input_of(error.problem.field)
        values = {key: value for key, value in form.items() if isinstance(value, str)}
        context |= {
            "criteria": criteria,
            "values": values,
            "errors": {name: _message_for(name)} if name else {},
            "problem": error.problem,
        }
        return render(request, "awards/cluster_vote.html", context, status=422)
    leaders = ", ".join(vote["leaders"]) or "chưa có"
    return back(
        request,
        council,
        f"Đã ghi kết quả bình xét, suy tôn của {cluster}: đơn vị dẫn đầu {leaders}.",
    )
