"""The second half: history, nominations, cluster votes, the council, disclosure, the decision,
the revocation of one award, and every document of the year."""

import asyncio
import random
from collections import Counter
from collections.abc import Callable, Sequence
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
# The agency's own instrument the decision names among its grounds; the law, the decree and the
# plan come from the rule set and the campaign.
AGENCY_GROUNDS = [
    "Căn cứ Quyết định số 05/QĐ-STTTT ngày 05/01/2018 của Giám đốc Sở Thông tin và Truyền thông "
    "ban hành Quy chế Thi đua, khen thưởng của Sở"
]
REVOCATION = {
    "number": "42/QĐ-STTTT",
    "decided_on": "2019-03-15",
    "reason": "Phát hiện khai man thành tích: kết quả công việc kê khai trong hồ sơ không đúng "
    "thực tế",
}
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


async def _standing(client: DemoClient, campaign_id: str, unit: str) -> tuple[bool, float]:
    """Where the unit's year-end report puts it: rated excellent (by the office, else itself),
    and its targets' average percentage."""
    page = await client.call(
        "GET",
        "/reports/reports",
        params={"campaign_id": campaign_id, "phase_number": 2, "unit_code": unit},
    )
    [report] = [r for r in page["items"] if r["status"] == "approved"]
    rating = report.get("office_rating") or report["self_assessment"]
    percents = [
        float(r["percent_of_target"])
        for r in report["results"]
        if r["percent_of_target"] is not None
    ]
    return rating == "xuat_sac", sum(percents) / len(percents) if percents else 0.0


async def _cluster_vote(
    client: DemoClient,
    campaign_id: str,
    cluster: str,
    units: list[str],
    held_on: date,
    number: int,
) -> dict[str, Any]:
    rng = random.Random(f"vote-{cluster}")
    draw = {unit: rng.random() for unit in units}
    # Members score and vote for the unit whose year went best.
    standing = {unit: await _standing(client, campaign_id, unit) for unit in units}
    ranked = sorted(units, key=lambda u: (not standing[u][0], -standing[u][1], draw[u]))
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


REFUSAL_REASON = "Thành tích chưa nổi bật so với các cá nhân trong đơn vị"


def _refused(candidates: list[dict[str, Any]]) -> tuple[str, str]:
    """The nomination the council refuses: Lao động tiên tiến of the member whose other
    nominations lean on it most (CSTĐCS, a bằng khen), so the refusal carries through."""
    held: dict[str, list[str]] = {}
    for candidate in candidates:
        held.setdefault(candidate["subject_code"], []).append(candidate["title"])
    leaning = [
        code
        for code, titles in held.items()
        if "lao_dong_tien_tien" in titles
        and "chien_si_thi_dua_co_so" in titles
        and "chien_si_thi_dua_cap_tinh" not in titles
    ]
    if not leaning:
        fallback = candidates[min(3, len(candidates) - 1)]
        return fallback["subject_code"], fallback["title"]
    return max(leaning, key=lambda code: len(held[code])), "lao_dong_tien_tien"


