"""The office drafts a movement's plan (kế hoạch phát động) from its document and edits the
draft before launching it; the office and the observer read a phase's consolidated report."""

import re
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from thidua_console.api import ApiProblem
from thidua_console.pages.common import as_number, campaigns_and_chosen
from thidua_console.pages.office import VIEWERS
from thidua_console.problems import Problem
from thidua_console.web import api_of, back, checked_form, refused, render, require, with_campaign
from thidua_shared.contracts.rule_sets import CATALOGUE
from thidua_shared.platform.auth import Role

router = APIRouter()
PLAN_PAGE = "/phong-trao/ke-hoach"
NEW_PLAN_PAGE = "/phong-trao/moi"
CAMPAIGNS = "/campaigns/campaigns"
RULE_SETS = {str(entry.id): entry.name for entry in CATALOGUE.values()}
# What a PATCH of a draft may change (CampaignUpdate); the rest is set once, at creation.
TEXTS: tuple[str, ...] = ("title", "theme", "issuing_agency", "parent_agency", "place_of_issue")
TEXTS += ("signer_name", "signer_title", "tasks_introduction", "closing", "kind")
LINES = ("legal_bases", "introduction", "objectives", "implementation", "recipients")
DATES = ("issued_on", "registration_deadline")
CREATED_ONLY = ("document_number", "year", "period_start", "period_end", "rule_set")
# Blank rows a new form starts with, and the most the API takes.
FIRST_ROWS = {"tasks": 3, "phases": 2, "targets": 1}
MOST_ROWS = {"tasks": 100, "phases": 24, "targets": 50}
TARGET_FIELDS = ("indicator", "target_value", "unit_of_measure", "lower_is_better")
PHASE_FIELDS = ("name", "starts_on", "ends_on", "dedication")
# Refusals of the plan's rules, said by the field they name (the message says only "cannot").
RULE_HINTS = {
    "period_end": "Thời gian phong trào kết thúc trước khi bắt đầu.",
    "registration_deadline": "Hạn đăng ký thi đua phải trước khi phong trào kết thúc.",
    "phases[].ends_on": "Đợt thi đua kết thúc trước ngày bắt đầu.",
    "phases[].starts_on": "Đợt thi đua phải nằm trong thời gian của phong trào và bắt đầu "
    "sau khi đợt trước kết thúc.",
    "rule_set": "Quy định khen thưởng này không áp dụng cho thời gian của phong trào.",
    "unit_codes[]": "Có đơn vị không còn trong danh mục hoặc đã ngừng hoạt động.",
    "cluster_codes[]": "Có cụm thi đua không còn trong danh mục hoặc đã ngừng hoạt động.",
}
ADD_ROW = re.compile(r"nhiem_vu|dot|chi_tieu_(\d+)")


