"""The covenant as a document (văn bản giao ước thi đua): its content and every unit's signature."""

import re
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from pledges import covenants
from pledges.models import Campaign, Covenant, CovenantSignature
from pledges.read_model import campaigns
from pledges.read_model.campaigns import VIETNAM
from thidua_shared.documents import AdministrativeDocument, Section, Signature, Table
from thidua_shared.platform.auth import Principal

KIND = "GIAO ƯỚC THI ĐUA"
# A plan's title may repeat its kind ("Kế hoạch phát động …"); the căn cứ names it once.
_LEADING_KIND = re.compile(r"^\s*kế hoạch\s+", re.IGNORECASE)
# Where no number was given, the space an office fills in by hand.
UNNUMBERED = "     /GƯTĐ"
RECIPIENTS = (
    "Thường trực Hội đồng Thi đua - Khen thưởng",
    "Các đơn vị thành viên cụm",
    "Lưu: VT",
)


def _moment(value: datetime) -> str:
    return value.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")


async def covenant_document(
    session: AsyncSession, covenant_id: UUID, principal: Principal
) -> AdministrativeDocument:
    view = await covenants.get_covenant(session, covenant_id, principal)
    campaign = await session.get_one(Campaign, view.covenant.campaign_id)
    names = await campaigns.unit_names(session, campaign.id)
    return build(view.covenant, view.member_units, campaign, names)


def build(
    covenant: Covenant, member_units: list[str], campaign: Campaign, names: dict[str, str]
) -> AdministrativeDocument:
    signed = {s.unit_code: s for s in covenant.signatures}
    # Signed units in the order they signed, then those yet to sign.
    order = [s.unit_code for s in covenant.signatures if s.unit_code in member_units]
    order += [u for u in member_units if u not in signed]
    issued = covenant.in_force_at or covenant.created_at
    return AdministrativeDocument(
        parent_agency=campaign.issuing_agency,
        issuing_agency=covenant.cluster,
        document_number=covenant.document_number or UNNUMBERED,
        place=covenant.place or campaign.place_of_issue,
        issued_on=issued.astimezone(VIETNAM).date(),
        kind=KIND,
        title=f"Thực hiện phong trào thi đua năm {campaign.year} của các đơn vị {covenant.cluster}",
        preamble=_preamble(campaign),
        sections=[
            Section(
                heading="I. NỘI DUNG GIAO ƯỚC",
                paragraphs=[f"{i}. {item}" for i, item in enumerate(covenant.items, start=1)],
            ),
            Section(
                heading="II. CÁC ĐƠN VỊ THÀNH VIÊN KÝ KẾT",
                paragraphs=[_standing(covenant, len(signed), len(member_units))],
                table=Table(
                    headers=["STT", "Đơn vị", "Người ký", "Chức vụ", "Thời điểm ký"],
                    rows=[
                        _unit_row(i, names.get(code, code), signed.get(code))
                        for i, code in enumerate(order, start=1)
                    ],
                ),
            ),
        ],
        signatures=[_signature(names.get(code, code), signed.get(code)) for code in order],
        recipients=RECIPIENTS,
    )


def _preamble(campaign: Campaign) -> list[str]:
    """The plan the covenant carries out, named as a căn cứ names an instrument: kind, number,
    date, issuer and subject ("Căn cứ Kế hoạch số 60/KH-STTTT ngày 09/01/2018 của … về …")."""
    number = f" số {campaign.document_number}" if campaign.document_number else ""
    day = f" ngày {campaign.issued_on:%d/%m/%Y}" if campaign.issued_on else ""
    agency = f" của {campaign.issuing_agency}" if campaign.issuing_agency else ""
    subject = _LEADING_KIND.sub("", campaign.title).strip()
    subject = f" về {subject[:1].lower()}{subject[1:]}" if subject else ""
    return [f"Căn cứ Kế hoạch{number}{day}{agency}{subject};"]


def _standing(covenant: Covenant, signed: int, members: int) -> str:
    if covenant.in_force_at is not None:
        since = _moment(covenant.in_force_at)
        return f"Giao ước có hiệu lực từ {since}, khi đủ {members} đơn vị ký."
    return (
        f"Đã có {signed}/{members} đơn vị ký; giao ước có hiệu lực khi tất cả các đơn vị "
        "thành viên đã ký."
    )


def _unit_row(
    number: int, name: str, signature: CovenantSignature | None
) -> list[str | int | None]:
    if signature is None:
        return [number, name, "Chưa ký", None, None]
    signed_at = _moment(signature.signed_at)
    return [number, name, signature.signer_name, signature.signer_title, signed_at]


def _signature(unit_name: str, signature: CovenantSignature | None) -> Signature:
    if signature is None:
        return Signature(authority=f"ĐẠI DIỆN {unit_name}", title="", name="(chưa ký)")
    return Signature(
        authority=f"ĐẠI DIỆN {unit_name}",
        title=signature.signer_title,
        name=signature.signer_name,
        note=f"Đã ký lúc {_moment(signature.signed_at)}",
    )
