"""The second half: history, nominations, cluster votes, the council, disclosure, the decision."""

import asyncio
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from thidua_local.demo.client import DemoClient, DemoError, wait_until
from thidua_local.demo.scenario import Scenario
from thidua_shared.documents import format_vnd
from thidua_shared.platform.auth import Role

COUNCIL = [
    ("Lê Hoàng Ngọc", "Chủ tịch", True),
    ("Nguyễn Thị Thu Hà", "Phó Chủ tịch", True),
    ("Trần Văn Bình", "Phó Chủ tịch", True),
    ("Phạm Thị Lan", "Ủy viên thường trực", True),
    ("Võ Minh Tuấn", "Ủy viên", True),
    ("Đặng Thị Mai", "Ủy viên", True),
    ("Bùi Quang Hải", "Ủy viên", True),
    ("Huỳnh Ngọc Anh", "Ủy viên", False),
    ("Hồ Văn Sơn", "Ủy viên", True),
]
CRITERIA: list[tuple[str, int]] = [
    ("Thực hiện nhiệm vụ chính trị, chuyên môn được giao", 50),
    ("Tổ chức phong trào thi đua, công tác khen thưởng", 30),
    ("Xây dựng tổ chức Đảng, đoàn thể, cơ quan văn hóa", 20),
]


def history_csv(scenario: Scenario) -> bytes:
    lines = ["Đối tượng,Mã,Tên,Mã đơn vị,Năm,Danh hiệu,Sáng kiến"]
    for unit in scenario.units:
        for member in unit.members:
            lines += [
                f"Cá nhân,{member.staff_code},{member.full_name},{unit.unit_code},"
                f"{prior.year},{prior.title},"
                for prior in member.history
            ]
    return ("\n".join(lines) + "\n").encode("utf-8")


async def import_history(client: DemoClient, scenario: Scenario) -> int:
    imported = await client.call(
        "POST",
        "/awards/history/import",
        content=history_csv(scenario),
        headers={"Content-Type": "text/csv; charset=utf-8"},
    )
    return int(imported["imported"])


async def await_nominations(client: DemoClient, campaign_id: str) -> dict[str, Any]:
    async def compiled() -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = await client.call(
                "GET", f"/awards/campaigns/{campaign_id}/nominations"
            )
        except DemoError as error:
            if error.status == 404:
                return None
            raise
        return found

    result: dict[str, Any] = await wait_until(compiled, "nominations to be compiled")
    return result


async def _cluster_vote(
    client: DemoClient,
    campaign_id: str,
    cluster: str,
    units: list[str],
    held_on: date,
    number: int,
) -> dict[str, Any]:
    rng = random.Random(f"vote-{cluster}")
    ranked = sorted(units, key=lambda u: rng.random())
    scores = [
        {
            "unit_code": unit,
            "points": [most - rank - rng.randint(0, 2) for _, most in CRITERIA],
        }
        for rank, unit in enumerate(ranked)
    ]
    ballots = 3 * len(units)
    leader_votes = ballots - len(units)
    others = [(ballots - 1 - leader_votes) if i == 1 else 0 for i in range(len(units))]
    votes = [
        {"unit_code": unit, "votes": leader_votes if rank == 0 else others[rank]}
        for rank, unit in enumerate(ranked)
    ]
    vote: dict[str, Any] = await client.call(
        "POST",
        "/awards/cluster-votes",
        json={
            "campaign_id": campaign_id,
            "cluster": cluster,
            "held_on": held_on.isoformat(),
            "place": "Hội trường Sở Thông tin và Truyền thông",
            "chair_name": f"Trưởng {cluster}",
            "secretary_name": "Nguyễn Thị Thảo",
            "criteria": [{"name": name, "max_points": most} for name, most in CRITERIA],
            "scores": scores,
            "ballots_cast": ballots,
            "ballots_invalid": 1,
            "votes": votes,
        },
        headers={"Idempotency-Key": f"demo-vote-{campaign_id}-{number}"},
    )
    return vote