class PlanForm:
    """The plan as typed: each input by its name (t2_g1_target_value: task 2's first target),
    the units and clusters ticked, and how many rows of tasks, targets and phases to show."""

    def __init__(
        self, values: dict[str, str], units: list[str], clusters: list[str], rows: dict[str, int]
    ) -> None:
        self.values, self.units, self.clusters, self.rows = values, units, clusters, rows
        # Where each task, target and phase sent went in the form: the API numbers only those
        # sent, and a blank row between two typed ones is left out.
        self.rows_sent: dict[str, str] = {}

    @classmethod
    def blank(cls) -> "PlanForm":
        return cls({"kind": "regular"}, [], [], dict(FIRST_ROWS))

    @classmethod
    def submitted(cls, form: FormData) -> "PlanForm":
        values = {
            name: value.strip()
            for name, value in form.multi_items()
            if isinstance(value, str) and name not in ("csrf", "units", "clusters")
        }
        units = [str(code) for code in form.getlist("units")]
        clusters = [str(code) for code in form.getlist("clusters")]
        rows = {name: _bounded(values.get(name, ""), name) for name in ("tasks", "phases")}
        for task in range(1, rows["tasks"] + 1):
            rows[f"t{task}"] = _bounded(values.get(f"t{task}_targets", ""), "targets")
        return cls(values, units, clusters, rows)

    @classmethod
    def of_campaign(cls, campaign: dict[str, Any]) -> "PlanForm":
        values = {name: str(campaign.get(name) or "") for name in (*TEXTS, *DATES, *CREATED_ONLY)}
        values |= {name: "\n".join(campaign.get(name) or []) for name in LINES}
        values["version"] = str(campaign["version"])
        tasks = campaign.get("tasks") or []
        rows = {"tasks": len(tasks) + 1, "phases": len(campaign["phases"])}
        for task, found in enumerate(tasks, start=1):
            values[f"t{task}_content"] = found["content"]
            rows[f"t{task}"] = len(found["targets"]) or 1
            for row, target in enumerate(found["targets"], start=1):
                key = f"t{task}_g{row}"
                values[f"{key}_indicator"] = target["indicator"]
                values[f"{key}_target_value"] = _typed(target["target_value"])
                values[f"{key}_unit_of_measure"] = target["unit_of_measure"]
                values[f"{key}_lower_is_better"] = "1" if target["lower_is_better"] else ""
        rows[f"t{len(tasks) + 1}"] = FIRST_ROWS["targets"]
        units = [unit["code"] for unit in campaign["units"]]
        return cls(values, units, list(campaign.get("cluster_codes") or []), rows)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def targets(self, task: int) -> int:
        return self.rows.get(f"t{task}", FIRST_ROWS["targets"])

    def add_row(self, which: str) -> None:
        """One more blank row of tasks, phases or one task's targets, as the button asked."""
        added = ADD_ROW.fullmatch(which)
        if not added:
            return
        if added.group(1):
            key, most = f"t{added.group(1)}", MOST_ROWS["targets"]
        else:
            key = "tasks" if which == "nhiem_vu" else "phases"
            most = MOST_ROWS[key]
        self.rows[key] = min(self.rows.get(key, FIRST_ROWS["targets"]) + 1, most)

    def plan(self) -> dict[str, Any]:
        """What a PATCH of the draft sends: every field it may change, as typed."""
        body: dict[str, Any] = {name: self.get(name) for name in TEXTS}
        body |= {name: _date(self.get(name)) for name in DATES}
        body |= {name: [line for line in self.get(name).splitlines() if line] for name in LINES}
        body["tasks"] = self._tasks()
        return body

    def new_campaign(self) -> dict[str, Any]:
        """What a POST sends: the plan, what is set once, the phases and the units."""
        body = self.plan() | {name: self.get(name) or None for name in CREATED_ONLY}
        body |= {name: _date(self.get(name)) for name in ("period_start", "period_end")}
        body["phases"] = self._phases()
        body["unit_codes"], body["cluster_codes"] = self.units, self.clusters
        return body

    def _tasks(self) -> list[dict[str, Any]]:
        tasks: list[dict[str, Any]] = []
        for task in range(1, self.rows["tasks"] + 1):
            path = f"tasks[{len(tasks)}]"
            targets: list[dict[str, Any]] = []
            for row in range(1, self.targets(task) + 1):
                key = f"t{task}_g{row}"
                if not any(self.get(f"{key}_{name}") for name in TARGET_FIELDS[:3]):
                    continue
                where = f"{path}.targets[{len(targets)}]"
                self.rows_sent[where] = key
                targets.append(
                    {
                        "indicator": self.get(f"{key}_indicator"),
                        "target_value": _figure(self.get(f"{key}_target_value"), where),
                        "unit_of_measure": self.get(f"{key}_unit_of_measure"),
                        "lower_is_better": self.get(f"{key}_lower_is_better") == "1",
                    }
                )
            if self.get(f"t{task}_content") or targets:
                self.rows_sent[path] = f"t{task}"
                tasks.append({"content": self.get(f"t{task}_content"), "targets": targets})
        return tasks

    def _phases(self) -> list[dict[str, Any]]:
        phases: list[dict[str, Any]] = []
        for row in range(1, self.rows["phases"] + 1):
            typed: dict[str, str | None] = {
                name: self.get(f"p{row}_{name}") for name in PHASE_FIELDS
            }
            if any(typed.values()):
                self.rows_sent[f"phases[{len(phases)}]"] = f"p{row}"
                for name in ("starts_on", "ends_on"):
                    typed[name] = _date(self.get(f"p{row}_{name}"))
                phases.append(typed)
        return phases

    def input_of(self, field: str | None) -> str | None:
        """The input a problem's field (phases[1].ends_on) is typed in (p2_ends_on)."""
        if not field:
            return None
        for path in sorted(self.rows_sent, key=len, reverse=True):
            if field == path or field.startswith(f"{path}."):
                rest = field[len(path) + 1 :]
                return f"{self.rows_sent[path]}_{rest}" if rest else self.rows_sent[path]
        top = field.split("[")[0].split(".")[0]
        return {"unit_codes": "units", "cluster_codes": "clusters"}.get(top, top)


