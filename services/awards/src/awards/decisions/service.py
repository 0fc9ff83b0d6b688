"""Decision use cases (quyết định khen thưởng): issue a decision on a disclosed list once its
comment period is over, granting only the titles within the agency head's authority (the rest
go up in a dossier, awards.dossier), each award's bonus from the base salary of the decision
date; revoke an award. They flush, never commit; each records its event and the award history."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awards import events
from awards.common.calendar import vietnam_today
from awards.config import agency_level
from awards.council.service import get_meeting, meeting_number
from awards.decisions.bonus import settle_bonuses
from awards.decisions.grounds import council_proposal, decision_grounds
from awards.decisions.models import Decision, DecisionAward
from awards.decisions.salary import Multiplier, default_multipliers, salary_table
from awards.decisions.schemas import DecisionCreate, RevocationCreate
from awards.disclosure.service import get_disclosure, period_has_ended, unanswered_complaints
from awards.dossier.authority import split
from awards.history.service import HistoryRecord, record_decided_awards, revoke_history_entry
from awards.read_model.models import Campaign
from thidua_shared.contracts.vocabulary import SubjectKind
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable


def _multiplier(item: dict[str, Any], rule_set: str) -> Multiplier:
    """The campaign's rule set gives the multiplier with the nomination; a title it has none
    for (the flag, bằng khen, giấy khen) takes the agency's table."""
    compiled = Decimal(str(item.get("multiplier") or 0))
    if compiled > 0:
        return Multiplier(compiled, f"rule set {rule_set}" if rule_set else "rule set")
    fallback = default_multipliers().get(str(item["title"]))
    if fallback is None:
        raise Unprocessable(
            f"No bonus multiplier is configured for title {item['title']}.", field="disclosure_id"
        )
    return fallback


def _key(item: dict[str, Any]) -> tuple[str, str, str]:
    return (str(item["subject_kind"]), str(item["subject_code"]), str(item["title"]))


def _withheld(
    items: list[dict[str, Any]], data: DecisionCreate
) -> dict[tuple[str, str, str], dict[str, str]]:
    disclosed = {_key(item) for item in items}
    withheld: dict[tuple[str, str, str], dict[str, str]] = {}
    for n, entry in enumerate(data.withheld):
        key: tuple[str, str, str] = (entry.subject_kind, entry.subject_code, entry.title)
        if key not in disclosed:
            raise Unprocessable(
                f"{entry.subject_code} was not disclosed for {entry.title}.",
                field=f"withheld.{n}",
            )
        withheld[key] = {
            "subject_kind": entry.subject_kind,
            "subject_code": entry.subject_code,
            "title": entry.title,
            "reason": entry.reason,
        }
    return withheld


def _awards(
    items: list[dict[str, Any]],
    withheld: dict[tuple[str, str, str], dict[str, str]],
    rule_set: str,
    base_salary_vnd: int,
) -> list[DecisionAward]:
    # Collectives are listed before individuals, as decisions list them.
    awarded = sorted(
        (item for item in items if _key(item) not in withheld),
        key=lambda item: (
            item["subject_kind"] != SubjectKind.UNIT,
            item["unit_code"],
            item["subject_code"],
        ),
    )
    if not awarded:
        raise Unprocessable("Every disclosed nomination is withheld.", field="withheld")
    awards = []
    for position, item in enumerate(awarded, start=1):
        multiplier = _multiplier(item, rule_set)
        awards.append(
            DecisionAward(
                position=position,
                subject_kind=item["subject_kind"],
                subject_code=item["subject_code"],
                subject_name=item["subject_name"],
                unit_code=item["unit_code"],
                title=item["title"],
                multiplier=multiplier.value,
                multiplier_source=multiplier.source,
                bonus_vnd=salary_table().bonus(multiplier.value, base_salary_vnd),
            )
        )
    settle_bonuses(awards, rule_set)
    return awards


