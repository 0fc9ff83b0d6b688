"""The way up: what the Sở's Director may not grant goes to the Chủ tịch UBND tỉnh in a dossier
(hồ sơ đề nghị), which is sent, and the province's decision on it is recorded."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from thidua_local.demo.client import DemoClient
from thidua_shared.contracts.vocabulary import TITLES
from thidua_shared.documents import format_vnd
from thidua_shared.platform.auth import Role

PROVINCE_DECISION = {
    "number": "512/QĐ-UBND",
    "decided_on": "2019-03-01",
    "signer_title": "Chủ tịch",
    "signer_name": "Đinh Quốc Thái",
}


def _dmy(day: str) -> str:
    return date.fromisoformat(day).strftime("%d/%m/%Y")


async def propose_to_province(
    client: DemoClient,
    decision: dict[str, Any],
    *,
    progress: Callable[[str], None],
    at: Callable[[str], datetime],
) -> dict[str, Any]:
    """Drafted on the day of the Sở's decision, sent the next day, decided by the province."""
    drafted_on = decision["decided_on"]
    dossier: dict[str, Any] = await client.call(
        "POST",
        "/awards/dossiers",
        role=Role.DECISION_SIGNER,
        json={
            "disclosure_id": decision["disclosure_id"],
            "authority": "provincial_chairman",
            "number": "16/TTr-STTTT",
            "drafted_on": drafted_on,
            "place": "Đồng Nai",
            "signer_title": "Giám đốc",
            "signer_name": "Lê Hoàng Ngọc",
        },
        headers={"Idempotency-Key": f"demo-dossier-{decision['id']}"},
    )
    per_title: dict[str, int] = {}
    for item in dossier["items"]:
        per_title[item["title"]] = per_title.get(item["title"], 0) + 1
    listed = ", ".join(f"{n} {TITLES.get(t, t)}" for t, n in per_title.items())
    progress(
        f"{_dmy(drafted_on)}: Tờ trình {dossier['number']} gửi {dossier['addressee']}: {listed}"
    )
    sent_on = (date.fromisoformat(drafted_on) + timedelta(days=1)).isoformat()
    await client.set_time(at(sent_on))
    await client.call(
        "POST",
        f"/awards/dossiers/{dossier['id']}/sent",
        role=Role.DECISION_SIGNER,
        json={"sent_on": sent_on},
    )
    await client.set_time(at(PROVINCE_DECISION["decided_on"]))
    decided: dict[str, Any] = await client.call(
        "POST",
        f"/awards/dossiers/{dossier['id']}/decision",
        role=Role.DECISION_SIGNER,
        json=PROVINCE_DECISION,
        headers={"Idempotency-Key": f"demo-province-decision-{dossier['id']}"},
    )
    progress(
        f"{_dmy(PROVINCE_DECISION['decided_on'])}: Chủ tịch UBND tỉnh ký Quyết định "
        f"{decided['decision_number']} — {len(decided['granted'])} danh hiệu, tiền thưởng "
        f"{format_vnd(decided['total_bonus_vnd'] or 0)} đồng chi từ {decided['fund']}"
    )
    return decided


async def download_proposal(client: DemoClient, dossier: dict[str, Any]) -> dict[str, bytes]:
    """The tờ trình with its lists, as PDF and DOCX; the whole dossier is one zip besides."""
    base = f"/awards/dossiers/{dossier['id']}"
    return {
        f"to-trinh-16-TTr-STTTT.{ext}": await client.call("GET", f"{base}/documents/to-trinh.{ext}")
        for ext in ("pdf", "docx")
    }
