"""Dossier use cases (hồ sơ đề nghị khen thưởng): draft one for a higher authority from a
disclosed list, send it, take it back for more documents, and record that authority's decision,
which goes into the award history and is announced like the agency's own. They flush, never
commit."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from awards import events
from awards.common.calendar import vietnam_today
from awards.config import agency_level
from awards.decisions.bonus import settle_bonuses
from awards.decisions.models import Decision
from awards.decisions.salary import default_multipliers, salary_table
from awards.disclosure.service import get_disclosure, period_has_ended
from awards.dossier.authority import authority_file, split
from awards.dossier.codes import ADDRESSEES, Authority, DossierStatus
from awards.dossier.models import Dossier
from awards.dossier.schemas import (
    DossierCreate,
    DossierReturned,
    DossierSent,
    HigherDecisionCreate,
)
from awards.history.service import HistoryRecord, record_decided_awards
from awards.read_model.models import Campaign
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable

Key = tuple[str, str, str]
CHAIRMEN = (Authority.PROVINCIAL_CHAIRMAN, Authority.DISTRICT_CHAIRMAN)


def key(item: dict[str, Any]) -> Key:
    return (str(item["subject_kind"]), str(item["subject_code"]), str(item["title"]))


def addressee(authority: Authority, parent_agency: str) -> str:
    """ "Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai" from the governing body "UBND tỉnh Đồng Nai"."""
    body = parent_agency.strip()
    if authority in CHAIRMEN and body:
        if body.upper().startswith("UBND"):
            body = "Ủy ban nhân dân" + body[4:]
        return f"Chủ tịch {body}"
    return ADDRESSEES[authority]


async def _withheld_by_agency(session: AsyncSession, disclosure_id: UUID) -> set[Key]:
    """What the agency's own decision on the list withheld (a complaint upheld, …) is not
    proposed either."""
    decision = await session.scalar(select(Decision).where(Decision.disclosure_id == disclosure_id))
    return {key(entry) for entry in decision.withheld} if decision else set()


async def draft(session: AsyncSession, data: DossierCreate) -> Dossier:
    disclosure = await get_disclosure(session, data.disclosure_id, lock=True)
    if not period_has_ended(disclosure, vietnam_today(now())):
        raise Conflict(
            "Disclosure rule: the list goes up only after its comment period "
            f"(until {disclosure.comment_until:%d/%m/%Y}).",
            field="disclosure_id",
            rule="disclosure_period",
        )
    campaign = await session.get(Campaign, disclosure.campaign_id)
    rule_set = (campaign.rule_set if campaign else None) or ""
    level = agency_level()
    proposed = split(disclosure.items, rule_set, level).proposed
    if data.authority in authority_file(rule_set).own(level):
        raise Unprocessable(
            f"A {level} decides what {data.authority} grants itself; no dossier goes up.",
            field="authority",
        )
    withheld = await _withheld_by_agency(session, disclosure.id)
    items = [item for item in proposed.get(data.authority, []) if key(item) not in withheld]
    if not items:
        raise Unprocessable(
            f"The disclosed list holds nothing for {data.authority} to decide.", field="authority"
        )
    parent = data.parent_agency or (campaign.parent_agency if campaign else "")
    dossier = Dossier(
        campaign_id=disclosure.campaign_id,
        disclosure_id=disclosure.id,
        authority=data.authority,
        status=DossierStatus.DRAFTED,
        rule_set=rule_set,
        number=data.number,
        drafted_on=data.drafted_on,
        place=data.place,
        issuing_agency=data.issuing_agency or (campaign.issuing_agency if campaign else ""),
        parent_agency=parent,
        addressee=addressee(data.authority, parent),
        signer_authority=data.signer_authority,
        signer_title=data.signer_title,
        signer_name=data.signer_name,
        items=items,
        created_at=now(),
    )
    session.add(dossier)
    try:
        await session.flush()
    except IntegrityError as exc:
        if "uq_dossiers_number" in str(exc):
            raise Conflict(f"Tờ trình number {data.number} is taken.", field="number") from exc
        raise Conflict(
            f"A dossier to {data.authority} on this list exists already.", field="authority"
        ) from exc
    return dossier


async def get_dossier(session: AsyncSession, dossier_id: UUID, *, lock: bool = False) -> Dossier:
    query = (
        select(Dossier).where(Dossier.id == dossier_id).execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update()
    dossier = (await session.execute(query)).scalar_one_or_none()
    if dossier is None:
        raise NotFound(f"No dossier {dossier_id}.", field="dossier_id")
    return dossier


async def list_dossiers(session: AsyncSession, campaign_id: UUID) -> Sequence[Dossier]:
    rows = await session.execute(
        select(Dossier).where(Dossier.campaign_id == campaign_id).order_by(Dossier.drafted_on)
    )
    return rows.scalars().all()


def _expect(dossier: Dossier, *statuses: DossierStatus, doing: str) -> None:
    if dossier.status not in statuses:
        raise Conflict(
            f"Dossier {dossier.number} is {dossier.status}; it cannot be {doing}.",
            field="dossier_id",
            rule="dossier_status",
        )


async def send(session: AsyncSession, dossier_id: UUID, data: DossierSent) -> Dossier:
    dossier = await get_dossier(session, dossier_id, lock=True)
    _expect(dossier, DossierStatus.DRAFTED, DossierStatus.RETURNED, doing="sent")
    if data.sent_on < dossier.drafted_on:
        raise Unprocessable(
            f"A dossier cannot be sent before its tờ trình of {dossier.drafted_on:%d/%m/%Y}.",
            field="sent_on",
        )
    dossier.status = DossierStatus.SENT
    dossier.sent_number = data.number or dossier.number
    dossier.sent_on = data.sent_on
    await session.flush()
    return dossier


async def return_for_documents(
    session: AsyncSession, dossier_id: UUID, data: DossierReturned
) -> Dossier:
    dossier = await get_dossier(session, dossier_id, lock=True)
    _expect(dossier, DossierStatus.SENT, doing="returned")
    if dossier.sent_on and data.returned_on < dossier.sent_on:
        raise Unprocessable(
            f"The dossier was sent on {dossier.sent_on:%d/%m/%Y}.", field="returned_on"
        )
    dossier.status = DossierStatus.RETURNED
    dossier.returns = [
        *dossier.returns,
        {"returned_on": data.returned_on.isoformat(), "reason": data.reason},
    ]
    await session.flush()
    return dossier


def _outcomes(
    dossier: Dossier, data: HigherDecisionCreate
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Each proposal granted or refused, once; by default what is not refused is granted."""
    proposals = {key(item): item for item in dossier.items}
    refused: dict[Key, dict[str, str]] = {}
    for n, entry in enumerate(data.refused):
        entry_key: Key = (entry.subject_kind, entry.subject_code, entry.title)
        if entry_key not in proposals:
            raise Unprocessable(
                f"{entry.subject_code} was not proposed for {entry.title}.", field=f"refused.{n}"
            )
        refused[entry_key] = entry.model_dump(mode="json")
    if data.granted is None:
        granted = [item for k, item in proposals.items() if k not in refused]
    else:
        granted = []
        for n, grant in enumerate(data.granted):
            grant_key: Key = (grant.subject_kind, grant.subject_code, grant.title)
            if grant_key not in proposals or grant_key in refused:
                raise Unprocessable(
                    f"{grant.subject_code} for {grant.title} was not proposed, or is refused.",
                    field=f"granted.{n}",
                )
            granted.append(proposals[grant_key])
        unsaid = len(proposals) - len(granted) - len(refused)
        if unsaid:
            raise Unprocessable(
                f"{unsaid} proposal(s) are neither granted nor refused.", field="granted"
            )
    return granted, list(refused.values())


