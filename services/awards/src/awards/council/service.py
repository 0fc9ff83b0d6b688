"""Council use cases (hội đồng thi đua – khen thưởng): the agenda, meetings with their quorum,
and votes per nomination against the title's threshold. They flush, never commit.

The agenda is the latest compiled version of the campaign's nominations plus the leading unit
of each cluster, elected by the cluster vote, nominated for the emulation flag.
"""

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from sqlalchemy import column, func, select, table, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awards.common.campaigns import launched_campaign
from awards.compile.models import Compilation, Nomination
from awards.compile.rules.ruleset import FlagCriteria
from awards.compile.ruleset_files import rule_set
from awards.council.cascade import Holder, carry_refusals
from awards.council.flag import FlagCheck, check_flag
from awards.council.models import CouncilMeeting, CouncilMember, CouncilVote
from awards.council.rules import council_rules
from awards.council.schemas import (
    Agenda,
    Candidate,
    SessionCreate,
    VotesCreate,
    WithheldCandidate,
)
from awards.read_model.models import ApprovedReport, Campaign, RegisteredMember
from awards.voting.models import ClusterVote
from awards.voting.tally import cluster_label
from thidua_shared.contracts.vocabulary import SubjectKind
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable

FLAG = "co_thi_dua_cap_tinh"
# A disclosed meeting takes no more votes. Disclosure is the next stage and reads this one, so
# this one reads its table by name.
_DISCLOSURES = table("disclosures", column("id"), column("session_id"))

Key = tuple[str, str, str]


def _candidate(
    kind: str,
    code: str,
    name: str,
    unit: str,
    title: str,
    basis: str,
    multiplier: Decimal = Decimal(0),
    initiatives: Sequence[str] = (),
) -> Candidate:
    threshold = council_rules().threshold(title)
    return Candidate(
        subject_kind=kind,
        subject_code=code,
        subject_name=name,
        unit_code=unit,
        title=title,
        basis=basis,
        multiplier=multiplier,
        initiative_identifiers=list(initiatives),
        threshold=threshold.text,
        threshold_source=threshold.source,
    )


async def agenda(session: AsyncSession, campaign_id: UUID) -> Agenda:
    await launched_campaign(session, campaign_id)
    compilation = (
        await session.execute(
            select(Compilation)
            .where(Compilation.campaign_id == campaign_id)
            .order_by(Compilation.version.desc())
            .limit(1)
            .options(selectinload(Compilation.nominations))
        )
    ).scalar_one_or_none()
    candidates = [
        _candidate(
            n.subject_kind,
            n.subject_code,
            n.subject_name,
            n.unit_code,
            n.title,
            n.basis,
            multiplier=n.multiplier,
            initiatives=n.initiative_identifiers,
        )
        for n in (compilation.nominations if compilation else [])
    ]
    nominated = {(c.subject_kind, c.subject_code, c.title) for c in candidates}
    withheld: list[WithheldCandidate] = []
    criteria = await _flag_criteria(session, campaign_id)
    for vote in await _latest_cluster_votes(session, campaign_id):
        names = {row["unit_code"]: row["unit_name"] for row in vote.scores}
        totals = {row["unit_code"]: row["total"] for row in vote.scores}
        valid = vote.ballots_cast - vote.ballots_invalid
        for code in vote.leaders:
            if (SubjectKind.UNIT, code, FLAG) in nominated:
                continue
            basis = (
                f"Đơn vị dẫn đầu {cluster_label(vote.cluster)}: {vote.votes[code]}/{valid} phiếu "
                f"hợp lệ, tổng điểm chấm {totals[code]} (biên bản bình xét ngày "
                f"{vote.held_on:%d/%m/%Y}, vòng {vote.round})."
            )
            name = names.get(code, code)
            if criteria is not None:
                check = await _flag_check(session, campaign_id, code, criteria)
                if not check.passed:
                    reason = f"{basis} {check.line}."
                    withheld.append(WithheldCandidate(**_subject(code, name), reason=reason))
                    continue
                basis = f"{basis} {check.line}."
            candidates.append(_candidate("unit", code, name, code, FLAG, basis))
    return Agenda(
        campaign_id=campaign_id,
        compilation_version=compilation.version if compilation else None,
        candidates=candidates,
        withheld=withheld,
    )


