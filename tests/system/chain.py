"""Drives the event chain over HTTP through the gateway, as an integrating system would."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx

UNITS = [
    {"code": "VP", "name": "Văn phòng Sở", "cluster": "Cụm 1"},
    {"code": "TTCNTT", "name": "Trung tâm Công nghệ thông tin và Truyền thông", "cluster": "Cụm 1"},
    {"code": "TTRA", "name": "Thanh tra Sở", "cluster": "Cụm 2"},
]

PLAN = {
    "document_number": "60/KH-STTTT",
    "title": "Kế hoạch phát động phong trào thi đua năm 2018",
    "year": 2018,
    "theme": "Toàn ngành Thông tin và Truyền thông đoàn kết, sáng tạo, thi đua hoàn thành "
    "thắng lợi "
    "nhiệm vụ năm 2018",
    "period_start": "2018-01-01",
    "period_end": "2018-12-31",
    "phases": [
        {
            "name": "Đợt 1",
            "starts_on": "2018-01-01",
            "ends_on": "2018-06-30",
            "dedication": "Lập thành tích chào mừng kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam",
        },
        {
            "name": "Đợt 2",
            "starts_on": "2018-07-01",
            "ends_on": "2018-12-31",
            "dedication": "Chào mừng Quốc khánh 2/9 và ngày thành lập Quân đội nhân dân Việt Nam",
        },
    ],
    "units": UNITS,
}


async def until_accepted(
    call: Callable[[], Awaitable[httpx.Response]], *, timeout: float = 30
) -> httpx.Response:
    """Retries a call refused with 409 while another service's events are still on their way."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await call()
        if response.status_code != 409 or asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(0.1)


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, (
        f"{response.request.url}: {response.status_code} {response.text}"
    )
    return response.json()


def review_name(phase: int) -> str:
    return "sơ kết" if phase == 1 else "tổng kết"


@dataclass
class ChainResult:
    campaign_id: str
    nominations: dict[str, Any]


UnitHeadHeaders = Callable[[str], dict[str, str]]


async def run_chain(
    client: httpx.AsyncClient, as_unit_head: UnitHeadHeaders, *, returned_unit: str = "TTRA"
) -> ChainResult:
    """The client speaks for the office; `as_unit_head(code)` gives a unit head's headers."""
    campaign = ok(
        await client.post(
            "/campaigns/campaigns", json=PLAN, headers={"Idempotency-Key": "plan-60-KH-STTTT"}
        )
    )
    campaign_id = campaign["id"]
    ok(await client.post(f"/campaigns/campaigns/{campaign_id}/launch"))

    for unit in UNITS:
        members = [
            {
                "staff_code": f"{unit['code']}-{i:02d}",
                "full_name": f"Nguyễn Văn {i}",
                "title_aimed": "lao_dong_tien_tien",
            }
            for i in range(1, 4)
        ]
        registration = ok(
            await until_accepted(
                partial(
                    client.post,
                    "/pledges/registrations",
                    headers=as_unit_head(unit["code"]),
                    json={
                        "campaign_id": campaign_id,
                        "unit_code": unit["code"],
                        "collective_title": "tap_the_lao_dong_tien_tien",
                        "members": members,
                    },
                )
            )
        )
        ok(await client.post(f"/pledges/registrations/{registration['id']}/approve"))

    for phase in (1, 2):
        ok(await client.post(f"/campaigns/campaigns/{campaign_id}/phases/{phase}/open"))
        ok(await client.post(f"/campaigns/campaigns/{campaign_id}/phases/{phase}/close"))
        for unit in UNITS:
            report = ok(
                await until_accepted(
                    partial(
                        client.post,
                        "/reports/reports",
                        headers=as_unit_head(unit["code"]),
                        json={
                            "campaign_id": campaign_id,
                            "phase_number": phase,
                            "unit_code": unit["code"],
                            "summary": f"Báo cáo {review_name(phase)} của {unit['name']}",
                            "self_assessment": "tot",
                        },
                    )
                )
            )
            if phase == 1 and unit["code"] == returned_unit:
                ok(
                    await client.post(
                        f"/reports/reports/{report['id']}/return",
                        json={"reason": "Thiếu số liệu minh chứng"},
                    )
                )
                report = ok(
                    await client.post(
                        f"/reports/reports/{report['id']}/resubmit",
                        headers=as_unit_head(unit["code"]),
                        json={"summary": "Báo cáo đã bổ sung số liệu", "self_assessment": "tot"},
                    )
                )
            ok(await client.post(f"/reports/reports/{report['id']}/approve"))

    deadline = asyncio.get_running_loop().time() + 30
    while True:
        response = await client.get("/awards/nominations", params={"campaign_id": campaign_id})
        if response.status_code == 200 or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.2)
    return ChainResult(campaign_id, ok(response))


EXPECTED_EVENTS = {
    "campaign.launched": 1,
    "phase.opened": 2,
    "phase.closed": 2,
    "campaign.closed": 1,
    "pledge.submitted": 3,
    "pledge.approved": 3,
    "report.submitted": 7,
    "report.returned": 1,
    "report.approved": 6,
    "phase.reviewed": 2,
    "nominations.compiled": 1,
}
