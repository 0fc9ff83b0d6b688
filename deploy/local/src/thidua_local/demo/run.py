"""`thidua demo`: the 2018 movement, end to end, through the public HTTP API only."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

from thidua_local.demo import commendation, dossier, registration, reporting
from thidua_local.demo.client import DemoClient, DemoError, TokenFactory, wait_until
from thidua_local.demo.scenario import Scenario, generate
from thidua_shared.platform.auth import Role

VIETNAM = timezone(timedelta(hours=7))
Progress = Callable[[str], None]


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=VIETNAM)


@dataclass
class YearResult:
    campaign_id: str
    scenario: Scenario
    clusters: dict[str, list[str]]
    unit_names: dict[str, str]
    nominations: dict[str, Any]
    decision: dict[str, Any]
    documents: dict[str, Path] = field(default_factory=dict)
    # The award revoked after the decision, as the decision's API shows it once revoked.
    revoked: dict[str, Any] = field(default_factory=dict)
    # The dossier to the Chủ tịch UBND tỉnh for what the Director may not grant, decided.
    province: dict[str, Any] = field(default_factory=dict)


async def _campaign(client: DemoClient, campaign_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await client.call("GET", f"/campaigns/campaigns/{campaign_id}")
    return found


async def _phase_closed(client: DemoClient, campaign_id: str, number: int) -> bool:
    campaign = await _campaign(client, campaign_id)
    return any(p["number"] == number and p["status"] == "closed" for p in campaign["phases"])


async def _refuse_a_second_year(client: DemoClient) -> None:
    found = await client.call(
        "GET", "/campaigns/campaigns", params={"document_number": "60/KH-STTTT", "year": 2018}
    )
    if found["items"]:
        raise DemoError(
            "this system has played the 2018 year already; the demo needs a fresh one "
            "(stop `thidua up`, remove its data directory, start it again)"
        )


async def play_year(
    http: httpx.AsyncClient,
    tokens: TokenFactory,
    *,
    out_dir: Path,
    seed: int = 2018,
    members: int = 150,
    progress: Progress = print,
) -> YearResult:
    from campaigns.seed import load_seed

    client = DemoClient(http, tokens)
    await _refuse_a_second_year(client)
    await client.set_time(at("2018-01-09", 8))
    progress("Thời điểm: 09/01/2018 — Sở ban hành Kế hoạch 60/KH-STTTT")
    # The seed loader speaks as the office: the client's default header carries its token.
    http.headers.update(client.as_role(Role.OFFICE))
    campaign_id = str(await load_seed(http))
    campaign = await _campaign(client, campaign_id)
    units = [u for u in campaign["units"] if u.get("cluster")]
    unit_names = {u["code"]: u["name"] for u in campaign["units"]}
    clusters: dict[str, list[str]] = {}
    for unit in units:
        clusters.setdefault(unit["cluster"], []).append(unit["code"])
    scenario = generate([u["code"] for u in units], seed=seed, members=members)
    progress(
        f"Phát động: {len(units)} đơn vị trong {len(clusters)} cụm thi đua, "
        f"{scenario.member_count} cán bộ"
    )

    await commendation.import_history(client, scenario)
    progress("Nhập lịch sử khen thưởng các năm 2016, 2017")

    await client.set_time(at("2018-01-20"))
    registrations = await registration.register_units(client, campaign_id, scenario)
    for submitted in registrations.values():
        if submitted["status"] == "submitted":
            await client.call("POST", f"/pledges/registrations/{submitted['id']}/approve")
    progress(f"Đăng ký thi đua: {len(registrations)} đơn vị đăng ký, đã phê duyệt")
    covenants = await registration.sign_covenants(client, campaign_id, clusters, unit_names)
    progress(f"Ký kết giao ước thi đua: {len(covenants)} cụm, mọi đơn vị đã ký")

    await client.set_time(at("2018-07-01"))
    await wait_until(lambda: _phase_closed(client, campaign_id, 1), "phase 1 to close")
    progress("01/07/2018: đợt 1 kết thúc — các đơn vị báo cáo sơ kết")
    await reporting.report_phase(client, campaign_id, 1, scenario, returned_unit=units[1]["code"])
    progress("Sơ kết: một báo cáo bị trả lại và nộp lại; tất cả đã được phê duyệt")

    await client.set_time(at("2019-01-02"))
    await wait_until(lambda: _phase_closed(client, campaign_id, 2), "phase 2 to close")
    progress("02/01/2019: đợt 2 kết thúc — các đơn vị báo cáo tổng kết, đánh giá từng cán bộ")
    await reporting.report_phase(client, campaign_id, 2, scenario)
    progress("Tổng kết: tất cả báo cáo đã được phê duyệt")

    nominations = await commendation.await_nominations(client, campaign_id)
    progress(f"Tổng hợp đề nghị khen thưởng: {len(nominations['nominations'])} đề nghị")
    decision = await commendation.council_to_decision(
        client, campaign_id, clusters, progress=progress, at=at
    )
    result = YearResult(campaign_id, scenario, clusters, unit_names, nominations, decision)
    result.province = await dossier.propose_to_province(client, decision, progress=progress, at=at)
    result.revoked = await commendation.revoke_one(client, decision, progress=progress, at=at)
    documents = await commendation.download_documents(
        client, campaign_id, decision, progress, covenants=covenants, revoked=result.revoked
    )
    documents |= await dossier.download_proposal(client, result.province)
    result.documents = commendation.write_documents(documents, out_dir)
    return result
