"""Which units and people a campaign nominates, from the facts the awards service has read.

The skeleton applies one rule; the legal rule sets (law-2013-decree-91-2017,
law-2022-decree-98-2023) replace `compile_nominations` later, keyed by the campaign's rule_set.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ADVANCED_LABOUR_COLLECTIVE = "tap_the_lao_dong_tien_tien"


@dataclass(frozen=True)
class NominationDraft:
    subject_kind: str
    subject_code: str
    title: str
    basis: str


def compile_nominations(
    participating_units: Sequence[str], approved_reports_by_phase: Mapping[int, Mapping[str, str]]
) -> list[NominationDraft]:
    """Every participating unit whose report was approved in every phase becomes a candidate
    for Tập thể lao động tiên tiến. `approved_reports_by_phase` maps phase number to
    {unit code: report id}."""
    phases = sorted(approved_reports_by_phase)
    drafts = []
    for unit_code in sorted(participating_units):
        report_ids = [approved_reports_by_phase[phase].get(unit_code) for phase in phases]
        if not phases or None in report_ids:
            continue
        evidence = "; ".join(
            f"đợt {phase}: báo cáo {report_id}"
            for phase, report_id in zip(phases, report_ids, strict=True)
        )
        drafts.append(
            NominationDraft(
                subject_kind="unit",
                subject_code=unit_code,
                title=ADVANCED_LABOUR_COLLECTIVE,
                basis=f"{_all_phases_approved(len(phases))} ({evidence}).",
            )
        )
    return drafts


def _all_phases_approved(phase_count: int) -> str:
    if phase_count == 1:
        return "Báo cáo của đợt thi đua duy nhất được phê duyệt"
    return f"Báo cáo của cả {phase_count} đợt đều được phê duyệt"