def _granted_award(item: dict[str, Any], rule_set: str, base_salary_vnd: int) -> dict[str, Any]:
    compiled = Decimal(str(item.get("multiplier") or 0))
    if compiled > 0:
        multiplier, source = compiled, f"rule set {rule_set}"
    else:
        fallback = default_multipliers().get(str(item["title"]))
        if fallback is None:
            raise Unprocessable(
                f"No bonus multiplier is configured for title {item['title']}.", field="granted"
            )
        multiplier, source = fallback.value, fallback.source
    return {
        "subject_kind": item["subject_kind"],
        "subject_code": item["subject_code"],
        "subject_name": item.get("subject_name", ""),
        "unit_code": item.get("unit_code", ""),
        "title": item["title"],
        "multiplier": float(multiplier),
        "multiplier_source": source,
        "bonus_vnd": salary_table().bonus(multiplier, base_salary_vnd),
    }


@dataclass
class _Grant:
    subject_kind: str
    subject_code: str
    title: str
    multiplier_source: str
    bonus_vnd: int


def _settle(granted: list[dict[str, Any]], rule_set: str) -> None:
    """The higher decision pays several titles of one achievement as the agency's own does:
    only the highest bonus (the rule set's bonus principle, e.g. a unit's flag and its TTLĐXS)."""
    grants = [
        _Grant(
            a["subject_kind"], a["subject_code"], a["title"], a["multiplier_source"], a["bonus_vnd"]
        )
        for a in granted
    ]
    settle_bonuses(grants, rule_set)
    for award, grant in zip(granted, grants, strict=True):
        award["bonus_vnd"], award["multiplier_source"] = grant.bonus_vnd, grant.multiplier_source


