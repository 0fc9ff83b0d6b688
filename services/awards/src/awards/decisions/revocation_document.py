"""The revocation decision (quyết định hủy bỏ quyết định khen thưởng) of one award: what is
revoked and why, the bonus to be recovered into the emulation and commendation fund, under the
law and the decree in force on its own date and the decision it revokes."""

from collections.abc import Mapping

from awards.council.documents import COUNCIL
from awards.decisions.documents import SUBJECT_KINDS, authority, head_title
from awards.decisions.grounds import regime_grounds, regime_on
from awards.decisions.models import Decision, DecisionAward
from awards.read_model.models import Campaign
from thidua_shared.contracts.vocabulary import TITLES
from thidua_shared.documents import AdministrativeDocument, Section, Signature, format_vnd


def _number(decision: Decision, award: DecisionAward) -> str:
    """Its own number, or the decision's symbol after a blank, as a draft awaits its number."""
    if award.revocation_number:
        return award.revocation_number
    _, _, symbol = decision.number.partition("/")
    return f"     /{symbol}" if symbol else ""


def _signature(decision: Decision, award: DecisionAward) -> Signature:
    """The decision's signer keeps the authority they signed under ("KT. GIÁM ĐỐC")."""
    title = award.revocation_signer_title or decision.signer_title
    same_signer = title == decision.signer_title
    return Signature(
        authority=decision.signer_authority if same_signer else "",
        title=title,
        name=award.revocation_signer_name or decision.signer_name,
    )


def revocation_document(
    decision: Decision,
    award: DecisionAward,
    campaign: Campaign | None,
    unit_names: Mapping[str, str] | None = None,
) -> AdministrativeDocument:
    """For a revoked award (`award.revoked_on` set)."""
    revoked_on = award.revoked_on or decision.decided_on
    entry = regime_on(revoked_on, campaign.rule_set if campaign else None)
    title = TITLES.get(award.title, award.title)
    kind = SUBJECT_KINDS.get(award.subject_kind, award.subject_kind).lower()
    subject = f"{kind} {award.subject_name or award.subject_code}"
    unit = (unit_names or {}).get(award.unit_code, award.unit_code)
    of_unit = f" ({unit})" if unit and unit != award.subject_name else ""
    issued = f"Quyết định số {decision.number} ngày {decision.decided_on:%d/%m/%Y}"
    recovered = award.bonus_recovered_vnd or award.bonus_vnd
    reason = (award.revocation_reason or "").strip().rstrip(".")
    return AdministrativeDocument(
        issuing_agency=decision.issuing_agency,
        parent_agency=decision.parent_agency,
        document_number=_number(decision, award),
        place=decision.place,
        issued_on=revoked_on,
        kind="QUYẾT ĐỊNH",
        title=f"Về việc hủy bỏ quyết định khen thưởng danh hiệu {title} đối với {subject}",
        authority=authority(decision),
        preamble=[
            *(regime_grounds(entry) if entry else []),
            f"Căn cứ {issued} của {head_title(decision)} {decision.issuing_agency} về việc tặng "
            "danh hiệu thi đua và hình thức khen thưởng;",
        ],
        proposals=[f"Xét đề nghị của {COUNCIL} {decision.issuing_agency}."],
        sections=[
            Section(
                heading="QUYẾT ĐỊNH:",
                centred=True,
                paragraphs=[
                    f"Điều 1. Hủy bỏ việc tặng danh hiệu {title} cho {subject}{of_unit} tại "
                    f"{issued}. Lý do: {reason}.",
                    f"Điều 2. Thu hồi số tiền thưởng {format_vnd(recovered)} đồng đã chi theo "
                    f"{issued}, nộp lại Quỹ thi đua, khen thưởng; thu hồi hiện vật khen thưởng "
                    "đã trao.",
                    "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ "
                    f"trưởng {unit or 'đơn vị có liên quan'} và {subject} chịu trách nhiệm thi "
                    "hành Quyết định này.",
                ],
            ),
        ],
        signatures=[_signature(decision, award)],
        recipients=["Như Điều 3", "Lưu: VT"],
    )
