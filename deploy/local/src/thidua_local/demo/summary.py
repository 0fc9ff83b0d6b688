"""What the demo prints at the end: the year in numbers, per title and per cluster."""

from collections import Counter
from typing import Any

from thidua_local.demo.run import YearResult
from thidua_shared.contracts.vocabulary import TITLES
from thidua_shared.documents import format_vnd


def summarise(result: YearResult) -> str:
    decision: dict[str, Any] = result.decision
    awards: list[dict[str, Any]] = decision["awards"]
    cluster_of = {u: c for c, units in result.clusters.items() for u in units}
    per_title = Counter(a["title"] for a in awards)
    per_cluster: Counter[str] = Counter()
    for award in awards:
        unit = award["unit_code"] or award["subject_code"]
        per_cluster[cluster_of.get(unit, "—")] += 1
    lines = [
        "",
        f"Tổng kết năm 2018 — Quyết định {decision['number']} ngày "
        f"{decision['decided_on'][8:10]}/{decision['decided_on'][5:7]}/{decision['decided_on'][:4]}",
        f"  {len(result.clusters)} cụm thi đua, {len(result.unit_names)} đơn vị, "
        f"{result.scenario.member_count} cán bộ; {len(result.nominations['nominations'])} đề nghị",
        "  Danh hiệu:",
    ]
    lines += [
        f"    {count:>4}  {TITLES.get(title, title)}"
        for title, count in sorted(per_title.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    lines.append("  Theo cụm:")
    lines += [f"    {count:>4}  {cluster}" for cluster, count in sorted(per_cluster.items())]
    lines.append(f"  Tổng tiền thưởng: {format_vnd(decision['total_bonus_vnd'])} đồng")
    if result.revoked:
        revoked = result.revoked
        lines.append(
            f"  Hủy bỏ: Quyết định {revoked['revocation_number']} — "
            f"{TITLES.get(revoked['title'], revoked['title'])} của {revoked['subject_name']}, "
            f"thu hồi {format_vnd(revoked['bonus_recovered_vnd'])} đồng"
        )
    if result.province:
        province = result.province
        granted = Counter(a["title"] for a in province["granted"])
        lines.append(
            f"  Đề nghị cấp trên: Tờ trình {province['number']} — Quyết định "
            f"{province['decision_number']} của Chủ tịch UBND tỉnh:"
        )
        lines += [
            f"    {count:>4}  {TITLES.get(title, title)}"
            for title, count in sorted(granted.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        lines.append(
            f"  Tiền thưởng cấp tỉnh: {format_vnd(province['total_bonus_vnd'] or 0)} đồng "
            f"({province['fund']})"
        )
    lines.append("  Văn bản:")
    lines += [f"    {path}" for path in result.documents.values()]
    return "\n".join(lines)