async def issue(session: AsyncSession, data: DecisionCreate) -> Decision:
    disclosure = await get_disclosure(session, data.disclosure_id, lock=True)
    if not period_has_ended(disclosure, vietnam_today(now())):
        raise Conflict(
            "Disclosure rule: the decision cannot be issued before the comment period ends "
            f"({disclosure.working_days} working days, until "
            f"{disclosure.comment_until:%d/%m/%Y}).",
            field="disclosure_id",
            rule="disclosure_period",
        )
    if data.decided_on <= disclosure.comment_until:
        raise Unprocessable(
            f"The decision date must follow the comment period, which ends on "
            f"{disclosure.comment_until:%d/%m/%Y}.",
            field="decided_on",
        )
    if open_complaints := unanswered_complaints(disclosure):
        raise Conflict(
            f"{len(open_complaints)} complaint(s) on the disclosed list are not answered yet.",
            field="disclosure_id",
            rule="complaints_answered",
        )
    await _check_unique(session, data)
    rate = salary_table().rate_on(data.decided_on)
    if rate is None:
        raise Unprocessable(
            f"No base salary (mức lương cơ sở) is configured for {data.decided_on:%d/%m/%Y}.",
            field="decided_on",
        )
    withheld = _withheld(disclosure.items, data)
    campaign = await session.get(Campaign, disclosure.campaign_id)
    rule_set = (campaign.rule_set if campaign else None) or ""
    # The agency grants only what its head may decide; the rest goes up in a dossier.
    own = split(disclosure.items, rule_set, agency_level()).own
    awards = _awards(own, withheld, rule_set, rate.amount_vnd)
    meeting = await get_meeting(session, disclosure.session_id)
    minutes_number = await meeting_number(session, meeting)
    decision = Decision(
        campaign_id=disclosure.campaign_id,
        disclosure_id=disclosure.id,
        number=data.number,
        decided_on=data.decided_on,
        place=data.place,
        issuing_agency=data.issuing_agency,
        parent_agency=data.parent_agency,
        signer_authority=data.signer_authority,
        signer_title=data.signer_title,
        signer_name=data.signer_name,
        preamble=decision_grounds(data.decided_on, campaign, data.preamble),
        proposal=council_proposal(data.issuing_agency, minutes_number, meeting.held_on),
        recipients=list(data.recipients),
        base_salary_vnd=rate.amount_vnd,
        base_salary_source=f"{rate.source}, từ {rate.starts_on:%d/%m/%Y}",
        rounding_rule=salary_table().rounding.describe(),
        total_bonus_vnd=sum(award.bonus_vnd for award in awards),
        withheld=list(withheld.values()),
        issued_at=now(),
        awards=awards,
    )
    session.add(decision)
    try:
        await session.flush()
    except IntegrityError as exc:
        if "uq_decisions_number" in str(exc):
            raise Conflict(f"Decision number {data.number} is taken.", field="number") from exc
        raise Conflict(
            "A decision has already been issued on this disclosed list.", field="disclosure_id"
        ) from exc
    year = campaign.year if campaign and campaign.year else data.decided_on.year
    initiatives = {
        (item["subject_kind"], item["subject_code"], item["title"]): item.get(
            "initiative_identifiers", []
        )
        for item in disclosure.items
    }
    await record_decided_awards(
        session,
        [
            HistoryRecord(
                subject_kind=award.subject_kind,
                subject_code=award.subject_code,
                year=year,
                title=award.title,
                subject_name=award.subject_name,
                unit_code=award.unit_code,
                initiative_identifiers=initiatives[
                    (award.subject_kind, award.subject_code, award.title)
                ],
                decision_id=decision.id,
            )
            for award in awards
        ],
    )
    await events.award_decided(session, decision)
    return decision


async def _check_unique(session: AsyncSession, data: DecisionCreate) -> None:
    """The caller holds the disclosure's row lock; two decisions with one number on different
    lists at once are caught by the unique constraint instead."""
    taken = await session.execute(
        select(Decision.disclosure_id, Decision.number).where(
            (Decision.disclosure_id == data.disclosure_id) | (Decision.number == data.number)
        )
    )
    for disclosure_id, number in taken.all():
        if disclosure_id == data.disclosure_id:
            raise Conflict(
                f"Decision {number} was already issued on this disclosed list.",
                field="disclosure_id",
            )
        raise Conflict(f"Decision number {data.number} is taken.", field="number")


async def get_decision(session: AsyncSession, decision_id: UUID, *, lock: bool = False) -> Decision:
    query = (
        select(Decision)
        .where(Decision.id == decision_id)
        .options(selectinload(Decision.awards))
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=Decision)
    decision = (await session.execute(query)).scalar_one_or_none()
    if decision is None:
        raise NotFound(f"No decision {decision_id}.", field="decision_id")
    return decision


async def list_decisions(session: AsyncSession, campaign_id: UUID) -> Sequence[Decision]:
    rows = await session.execute(
        select(Decision).where(Decision.campaign_id == campaign_id).order_by(Decision.decided_on)
    )
    return rows.scalars().all()


async def revoke(session: AsyncSession, decision_id: UUID, data: RevocationCreate) -> Decision:
    decision = await get_decision(session, decision_id, lock=True)
    award = next(
        (
            a
            for a in decision.awards
            if (a.subject_kind, a.subject_code, a.title)
            == (data.subject_kind, data.subject_code, data.title)
        ),
        None,
    )
    if award is None:
        raise NotFound(
            f"Decision {decision.number} gives no {data.title} to {data.subject_code}.",
            field="subject_code",
        )
    if award.revoked_at is not None:
        raise Conflict(
            f"This award was already revoked on {award.revoked_at:%d/%m/%Y}.",
            field="subject_code",
        )
    revoked_at = now()
    revoked_on = data.decided_on or vietnam_today(revoked_at)
    if revoked_on < decision.decided_on:
        raise Unprocessable(
            f"A revocation cannot precede the decision of {decision.decided_on:%d/%m/%Y}.",
            field="decided_on",
        )
    award.revoked_at = revoked_at
    award.revocation_reason = data.reason
    award.revocation_number = data.number
    award.revoked_on = revoked_on
    award.revocation_signer_title = data.signer_title or decision.signer_title
    award.revocation_signer_name = data.signer_name or decision.signer_name
    # The bonus paid is recovered; the decision's total keeps the awards in force only.
    award.bonus_recovered_vnd = award.bonus_vnd
    decision.total_bonus_vnd -= award.bonus_vnd
    await session.flush()
    await revoke_history_entry(
        session,
        decision_id=decision.id,
        subject_kind=award.subject_kind,
        subject_code=award.subject_code,
        title=award.title,
        reason=data.reason,
        at=revoked_at,
    )
    await events.award_revoked(session, decision, award, data.reason, revoked_at)
    return decision