def _bounded(value: str, rows: str) -> int:
    try:
        wanted = int(value)
    except ValueError:
        wanted = FIRST_ROWS[rows]
    return max(1, min(wanted, MOST_ROWS[rows]))


def _date(value: str) -> str | None:
    """A date as the API reads it: dd/mm/yyyy typed where a browser has no date picker."""
    found = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if found:
        day, month, year = (int(part) for part in found.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return value
    return value or None


def _typed(value: float) -> str:
    """A figure as it is typed back: 0,5 or 1234, with no thousands dots to misread."""
    return format(Decimal(str(value)).normalize(), "f").replace(".", ",")


def _figure(value: str, where: str) -> float | None:
    try:
        return as_number(value)
    except ValueError:
        field = f"{where}.target_value"
        raise ApiProblem(Problem.from_body(422, {"code": "validation", "field": field})) from None


async def _form_page(
    request: Request,
    form: PlanForm,
    campaign: dict[str, Any] | None = None,
    problem: Problem | None = None,
) -> Response:
    """The plan's form: new, or the draft's (its phases and units shown, no longer editable)."""
    context: dict[str, Any] = {"form": form, "campaign": campaign, "rule_sets": RULE_SETS}
    if campaign is None:
        api = api_of(request)
        units = await api.items("/campaigns/units", {"limit": 10000})
        clusters = await api.items("/campaigns/clusters")
        context["groups"] = _directory_groups(units, clusters, form)
    if problem:
        wrong = form.input_of(problem.field)
        shown = {*form.values, *form.rows_sent.values(), "tasks", "phases", "units", "clusters"}
        general = re.sub(r"\[\d+\]", "[]", problem.field or "")
        hint = RULE_HINTS.get(general, "") if problem.code == "unprocessable" else ""
        context["problem_at"] = wrong if wrong in shown else None
        context["problem_text"] = f"{problem.message} {hint}".strip()
        return render(request, "office/plan_form.html", context, problem.page_status)
    return render(request, "office/plan_form.html", context)


def _directory_groups(
    units: list[dict[str, Any]], clusters: list[dict[str, Any]], form: PlanForm
) -> list[dict[str, Any]]:
    """The directory's units by cluster, each shown once; inactive ones only if chosen."""
    shown = {u["code"]: u for u in units if u["active"] or u["code"] in form.units}
    placed: set[str] = set()
    groups: list[dict[str, Any]] = []
    for cluster in clusters:
        if not (cluster["active"] or cluster["code"] in form.clusters):
            continue
        members = [shown[c] for c in cluster["unit_codes"] if c in shown and c not in placed]
        placed.update(unit["code"] for unit in members)
        groups.append({"cluster": cluster, "units": members})
    others = [unit for code, unit in shown.items() if code not in placed]
    if others:
        groups.append({"cluster": None, "units": others})
    return groups


def _plan_page(campaign_id: str) -> str:
    return with_campaign(PLAN_PAGE, campaign_id)


@router.get(NEW_PLAN_PAGE)
async def new_plan(request: Request) -> Response:
    require(request, Role.OFFICE)
    return await _form_page(request, PlanForm.blank())


@router.post(NEW_PLAN_PAGE)
async def create_plan(request: Request) -> Response:
    require(request, Role.OFFICE)
    submitted = await checked_form(request)
    form = PlanForm.submitted(submitted)
    if added := submitted.get("them"):
        form.add_row(str(added))
        return await _form_page(request, form)
    try:
        created = await api_of(request).post(CAMPAIGNS, form.new_campaign())
    except ApiProblem as error:
        return await _form_page(request, form, problem=error.problem)
    notice = "Đã lưu bản nháp kế hoạch; hãy kiểm tra lại rồi phát động phong trào."
    return back(request, _plan_page(created["id"]), notice)


async def _draft(request: Request, campaign_id: UUID) -> dict[str, Any]:
    campaign: dict[str, Any] = await api_of(request).get(f"{CAMPAIGNS}/{campaign_id}")
    if campaign["status"] != "draft":
        raise ApiProblem(Problem.from_body(409, {"code": "conflict", "field": "status"}))
    return campaign


@router.get("/phong-trao/{campaign_id}/sua")
async def edit_plan(request: Request, campaign_id: UUID) -> Response:
    require(request, Role.OFFICE)
    try:
        campaign = await _draft(request, campaign_id)
    except ApiProblem as error:
        return refused(request, _plan_page(str(campaign_id)), error)
    return await _form_page(request, PlanForm.of_campaign(campaign), campaign)


@router.post("/phong-trao/{campaign_id}/sua")
async def update_plan(request: Request, campaign_id: UUID) -> Response:
    require(request, Role.OFFICE)
    submitted = await checked_form(request)
    form = PlanForm.submitted(submitted)
    if added := submitted.get("them"):
        form.add_row(str(added))
        return await _form_page(request, form, await _draft(request, campaign_id))
    api = api_of(request)
    try:
        # The version read when the form opened: a change made since by someone else is
        # refused (stale-version) instead of overwritten.
        await api.patch_json(
            f"{CAMPAIGNS}/{campaign_id}", form.plan(), if_match=f'"{form.get("version")}"'
        )
    except ApiProblem as error:
        campaign = await api.get(f"{CAMPAIGNS}/{campaign_id}")
        return await _form_page(request, form, campaign, error.problem)
    return back(request, _plan_page(str(campaign_id)), "Đã lưu các thay đổi của kế hoạch.")


def _phase_shown(campaign: dict[str, Any], asked: str | None) -> int | None:
    """The phase asked for, else the last one closed (its reports are in), else the first."""
    numbers: list[int] = [phase["number"] for phase in campaign["phases"]]
    if asked and asked.isdigit() and int(asked) in numbers:
        return int(asked)
    phases = zip(numbers, campaign["phases"], strict=True)
    closed = [number for number, phase in phases if phase["status"] == "closed"]
    if closed:
        return closed[-1]
    return numbers[0] if numbers else None


@router.get("/bao-cao/tong-hop")
async def consolidated(request: Request) -> Response:
    require(request, *VIEWERS)
    api = api_of(request)
    listed, campaign = await campaigns_and_chosen(api, request)
    context: dict[str, Any] = {"campaigns": listed, "campaign": campaign, "report": None}
    if campaign:
        phase = _phase_shown(campaign, request.query_params.get("dot"))
        context["phase"] = phase
        if phase is not None and campaign["status"] != "draft":
            context["report"] = await api.get_or_none(
                f"/reports/campaigns/{campaign['id']}/phases/{phase}/consolidated"
            )
    return render(request, "office/consolidated.html", context)
