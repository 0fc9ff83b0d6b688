"""Council use cases (hội đồng thi đua – khen thưởng): the agenda, sessions with their quorum,
and votes per nomination against the title's threshold. They flush, never commit.

The agenda is the latest compiled version of the campaign's nominations plus the leading unit
of each cluster, elected by the cluster vote, nominated for the emulation flag.
"""

from collections.abc import Sequence
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awards.council_models import (
    ClusterVote,
    CouncilMember,
    CouncilSession,
    CouncilVote,
    Disclosure,
)
from awards.council_rules import council_rules
from awards.council_schemas import Agenda, Candidate, SessionCreate, VotesCreate
from awards.models import Compilation
from awards.voting import cluster_label
from awards.voting_service import launched_campaign
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import Conflict, NotFound, Unprocessable

FLAG = "co_thi_dua_cap_tinh"

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
    for vote in await _latest_cluster_votes(session, campaign_id):
        names = {row["unit_code"]: row["unit_name"] for row in vote.scores}
        totals = {row["unit_code"]: row["total"] for row in vote.scores}
        valid = vote.ballots_cast - vote.ballots_invalid
        for code in vote.leaders:
            if ("unit", code, FLAG) in nominated:
                continue
            basis = (
                f"Đơn vị dẫn đầu {cluster_label(vote.cluster)}: {vote.votes[code]}/{valid} phiếu "
                f"hợp lệ, tổng điểm chấm {totals[code]} (biên bản bình xét ngày "
                f"{vote.held_on:%d/%m/%Y}, vòng {vote.round})."
            )
            candidates.append(_candidate("unit", code, names.get(code, code), code, FLAG, basis))
    return Agenda(
        campaign_id=campaign_id,
        compilation_version=compilation.version if compilation else None,
        candidates=candidates,
    )


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


async def create_session(session: AsyncSession, data: SessionCreate) -> CouncilSession:
    await launched_campaign(session, data.campaign_id)
    present = sum(1 for member in data.members if member.present)
    council = CouncilSession(
        campaign_id=data.campaign_id,
        held_on=data.held_on,
        place=data.place,
        members_total=len(data.members),
        members_present=present,
        quorum_met=council_rules().quorum.reached_by(present, len(data.members)),
        created_at=now(),
        members=[
            CouncilMember(position=n, name=m.name, role=m.role, present=m.present)
            for n, m in enumerate(data.members, start=1)
        ],
        votes=[],
    )
    session.add(council)
    await session.flush()
    return council


async def get_session(
    session: AsyncSession, session_id: UUID, *, lock: bool = False
) -> CouncilSession:
    query = (
        select(CouncilSession)
        .where(CouncilSession.id == session_id)
        .options(selectinload(CouncilSession.members), selectinload(CouncilSession.votes))
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=CouncilSession)
    council = (await session.execute(query)).scalar_one_or_none()
    if council is None:
        raise NotFound(f"No council session {session_id}.", field="session_id")
    return council


async def list_sessions(session: AsyncSession, campaign_id: UUID) -> Sequence[CouncilSession]:
    rows = await session.execute(
        select(CouncilSession)
        .where(CouncilSession.campaign_id == campaign_id)
        .order_by(CouncilSession.held_on, CouncilSession.created_at)
        .options(selectinload(CouncilSession.members), selectinload(CouncilSession.votes))
    )
    return rows.scalars().all()


def _quorum_not_met(council: CouncilSession) -> Conflict:
    quorum = council_rules().quorum
    return Conflict(
        f"Quorum rule: at least {quorum.text} of the council's members must be present to vote "
        f"({quorum.source}); {council.members_present} of {council.members_total} are present.",
        field="members",
        rule="quorum",
    )


async def record_votes(
    session: AsyncSession, session_id: UUID, data: VotesCreate
) -> CouncilSession:
    # The row lock serialises votes of one session with its disclosure.
    council = await get_session(session, session_id, lock=True)
    if not council.quorum_met:
        raise _quorum_not_met(council)
    disclosed = await session.execute(
        select(Disclosure.id).where(Disclosure.session_id == council.id)
    )
    if disclosed.first() is not None:
        raise Conflict(
            "This session's list has been disclosed; it takes no more votes.", field="session_id"
        )
    candidates = {
        (c.subject_kind, c.subject_code, c.title): c
        for c in (await agenda(session, council.campaign_id)).candidates
    }
    voted: set[Key] = {(v.subject_kind, v.subject_code, v.title) for v in council.votes}
    present = council.members_present
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
        council.votes.append(
            _vote(candidate, entry.votes_for, entry.votes_against, present, entry.reason)
        )
    await session.flush()
    return council


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