async def record_decision(
    session: AsyncSession, dossier_id: UUID, data: HigherDecisionCreate
) -> Dossier:
    dossier = await get_dossier(session, dossier_id, lock=True)
    _expect(dossier, DossierStatus.SENT, doing="decided before it is sent, or again")
    if dossier.sent_on and data.decided_on < dossier.sent_on:
        raise Unprocessable(
            f"The dossier was sent on {dossier.sent_on:%d/%m/%Y}.", field="decided_on"
        )
    rate = salary_table().rate_on(data.decided_on)
    if rate is None:
        raise Unprocessable(
            f"No base salary (mức lương cơ sở) is configured for {data.decided_on:%d/%m/%Y}.",
            field="decided_on",
        )
    granted_items, refused = _outcomes(dossier, data)
    granted = [_granted_award(i, dossier.rule_set, rate.amount_vnd) for i in granted_items]
    _settle(granted, dossier.rule_set)
    regime = authority_file(dossier.rule_set)
    dossier.status = DossierStatus.DECIDED
    dossier.decision_id = uuid4()
    dossier.decision_number = data.number
    dossier.decided_on = data.decided_on
    dossier.decision_signer_title = data.signer_title
    dossier.decision_signer_name = data.signer_name
    dossier.granted = granted
    dossier.refused = refused
    dossier.base_salary_vnd = rate.amount_vnd
    dossier.base_salary_source = f"{rate.source}, từ {rate.starts_on:%d/%m/%Y}"
    dossier.fund = regime.fund(dossier.authority)
    dossier.fund_citation = regime.funds.citation
    dossier.total_bonus_vnd = sum(award["bonus_vnd"] for award in granted)
    dossier.decided_at = now()
    await session.flush()
    campaign = await session.get(Campaign, dossier.campaign_id)
    year = campaign.year if campaign and campaign.year else data.decided_on.year
    await record_decided_awards(
        session,
        [
            HistoryRecord(
                subject_kind=award["subject_kind"],
                subject_code=award["subject_code"],
                year=year,
                title=award["title"],
                subject_name=award["subject_name"],
                unit_code=award["unit_code"],
                initiative_identifiers=item.get("initiative_identifiers", []),
                decision_id=dossier.decision_id,
            )
            for award, item in zip(granted, granted_items, strict=True)
        ],
    )
    await events.higher_award_decided(session, dossier)
    return dossier