def _subject(code: str, name: str) -> dict[str, str]:
    return {
        "subject_kind": SubjectKind.UNIT,
        "subject_code": code,
        "subject_name": name,
        "unit_code": code,
        "title": FLAG,
    }


async def _flag_criteria(session: AsyncSession, campaign_id: UUID) -> FlagCriteria | None:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.rule_set is None:
        return None
    return rule_set(campaign.rule_set).flag


async def _flag_check(
    session: AsyncSession, campaign_id: UUID, unit_code: str, criteria: FlagCriteria
) -> FlagCheck:
    """Read from the unit's latest approved report, the year-end one."""
    report = (
        await session.execute(
            select(ApprovedReport)
            .where(ApprovedReport.campaign_id == campaign_id, ApprovedReport.unit_code == unit_code)
            .order_by(ApprovedReport.phase_number.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if report is None:
        return check_flag(criteria, None, False, [])
    by_office = report.office_rating is not None
    rating = report.office_rating if by_office else report.self_assessment
    return check_flag(criteria, rating, by_office, report.results)


async def _latest_cluster_votes(session: AsyncSession, campaign_id: UUID) -> list[ClusterVote]:
    rows = await session.execute(
        select(ClusterVote)
        .where(ClusterVote.campaign_id == campaign_id)
        .order_by(ClusterVote.cluster, ClusterVote.round)
    )
    latest: dict[str, ClusterVote] = {}
    for vote in rows.scalars():
        latest[vote.cluster] = vote
    return list(latest.values())


async def open_meeting(session: AsyncSession, data: SessionCreate) -> CouncilMeeting:
    campaign = await launched_campaign(session, data.campaign_id)
    present = sum(1 for member in data.members if member.present)
    meeting = CouncilMeeting(
        campaign_id=data.campaign_id,
        held_on=data.held_on,
        place=data.place,
        members_total=len(data.members),
        members_present=present,
        quorum_met=council_rules(campaign.rule_set).quorum.reached_by(present, len(data.members)),
        created_at=now(),
        members=[
            CouncilMember(position=n, name=m.name, role=m.role, present=m.present)
            for n, m in enumerate(data.members, start=1)
        ],
        votes=[],
    )
    session.add(meeting)
    await session.flush()
    return meeting


async def meeting_number(session: AsyncSession, meeting: CouncilMeeting) -> int:
    """The number on the meeting's minutes: its place among the campaign's meetings, in the
    order they were recorded."""
    earlier = select(func.count()).where(
        CouncilMeeting.campaign_id == meeting.campaign_id,
        tuple_(CouncilMeeting.created_at, CouncilMeeting.id) <= (meeting.created_at, meeting.id),
    )
    return int(await session.scalar(earlier) or 1)


async def get_meeting(
    session: AsyncSession, meeting_id: UUID, *, lock: bool = False
) -> CouncilMeeting:
    query = (
        select(CouncilMeeting)
        .where(CouncilMeeting.id == meeting_id)
        .options(selectinload(CouncilMeeting.members), selectinload(CouncilMeeting.votes))
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=CouncilMeeting)
    meeting = (await session.execute(query)).scalar_one_or_none()
    if meeting is None:
        # The API calls a meeting a session (phiên họp): the message names what the caller sent.
        raise NotFound(f"No council session {meeting_id}.", field="session_id")
    return meeting


async def list_meetings(session: AsyncSession, campaign_id: UUID) -> Sequence[CouncilMeeting]:
    rows = await session.execute(
        select(CouncilMeeting)
        .where(CouncilMeeting.campaign_id == campaign_id)
        .order_by(CouncilMeeting.held_on, CouncilMeeting.created_at)
        .options(selectinload(CouncilMeeting.members), selectinload(CouncilMeeting.votes))
    )
    return rows.scalars().all()


async def meeting_disclosed(session: AsyncSession, meeting_id: UUID) -> bool:
    found = await session.execute(
        select(_DISCLOSURES.c.id).where(_DISCLOSURES.c.session_id == meeting_id)
    )
    return found.first() is not None


def _quorum_not_met(meeting: CouncilMeeting, rule_set: str | None) -> Conflict:
    quorum = council_rules(rule_set).quorum
    return Conflict(
        f"Quorum rule: at least {quorum.text} of the council's members must be present to vote "
        f"({quorum.source}); {meeting.members_present} of {meeting.members_total} are present.",
        field="members",
        rule="quorum",
    )


async def record_votes(
    session: AsyncSession, meeting_id: UUID, data: VotesCreate
) -> CouncilMeeting:
    # The row lock serialises the votes of one meeting with its disclosure.
    meeting = await get_meeting(session, meeting_id, lock=True)
    if not meeting.quorum_met:
        campaign = await session.get(Campaign, meeting.campaign_id)
        raise _quorum_not_met(meeting, campaign.rule_set if campaign else None)
    if await meeting_disclosed(session, meeting.id):
        raise Conflict(
            "This session's list has been disclosed; it takes no more votes.", field="session_id"
        )
    candidates = {
        (c.subject_kind, c.subject_code, c.title): c
        for c in (await agenda(session, meeting.campaign_id)).candidates
    }
    voted: set[Key] = {(v.subject_kind, v.subject_code, v.title) for v in meeting.votes}
    present = meeting.members_present
    for n, entry in enumerate(data.votes):
        key = (entry.subject_kind, entry.subject_code, entry.title)
        field = f"votes.{n}"
        candidate = candidates.get(key)
        if candidate is None:
            raise Unprocessable(
                f"{entry.subject_kind} {entry.subject_code} is not nominated for {entry.title} "
                "on this campaign's agenda.",
                field=field,
            )
        if key in voted:
            raise Conflict(
                f"The council has already voted on {entry.subject_code} for {entry.title}.",
                field=field,
            )
        if entry.votes_for + entry.votes_against > present:
            raise Unprocessable(
                f"{entry.votes_for + entry.votes_against} votes from {present} members present.",
                field=field,
            )
        voted.add(key)
        meeting.votes.append(
            _vote(candidate, entry.votes_for, entry.votes_against, present, entry.reason)
        )
    await _carry_refusals(session, meeting)
    await session.flush()
    return meeting


async def _carry_refusals(session: AsyncSession, meeting: CouncilMeeting) -> None:
    """A refusal reaches every nomination of the meeting whose rule reads the refused title."""
    if all(vote.approved for vote in meeting.votes):
        return
    campaign = await session.get(Campaign, meeting.campaign_id)
    if campaign is None or campaign.rule_set is None:
        return
    latest = (
        select(Compilation.id)
        .where(Compilation.campaign_id == meeting.campaign_id)
        .order_by(Compilation.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    holders = await session.execute(
        select(Nomination.subject_code, Nomination.unit_code, Nomination.title).where(
            Nomination.compilation_id == latest, Nomination.subject_kind == SubjectKind.PERSON
        )
    )
    sizes = await session.execute(
        select(RegisteredMember.unit_code, func.count())
        .where(RegisteredMember.campaign_id == meeting.campaign_id)
        .group_by(RegisteredMember.unit_code)
    )
    carry_refusals(
        meeting.votes,
        rule_set(campaign.rule_set),
        [Holder(code, unit, title) for code, unit, title in holders],
        {unit: int(count) for unit, count in sizes},
        f"{meeting.held_on:%d/%m/%Y}",
    )


def _vote(
    candidate: Candidate, votes_for: int, votes_against: int, present: int, reason: str
) -> CouncilVote:
    threshold = council_rules().threshold(candidate.title)
    approved = threshold.reached_by(votes_for, present)
    if approved:
        reason = ""
    elif not reason:
        reason = (
            f"Không đạt ngưỡng: {votes_for}/{present} thành viên có mặt tán thành, "
            f"cần tối thiểu {threshold.text} ({threshold.source})."
        )
    return CouncilVote(
        subject_kind=candidate.subject_kind,
        subject_code=candidate.subject_code,
        subject_name=candidate.subject_name,
        unit_code=candidate.unit_code,
        title=candidate.title,
        basis=candidate.basis,
        multiplier=candidate.multiplier,
        initiative_identifiers=candidate.initiative_identifiers,
        votes_for=votes_for,
        votes_against=votes_against,
        members_present=present,
        threshold=threshold.text,
        threshold_source=threshold.source,
        approved=approved,
        reason=reason,
        voted_at=now(),
    )
