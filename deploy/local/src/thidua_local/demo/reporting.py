"""The phase reports: sơ kết after phase 1, tổng kết with each member's evaluation after phase 2."""

import random
from typing import Any

from thidua_local.demo.client import DemoClient
from thidua_local.demo.registration import UNIT_COMMITMENTS
from thidua_local.demo.scenario import Member, Scenario, UnitPeople
from thidua_shared.platform.auth import Role


def _achieved(
    rng: random.Random, commitment: dict[str, Any], share: float, *, excelled: bool
) -> float:
    """A realistic spread around the target: most meet it, a few fall short; a unit that rates
    its year excellent went beyond every target."""
    if "target_value" not in commitment:
        # The plan's own target for the task: 100 % of members complete their tasks.
        return 100.0 if excelled else rng.choice((100.0, 100.0, 100.0, 96.0))
    target = float(commitment["target_value"])
    if commitment.get("lower_is_better"):
        return round(target * (rng.uniform(0.7, 0.95) if excelled else rng.uniform(0.7, 1.2)), 1)
    spread = rng.uniform(1.05, 1.3) if excelled else rng.uniform(0.85, 1.3)
    return round(target * share * spread)


def _results(rng: random.Random, phase: int, *, excelled: bool) -> list[dict[str, Any]]:
    share = 0.5 if phase == 1 else 1.0
    return [
        {
            "commitment_number": number,
            "achieved_value": _achieved(rng, commitment, share, excelled=excelled),
            "narrative": "Đơn vị đã triển khai đầy đủ theo kế hoạch đăng ký.",
            "evidence": [f"https://vanban.example.vn/2018/minh-chung/{phase}-{number}.pdf"],
        }
        for number, commitment in enumerate(UNIT_COMMITMENTS, start=1)
    ]


def _evaluation(member: Member) -> dict[str, Any]:
    evaluation: dict[str, Any] = {
        "staff_code": member.staff_code,
        "task_rating": member.rating,
        "discipline": member.discipline,
        "under_investigation": member.under_investigation,
        "initiatives": [
            {"identifier": i.identifier, "title": i.title, "level": i.level, "year": i.year}
            for i in member.initiatives
        ],
        "research": [
            {
                "identifier": r.identifier,
                "title": r.title,
                "level": r.level,
                "accepted_on": r.accepted_on,
                "year": r.year,
            }
            for r in member.research
        ],
    }
    if member.discipline != "none":
        evaluation["discipline_from"] = "2018-09-01"
        evaluation["discipline_to"] = "2019-08-31"
    return evaluation


def report_body(campaign_id: str, phase: int, unit: UnitPeople, seed: int) -> dict[str, Any]:
    rng = random.Random(f"{seed}-{phase}-{unit.unit_code}")
    review = "sơ kết đợt 1" if phase == 1 else "tổng kết năm 2018"
    body: dict[str, Any] = {
        "campaign_id": campaign_id,
        "phase_number": phase,
        "unit_code": unit.unit_code,
        "summary": f"Báo cáo {review} phong trào thi đua của đơn vị {unit.unit_code}.",
    }
    rating = "xuat_sac" if rng.random() < 0.4 else "tot"
    body["self_assessment"] = rating
    body["results"] = _results(rng, phase, excelled=phase == 2 and rating == "xuat_sac")
    if phase == 2:
        body["member_evaluations"] = [_evaluation(m) for m in unit.members]
    return body


async def report_phase(
    client: DemoClient,
    campaign_id: str,
    phase: int,
    scenario: Scenario,
    *,
    returned_unit: str | None = None,
) -> None:
    for unit in scenario.units:
        body = report_body(campaign_id, phase, unit, scenario.seed)
        report = await client.until_accepted(
            "POST",
            "/reports/reports",
            role=Role.UNIT_HEAD,
            unit=unit.unit_code,
            json=body,
            headers={"Idempotency-Key": f"demo-report-{campaign_id}-{phase}-{unit.unit_code}"},
        )
        if unit.unit_code == returned_unit and report["status"] == "submitted":
            await client.call(
                "POST",
                f"/reports/reports/{report['id']}/return",
                json={
                    "reason": "Thiếu minh chứng cho kết quả tuyên truyền",
                    "item_reasons": [
                        {"item": "commitment:1", "reason": "Bổ sung danh sách buổi sinh hoạt"}
                    ],
                },
            )
            resubmitted = {
                k: v
                for k, v in body.items()
                if k not in ("campaign_id", "phase_number", "unit_code")
            }
            resubmitted["summary"] += " Đã bổ sung minh chứng theo yêu cầu."
            report = await client.call(
                "POST",
                f"/reports/reports/{report['id']}/resubmit",
                role=Role.UNIT_HEAD,
                unit=unit.unit_code,
                json=resubmitted,
            )
        if report["status"] != "approved":
            # At the final review the office records its own rating of the unit: here it
            # confirms the unit's.
            approval = {"office_rating": body["self_assessment"]} if phase == 2 else None
            await client.call("POST", f"/reports/reports/{report['id']}/approve", json=approval)