def _council_votes(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    present = sum(1 for _, _, here in COUNCIL if here)
    votes = []
    for index, candidate in enumerate(candidates):
        rejected = index == 3
        votes.append(
            {
                "subject_kind": candidate["subject_kind"],
                "subject_code": candidate["subject_code"],
                "title": candidate["title"],
                "votes_for": 2 if rejected else present,
                "votes_against": present - 2 if rejected else 0,
                "reason": "Thành tích chưa nổi bật so với các đơn vị trong cụm" if rejected else "",
            }
        )
    return votes


async def council_to_decision(
    client: DemoClient,
    campaign_id: str,
    clusters: dict[str, list[str]],
    *,
    progress: Callable[[str], None],
    at: Callable[[str], datetime],
) -> dict[str, Any]:
    await client.set_time(at("2019-01-08"))
    for number, (cluster, units) in enumerate(sorted(clusters.items()), start=1):
        vote = await _cluster_vote(client, campaign_id, cluster, units, date(2019, 1, 8), number)
        progress(f"Bình xét, suy tôn {cluster}: {vote['explanation']}")

    await client.set_time(at("2019-01-10"))
    agenda = await client.call("GET", "/awards/council/agenda", params={"campaign_id": campaign_id})
    session = await client.call(
        "POST",
        "/awards/council/sessions",
        json={
            "campaign_id": campaign_id,
            "held_on": "2019-01-10",
            "place": "Phòng họp Sở Thông tin và Truyền thông",
            "members": [{"name": n, "role": r, "present": p} for n, r, p in COUNCIL],
        },
        headers={"Idempotency-Key": f"demo-council-{campaign_id}"},
    )
    session = await client.call(
        "POST",
        f"/awards/council/sessions/{session['id']}/votes",
        role=Role.COUNCIL_MEMBER,
        json={"votes": _council_votes(agenda["candidates"])},
    )
    approved = sum(1 for v in session["votes"] if v["approved"])
    progress(
        f"Hội đồng họp {session['members_present']}/{session['members_total']} thành viên: "
        f"{approved}/{len(session['votes'])} đề nghị được thông qua"
    )

    disclosure = await client.call(
        "POST",
        "/awards/disclosures",
        json={"session_id": session["id"]},
        headers={"Idempotency-Key": f"demo-disclosure-{campaign_id}"},
    )
    until = date.fromisoformat(disclosure["comment_until"])
    progress(
        f"Công khai danh sách từ {_dmy(disclosure['comment_from'])} đến {_dmy(until)} "
        f"({disclosure['working_days']} ngày làm việc)"
    )
    comment = await client.call(
        "POST",
        f"/awards/disclosures/{disclosure['id']}/comments",
        json={
            "kind": "comment",
            "author": "Công đoàn cơ sở Sở",
            "content": "Đề nghị nêu rõ sáng kiến của các cá nhân được đề nghị Chiến sĩ thi đua.",
        },
    )
    await client.call(
        "POST",
        f"/awards/disclosures/{disclosure['id']}/comments/{comment['id']}/answer",
        json={"answer": "Danh sách sáng kiến đã được công khai kèm theo hồ sơ đề nghị."},
    )

    decided_on = until + timedelta(days=1)
    await client.set_time(at(decided_on.isoformat()))
    decision: dict[str, Any] = await client.call(
        "POST",
        "/awards/decisions",
        role=Role.DECISION_SIGNER,
        json={
            "disclosure_id": disclosure["id"],
            "number": "15/QĐ-STTTT",
            "decided_on": decided_on.isoformat(),
            "place": "Đồng Nai",
            "issuing_agency": "Sở Thông tin và Truyền thông",
            "parent_agency": "UBND tỉnh Đồng Nai",
            "signer_title": "Giám đốc",
            "signer_name": "Lê Hoàng Ngọc",
        },
        headers={"Idempotency-Key": f"demo-decision-{campaign_id}"},
    )
    progress(
        f"{_dmy(decided_on)}: Quyết định {decision['number']} — {len(decision['awards'])} "
        f"danh hiệu, tiền thưởng {format_vnd(decision['total_bonus_vnd'])} đồng"
    )
    return decision


def _dmy(day: date | str) -> str:
    parsed = date.fromisoformat(day) if isinstance(day, str) else day
    return parsed.strftime("%d/%m/%Y")


async def download_documents(
    client: DemoClient, campaign_id: str, decision: dict[str, Any]
) -> dict[str, bytes]:
    wanted = {
        "ke-hoach-60-KH-STTTT.pdf": f"/campaigns/campaigns/{campaign_id}/document.pdf",
        "ke-hoach-60-KH-STTTT.docx": f"/campaigns/campaigns/{campaign_id}/document.docx",
        "bao-cao-tong-ket-2018.xlsx": (
            f"/reports/campaigns/{campaign_id}/phases/2/consolidated.xlsx"
        ),
        "quyet-dinh-khen-thuong.pdf": f"/awards/public/decisions/{decision['id']}/decision.pdf",
        "quyet-dinh-khen-thuong.docx": f"/awards/public/decisions/{decision['id']}/decision.docx",
        "danh-sach-khen-thuong.xlsx": f"/awards/public/decisions/{decision['id']}/awards.xlsx",
    }
    contents = await asyncio.gather(*(client.call("GET", path) for path in wanted.values()))
    return dict(zip(wanted, contents, strict=True))


def write_documents(documents: dict[str, bytes], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, content in documents.items():
        written[name] = out_dir / name
        written[name].write_bytes(content)
    return written
