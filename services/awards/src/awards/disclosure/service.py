"""Disclosure use cases (công khai): the council's approved list published for comment during a
period counted in working days, comments and complaints recorded and answered. They flush,
never commit; the disclosure records `nominations.disclosed`."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awards import events
from awards.common.calendar import agency_calendar, vietnam_today
from awards.council.rules import council_rules
from awards.council.service import get_meeting
from awards.disclosure.codes import CommentKind
from awards.disclosure.models import Disclosure, DisclosureComment
from awards.disclosure.schemas import AnswerCreate, CommentCreate, DisclosureCreate
from awards.read_model.models import Campaign
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable


def _already_disclosed(meeting_id: UUID) -> Conflict:
    return Conflict(
        f"The approved list of council session {meeting_id} is already disclosed.",
        field="session_id",
    )


async def disclose(session: AsyncSession, data: DisclosureCreate) -> Disclosure:
    today = vietnam_today(now())
    starts_on = data.starts_on or today
    if starts_on < today:
        raise Unprocessable("A comment period cannot start in the past.", field="starts_on")
    # The meeting's row lock makes this check and the insert below one step.
    meeting = await get_meeting(session, data.session_id, lock=True)
    existing = await session.execute(
        select(Disclosure.id).where(Disclosure.session_id == data.session_id)
    )
    if existing.first() is not None:
        raise _already_disclosed(data.session_id)
    approved = [vote for vote in meeting.votes if vote.approved]
    if not approved:
        raise Conflict(
            "The council approved no nomination in this session; there is nothing to disclose.",
            field="session_id",
        )
    campaign = await session.get(Campaign, meeting.campaign_id)
    rules = council_rules(campaign.rule_set if campaign else None)
    period = rules.comment_period({vote.title for vote in approved})
    comment_from, comment_until = agency_calendar().period(starts_on, period.working_days)
    disclosure = Disclosure(
        campaign_id=meeting.campaign_id,
        session_id=meeting.id,
        comment_from=comment_from,
        comment_until=comment_until,
        working_days=period.working_days,
        period_source=period.source,
        items=[
            {
                "subject_kind": vote.subject_kind,
                "subject_code": vote.subject_code,
                "subject_name": vote.subject_name,
                "unit_code": vote.unit_code,
                "title": vote.title,
                "multiplier": str(vote.multiplier),
                "initiative_identifiers": vote.initiative_identifiers,
                "basis": vote.basis,
            }
            for vote in approved
        ],
        disclosed_at=now(),
        comments=[],
    )
    session.add(disclosure)
    await session.flush()
    await events.nominations_disclosed(session, disclosure)
    return disclosure


async def get_disclosure(
    session: AsyncSession, disclosure_id: UUID, *, lock: bool = False
) -> Disclosure:
    query = (
        select(Disclosure)
        .where(Disclosure.id == disclosure_id)
        .options(selectinload(Disclosure.comments))
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=Disclosure)
    disclosure = (await session.execute(query)).scalar_one_or_none()
    if disclosure is None:
        raise NotFound(f"No disclosure {disclosure_id}.", field="disclosure_id")
    return disclosure


async def list_disclosures(session: AsyncSession, campaign_id: UUID) -> Sequence[Disclosure]:
    rows = await session.execute(
        select(Disclosure)
        .where(Disclosure.campaign_id == campaign_id)
        .order_by(Disclosure.disclosed_at)
    )
    return rows.scalars().all()


def period_has_ended(disclosure: Disclosure, today: date) -> bool:
    return today > disclosure.comment_until


async def record_comment(
    session: AsyncSession, disclosure_id: UUID, data: CommentCreate
) -> DisclosureComment:
    disclosure = await get_disclosure(session, disclosure_id, lock=True)
    if period_has_ended(disclosure, vietnam_today(now())):
        raise Conflict(
            f"The comment period ended on {disclosure.comment_until:%d/%m/%Y}.",
            field="disclosure_id",
        )
    disclosed = {item["subject_code"] for item in disclosure.items}
    if data.subject_code is not None and data.subject_code not in disclosed:
        raise Unprocessable(
            f"{data.subject_code} is not on this disclosed list.", field="subject_code"
        )
    comment = DisclosureComment(
        kind=data.kind,
        author=data.author,
        content=data.content,
        subject_code=data.subject_code,
        received_at=now(),
    )
    disclosure.comments.append(comment)
    await session.flush()
    return comment


async def answer_comment(
    session: AsyncSession, disclosure_id: UUID, comment_id: UUID, data: AnswerCreate
) -> DisclosureComment:
    disclosure = await get_disclosure(session, disclosure_id, lock=True)
    comment = next((c for c in disclosure.comments if c.id == comment_id), None)
    if comment is None:
        raise NotFound(f"No comment {comment_id} on this disclosure.", field="comment_id")
    if comment.answered_at is not None:
        raise Conflict("This comment has already been answered.", field="comment_id")
    comment.answer = data.answer
    comment.answered_at = now()
    await session.flush()
    return comment


def unanswered_complaints(disclosure: Disclosure) -> list[DisclosureComment]:
    return [
        c for c in disclosure.comments if c.kind == CommentKind.COMPLAINT and c.answered_at is None
    ]
