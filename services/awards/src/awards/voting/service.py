"""Cluster vote use cases: record a cluster's scoring and ballot, and read it. They flush,
never commit."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awards.common.campaigns import launched_campaign
from awards.read_model.models import Campaign, CampaignUnit
from awards.voting.models import ClusterVote
from awards.voting.schemas import ClusterVoteCreate, ClusterVoteRead
from awards.voting.tally import tally
from thidua_shared.platform.clock import now
from thidua_shared.platform.errors import NotFound, Unprocessable


async def cluster_members(
    session: AsyncSession, campaign: Campaign, cluster: str
) -> dict[str, str]:
    """{unit code: unit name} of the campaign's units in the cluster, whether the launch named
    the cluster on the unit or listed the cluster's units."""
    rows = await session.execute(
        select(CampaignUnit).where(CampaignUnit.campaign_id == campaign.id)
    )
    units = list(rows.scalars())
    codes = {unit.unit_code for unit in units if unit.cluster == cluster}
    for entry in campaign.clusters:
        if entry.get("name") == cluster:
            codes.update(entry.get("unit_codes", []))
    names = {unit.unit_code: unit.unit_name for unit in units}
    return {code: names.get(code, code) for code in sorted(codes)}


async def record_vote(session: AsyncSession, data: ClusterVoteCreate) -> ClusterVote:
    # The campaign row lock numbers the rounds of a cluster one after the other.
    campaign = await launched_campaign(session, data.campaign_id, lock=True)
    members = await cluster_members(session, campaign, data.cluster)
    if not members:
        raise Unprocessable(
            f"No unit of campaign {campaign.id} belongs to cluster {data.cluster}.", field="cluster"
        )
    scores = _scores(data, members)
    votes = _votes(data, members)
    totals = {str(row["unit_code"]): Decimal(str(row["total"])) for row in scores}
    result = tally(
        ballots_cast=data.ballots_cast,
        ballots_invalid=data.ballots_invalid,
        votes=votes,
        totals=totals,
        seats=data.seats,
        tie_break=data.tie_break,
    )
    previous = await session.execute(
        select(func.max(ClusterVote.round)).where(
            ClusterVote.campaign_id == campaign.id, ClusterVote.cluster == data.cluster
        )
    )
    vote = ClusterVote(
        campaign_id=campaign.id,
        cluster=data.cluster,
        round=(previous.scalar_one() or 0) + 1,
        held_on=data.held_on,
        place=data.place,
        chair_name=data.chair_name,
        secretary_name=data.secretary_name,
        criteria=[c.model_dump(mode="json") for c in data.criteria],
        scores=scores,
        ballots_cast=data.ballots_cast,
        ballots_invalid=data.ballots_invalid,
        votes=votes,
        seats=data.seats,
        tie_break=data.tie_break,
        outcome=result.outcome,
        leaders=result.leaders,
        explanation=result.explanation,
        recorded_at=now(),
    )
    session.add(vote)
    await session.flush()
    return vote


def _scores(data: ClusterVoteCreate, members: dict[str, str]) -> list[dict[str, Any]]:
    scored = [score.unit_code for score in data.scores]
    if sorted(scored) != sorted(members):
        raise Unprocessable(
            f"Scores must be given once for each member unit of cluster {data.cluster}: "
            f"{', '.join(members)}.",
            field="scores",
        )
    rows = []
    for score in data.scores:
        if len(score.points) != len(data.criteria):
            raise Unprocessable(
                f"Unit {score.unit_code} has {len(score.points)} points for "
                f"{len(data.criteria)} criteria.",
                field="scores",
            )
        for points, criterion in zip(score.points, data.criteria, strict=True):
            if not 0 <= points <= criterion.max_points:
                raise Unprocessable(
                    f"Unit {score.unit_code}: {points} points for '{criterion.name}' is outside "
                    f"0–{criterion.max_points}.",
                    field="scores",
                )
        rows.append(
            {
                "unit_code": score.unit_code,
                "unit_name": members[score.unit_code],
                "points": [str(p) for p in score.points],
                "total": str(sum(score.points, Decimal(0))),
            }
        )
    rows.sort(key=lambda row: (-Decimal(str(row["total"])), str(row["unit_code"])))
    return rows


def _votes(data: ClusterVoteCreate, members: dict[str, str]) -> dict[str, int]:
    if data.ballots_invalid > data.ballots_cast:
        raise Unprocessable(
            "There cannot be more invalid ballots than ballots cast.", field="ballots_invalid"
        )
    votes = dict.fromkeys(members, 0)
    for entry in data.votes:
        if entry.unit_code not in members:
            raise Unprocessable(
                f"Unit {entry.unit_code} is not a member of cluster {data.cluster}.",
                field="votes",
            )
        votes[entry.unit_code] += entry.votes
    valid = data.ballots_cast - data.ballots_invalid
    if any(count > valid for count in votes.values()) or sum(votes.values()) > valid * data.seats:
        raise Unprocessable(
            f"The votes exceed what {valid} valid ballots for {data.seats} seat(s) can give.",
            field="votes",
        )
    return votes


async def get_vote(session: AsyncSession, vote_id: UUID) -> ClusterVote:
    vote = await session.get(ClusterVote, vote_id)
    if vote is None:
        raise NotFound(f"No cluster vote {vote_id}.", field="vote_id")
    return vote


async def list_votes(session: AsyncSession, campaign_id: UUID) -> Sequence[ClusterVote]:
    rows = await session.execute(
        select(ClusterVote)
        .where(ClusterVote.campaign_id == campaign_id)
        .order_by(ClusterVote.cluster, ClusterVote.round)
    )
    return rows.scalars().all()


def vote_read(vote: ClusterVote) -> ClusterVoteRead:
    return ClusterVoteRead(
        id=vote.id,
        campaign_id=vote.campaign_id,
        cluster=vote.cluster,
        round=vote.round,
        held_on=vote.held_on,
        place=vote.place,
        chair_name=vote.chair_name,
        secretary_name=vote.secretary_name,
        criteria=vote.criteria,
        scores=vote.scores,
        ballots_cast=vote.ballots_cast,
        ballots_invalid=vote.ballots_invalid,
        ballots_valid=vote.ballots_cast - vote.ballots_invalid,
        votes=vote.votes,
        seats=vote.seats,
        tie_break=vote.tie_break,
        outcome=vote.outcome,
        leaders=vote.leaders,
        explanation=vote.explanation,
        recorded_at=vote.recorded_at,
    )