def _council_votes(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    present = sum(1 for _, _, here in COUNCIL if here)
    refused = _refused(candidates)
    votes = []
    for candidate in candidates:
        rejected = (candidate["subject_code"], candidate["title"]) == refused
        votes.append(
            {
                "subject_kind": candidate["subject_kind"],
                "subject_code": candidate["subject_code"],
                "title": candidate["title"],
                "votes_for": 2 if rejected else present,
                "votes_against": present - 2 if rejected else 0,
                "reason": "Thành tích chưa nổi bật so với các cá nhân trong đơn vị"
                if rejected
                else "",
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
            "preamble": AGENCY_GROUNDS,
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


async def revoke_one(
    client: DemoClient,
    decision: dict[str, Any],
    *,
    progress: Callable[[str], None],
    at: Callable[[str], datetime],
) -> dict[str, Any]:
    """The year's revocation: a member's only title, Lao động tiên tiến, found to rest on a false
    report; the bonus is to be recovered. Hands back the revoked award."""
    titles = Counter(award["subject_code"] for award in decision["awards"])
    chosen = next(
        a
        for a in reversed(decision["awards"])
        if a["subject_kind"] == "person"
        and a["title"] == "lao_dong_tien_tien"
        and titles[a["subject_code"]] == 1
    )
    await client.set_time(at(REVOCATION["decided_on"]))
    revoked: dict[str, Any] = await client.call(
        "POST",
        f"/awards/decisions/{decision['id']}/revocations",
        role=Role.DECISION_SIGNER,
        json={
            "subject_kind": chosen["subject_kind"],
            "subject_code": chosen["subject_code"],
            "title": chosen["title"],
            **REVOCATION,
        },
        headers={"Idempotency-Key": f"demo-revocation-{decision['id']}"},
    )
    awards: list[dict[str, Any]] = revoked["awards"]
    award = next(a for a in awards if a["id"] == chosen["id"])
    progress(
        f"{_dmy(REVOCATION['decided_on'])}: Quyết định {REVOCATION['number']} hủy bỏ danh hiệu "
        f"Lao động tiên tiến của {award['subject_name']}, thu hồi "
        f"{format_vnd(award['bonus_recovered_vnd'] or 0)} đồng"
    )
    return award


def _file_name(number: str) -> str:
    return number.replace("/", "-").replace("Đ", "D")


async def download_documents(
    client: DemoClient,
    campaign_id: str,
    decision: dict[str, Any],
    progress: Callable[[str], None],
    *,
    covenants: Sequence[str] = (),
    revoked: dict[str, Any] | None = None,
) -> dict[str, bytes]:
    public = f"/awards/public/decisions/{decision['id']}"
    wanted = {
        "ke-hoach-60-KH-STTTT.pdf": f"/campaigns/campaigns/{campaign_id}/document.pdf",
        "ke-hoach-60-KH-STTTT.docx": f"/campaigns/campaigns/{campaign_id}/document.docx",
        "bao-cao-tong-ket-2018.xlsx": (
            f"/reports/campaigns/{campaign_id}/phases/2/consolidated.xlsx"
        ),
        "quyet-dinh-khen-thuong.pdf": f"{public}/decision.pdf",
        "quyet-dinh-khen-thuong.docx": f"{public}/decision.docx",
        "danh-sach-khen-thuong.xlsx": f"{public}/awards.xlsx",
    }
    for number, covenant_id in enumerate(covenants, start=1):
        for kind in ("pdf", "docx"):
            wanted[f"giao-uoc-cum-{number}.{kind}"] = (
                f"/pledges/covenants/{covenant_id}/document.{kind}"
            )
    votes = await client.every_page("/awards/cluster-votes", params={"campaign_id": campaign_id})
    for number, vote in enumerate(votes, start=1):
        for kind in ("pdf", "docx"):
            wanted[f"bien-ban-binh-xet-cum-{number}.{kind}"] = (
                f"/awards/cluster-votes/{vote['id']}/minutes.{kind}"
            )
    sessions = await client.every_page(
        "/awards/council/sessions", params={"campaign_id": campaign_id}
    )
    for session in sessions[-1:]:
        for kind in ("pdf", "docx"):
            wanted[f"bien-ban-hop-hoi-dong.{kind}"] = (
                f"/awards/council/sessions/{session['id']}/minutes.{kind}"
            )
    if revoked:
        name = f"quyet-dinh-huy-bo-{_file_name(revoked['revocation_number'] or 'chua-so')}"
        for kind in ("pdf", "docx"):
            wanted[f"{name}.{kind}"] = f"{public}/revocations/{revoked['id']}/decision.{kind}"
    progress(
        "Xuất văn bản: kế hoạch, giao ước, biên bản, báo cáo tổng kết, quyết định, danh sách "
        "khen thưởng và quyết định hủy bỏ"
    )

    # Rendering takes the services several seconds: say each one as it arrives.
    async def fetch(name: str, path: str) -> bytes:
        content: bytes = await client.call("GET", path)
        progress(f"  {name} ({len(content) // 1024} KB)")
        return content

    contents = await asyncio.gather(*(fetch(name, path) for name, path in wanted.items()))
    return dict(zip(wanted, contents, strict=True))


def write_documents(documents: dict[str, bytes], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, content in documents.items():
        written[name] = out_dir / name
        written[name].write_bytes(content)
    return written
