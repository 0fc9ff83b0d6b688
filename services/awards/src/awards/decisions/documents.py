"""The decision as an administrative document (DOCX, PDF), as it was signed, and its award list
as a workbook. `unit_names` names the units by their codes (the campaign's units)."""

from collections.abc import Mapping

from awards.council.documents import COUNCIL
from awards.decisions.models import Decision, DecisionAward
from thidua_shared.contracts.vocabulary import TITLES
from thidua_shared.documents import (
    AdministrativeDocument,
    Annex,
    Section,
    Sheet,
    Signature,
    Table,
    format_vnd,
    render_xlsx,
)

SUBJECT_KINDS = {"unit": "Tập thể", "person": "Cá nhân"}
LIST_HEADERS = ("STT", "Tập thể/Cá nhân", "Đơn vị", "Danh hiệu, hình thức khen thưởng", "Hệ số")


def _title_label(code: str) -> str:
    return TITLES.get(code, code)


def _subject_label(award: DecisionAward) -> str:
    kind = SUBJECT_KINDS.get(award.subject_kind, award.subject_kind)
    return f"{kind} {award.subject_name or award.subject_code}"


def _multiplier_text(award: DecisionAward) -> str:
    return f"{award.multiplier.normalize():f}".replace(".", ",")


def _award_rows(
    awards: list[DecisionAward], unit_names: Mapping[str, str]
) -> list[list[str | int]]:
    return [
        [
            n,
            _subject_label(a),
            unit_names.get(a.unit_code, a.unit_code),
            _title_label(a.title),
            _multiplier_text(a),
            format_vnd(a.bonus_vnd),
        ]
        for n, a in enumerate(awards, start=1)
    ]


def head_title(decision: Decision) -> str:
    """The head of the agency, also when a deputy signs for them ("KT. GIÁM ĐỐC" signs for the
    GIÁM ĐỐC): "Giám đốc"."""
    head = decision.signer_authority.split(".", 1)[-1] if decision.signer_authority else ""
    return (head.strip() or decision.signer_title).capitalize()


def authority(decision: Decision) -> str:
    """Who decides, before the grounds: "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG"."""
    return f"{head_title(decision)} {decision.issuing_agency}".upper()


def without_note(rule: str) -> str:
    """The rounding rule as the decision states it: the stored text ends with its source note
    in parentheses, which a document never shows."""
    return rule.split(" (", 1)[0]


def decision_document(
    decision: Decision, unit_names: Mapping[str, str] | None = None
) -> AdministrativeDocument:
    """Every award it gave, also one revoked since: a revocation is a decision of its own."""
    awards = list(decision.awards)
    total = sum(award.bonus_vnd for award in awards)
    titles = ", ".join(sorted({_title_label(a.title) for a in awards})) or "khen thưởng"
    return AdministrativeDocument(
        issuing_agency=decision.issuing_agency,
        parent_agency=decision.parent_agency,
        document_number=decision.number,
        place=decision.place,
        issued_on=decision.decided_on,
        kind="QUYẾT ĐỊNH",
        title=f"Về việc tặng danh hiệu thi đua và hình thức khen thưởng ({titles})",
        authority=authority(decision),
        preamble=list(decision.preamble),
        proposals=[decision.proposal or f"Xét đề nghị của {COUNCIL} {decision.issuing_agency}."],
        sections=[
            Section(
                heading="QUYẾT ĐỊNH:",
                centred=True,
                paragraphs=[
                    f"Điều 1. Tặng danh hiệu thi đua, hình thức khen thưởng cho {len(awards)} "
                    "tập thể, cá nhân có tên trong Danh sách kèm theo Quyết định này, đã được "
                    f"{COUNCIL} xét chọn và công khai lấy ý kiến theo quy định.",
                    "Điều 2. Tiền thưởng được tính bằng hệ số nhân với mức lương cơ sở "
                    f"{format_vnd(decision.base_salary_vnd)} đồng ({decision.base_salary_source}), "
                    f"{without_note(decision.rounding_rule)}. Tổng số tiền thưởng: "
                    f"{format_vnd(total)} đồng, chi từ Quỹ thi đua, khen thưởng theo quy định.",
                    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ "
                    "trưởng các đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 "
                    "chịu trách nhiệm thi hành Quyết định này.",
                ],
            ),
        ],
        signatures=[
            Signature(
                authority=decision.signer_authority,
                title=decision.signer_title,
                name=decision.signer_name,
            )
        ],
        recipients=list(decision.recipients),
        annexes=[
            Annex(
                title="DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
                table=Table(
                    [*LIST_HEADERS, "Tiền thưởng (đồng)"], _award_rows(awards, unit_names or {})
                ),
            )
        ],
    )


def award_list_workbook(decision: Decision) -> bytes:
    rows: list[list[str | int | float | None]] = [
        [
            n,
            SUBJECT_KINDS.get(a.subject_kind, a.subject_kind),
            a.subject_code,
            a.subject_name,
            a.unit_code,
            _title_label(a.title),
            float(a.multiplier),
            a.bonus_vnd,
            "Đã hủy bỏ: " + (a.revocation_reason or "") if a.revoked_at else "",
        ]
        for n, a in enumerate(decision.awards, start=1)
    ]
    sheet = Sheet(
        title="Danh sách khen thưởng",
        heading=(
            f"Danh sách khen thưởng kèm theo Quyết định số {decision.number} ngày "
            f"{decision.decided_on:%d/%m/%Y}; mức lương cơ sở "
            f"{format_vnd(decision.base_salary_vnd)} đồng"
        ),
        headers=[
            "STT",
            "Tập thể/Cá nhân",
            "Mã",
            "Họ tên / Tên đơn vị",
            "Đơn vị",
            "Danh hiệu, hình thức khen thưởng",
            "Hệ số",
            "Tiền thưởng (đồng)",
            "Ghi chú",
        ],
        rows=rows,
    )
    return render_xlsx([sheet])
