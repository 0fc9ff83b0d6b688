"""Keeping the read model current from the other services' events. Each applies only what is
newer than what it holds, so redelivery and reordering leave the same state; replaying every
event from the start rebuilds it. They flush, never commit.

A campaign's snapshot and its phase reviews are recorded under the campaign row lock, which
they hand back: the compilation that may follow runs under the same lock."""

from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awards.read_model.models import (
    ApprovedReport,
    Campaign,
    CampaignUnit,
    DirectoryCluster,
    DirectoryUnit,
    MemberEvaluation,
    PhaseReview,
    RegisteredMember,
    Registration,
)
from thidua_shared.contracts.campaigns import CampaignAmended, CampaignCancelled, CampaignLaunched
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.contracts.reports import MemberEvaluation as MemberEvaluationIn
from thidua_shared.contracts.reports import PhaseReviewed, ReportApproved
from thidua_shared.platform.clock import now


async def record_campaign_launched(session: AsyncSession, snapshot: CampaignLaunched) -> Campaign:
    """Also takes campaign.amended (the whole plan again); hands back the campaign, locked."""
    amendment = snapshot.amendment_number if isinstance(snapshot, CampaignAmended) else 0
    details: dict[str, Any] = {
        "title": snapshot.title,
        "year": snapshot.year,
        "rule_set": snapshot.rule_set,
        "phases_total": len(snapshot.phases),
        "phases": [p.model_dump(mode="json") for p in snapshot.phases],
        "clusters": [c.model_dump(mode="json") for c in snapshot.clusters],
        "issuing_agency": snapshot.issuing_agency,
        "parent_agency": snapshot.parent_agency,
        "place_of_issue": snapshot.place_of_issue,
        "plan_number": snapshot.document_number,
        "plan_issued_on": snapshot.issued_on,
        "amendment_number": amendment,
        "launched_at": snapshot.launched_at,
        "updated_at": now(),
    }
    # The update on conflict takes the same row lock as the phase.reviewed path. It only fills
    # in a stub or applies a newer snapshot: the phase reviews live in their own table.
    applied = await session.execute(
        insert(Campaign)
        .values(id=snapshot.campaign_id, **details)
        .on_conflict_do_update(
            index_elements=[Campaign.id],
            set_=details,
            where=(Campaign.launched_at.is_(None)) | (Campaign.amendment_number <= amendment),
        )
        .returning(Campaign.id)
    )
    if applied.first() is not None:
        await _replace_units(session, snapshot)
    return await lock_campaign(session, snapshot.campaign_id)


async def _replace_units(session: AsyncSession, snapshot: CampaignLaunched) -> None:
    await session.execute(
        delete(CampaignUnit).where(CampaignUnit.campaign_id == snapshot.campaign_id)
    )
    if snapshot.units:
        await session.execute(
            insert(CampaignUnit),
            [
                {
                    "campaign_id": snapshot.campaign_id,
                    "unit_code": unit.code,
                    "unit_name": unit.name,
                    "cluster": unit.cluster,
                }
                for unit in snapshot.units
            ],
        )


async def record_campaign_cancelled(session: AsyncSession, cancelled: CampaignCancelled) -> None:
    await session.execute(
        update(Campaign)
        .where(Campaign.id == cancelled.campaign_id)
        .values(cancelled_at=cancelled.cancelled_at, updated_at=now())
    )


async def record_phase_review(
    session: AsyncSession, review: PhaseReviewed, event_id: str
) -> Campaign:
    """Hands back the campaign, locked before the review is written."""
    await session.execute(
        insert(Campaign)
        .values(id=review.campaign_id, phases_total=review.phases_total, updated_at=now())
        .on_conflict_do_nothing(index_elements=[Campaign.id])
    )
    campaign = await lock_campaign(session, review.campaign_id)
    values = {
        "approved_reports": [r.model_dump(mode="json") for r in review.approved_reports],
        "missing_units": [m.model_dump(mode="json") for m in review.missing_units],
        "reviewed_at": review.reviewed_at,
        "review_round": review.review_round,
        "event_id": event_id,
    }
    statement = insert(PhaseReview).values(
        campaign_id=review.campaign_id, phase_number=review.phase_number, **values
    )
    # A re-published review of a round already recorded changes nothing; a later round of
    # the same phase replaces it; an earlier round arriving late is ignored.
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[PhaseReview.campaign_id, PhaseReview.phase_number],
            set_=values,
            where=PhaseReview.review_round < statement.excluded.review_round,
        )
    )
    return campaign


async def lock_campaign(session: AsyncSession, campaign_id: UUID) -> Campaign:
    query = (
        select(Campaign)
        .where(Campaign.id == campaign_id)
        .options(selectinload(Campaign.units))
        .with_for_update(of=Campaign)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(query)).scalar_one()


async def record_pledge_approved(session: AsyncSession, pledge: PledgeApproved) -> None:
    values = {
        "registration_id": pledge.registration_id,
        "version": pledge.version,
        "collective_title": pledge.collective_title,
        "cluster": pledge.cluster,
        "approved_at": pledge.approved_at,
    }
    statement = insert(Registration).values(
        campaign_id=pledge.campaign_id, unit_code=pledge.unit_code, **values
    )
    applied = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Registration.campaign_id, Registration.unit_code],
            set_=values,
            where=Registration.version < statement.excluded.version,
        ).returning(Registration.unit_code)
    )
    if applied.first() is None:
        return
    await session.execute(
        delete(RegisteredMember).where(
            RegisteredMember.campaign_id == pledge.campaign_id,
            RegisteredMember.unit_code == pledge.unit_code,
        )
    )
    # A member listed twice keeps the first line.
    members = {m.staff_code: m for m in reversed(pledge.members)}
    if members:
        await session.execute(
            insert(RegisteredMember),
            [
                {
                    "campaign_id": pledge.campaign_id,
                    "unit_code": pledge.unit_code,
                    "staff_code": m.staff_code,
                    "full_name": m.full_name,
                    "gender": m.gender,
                    "title_aimed": m.title_aimed,
                }
                for m in members.values()
            ],
        )


async def record_report_approved(session: AsyncSession, report: ReportApproved) -> None:
    values = {
        "report_id": report.report_id,
        "version": report.version,
        "kind": report.kind,
        "self_assessment": report.self_assessment,
        "office_rating": report.office_rating,
        "results": [r.model_dump(mode="json") for r in report.results],
        "approved_at": report.approved_at,
    }
    statement = insert(ApprovedReport).values(
        campaign_id=report.campaign_id,
        phase_number=report.phase_number,
        unit_code=report.unit_code,
        **values,
    )
    # The latest version of a unit's report for a phase wins, whatever order they arrive in.
    applied = await session.execute(
        statement.on_conflict_do_update(
            index_elements=[
                ApprovedReport.campaign_id,
                ApprovedReport.phase_number,
                ApprovedReport.unit_code,
            ],
            set_=values,
            where=ApprovedReport.version < statement.excluded.version,
        ).returning(ApprovedReport.unit_code)
    )
    if applied.first() is None:
        return
    await session.execute(
        delete(MemberEvaluation).where(
            MemberEvaluation.campaign_id == report.campaign_id,
            MemberEvaluation.phase_number == report.phase_number,
            MemberEvaluation.unit_code == report.unit_code,
        )
    )
    evaluations = {e.staff_code: e for e in reversed(report.member_evaluations)}
    if evaluations:
        await session.execute(
            insert(MemberEvaluation),
            [_evaluation_row(report, e) for e in evaluations.values()],
        )


def _evaluation_row(report: ReportApproved, evaluation: MemberEvaluationIn) -> dict[str, Any]:
    return {
        "campaign_id": report.campaign_id,
        "phase_number": report.phase_number,
        "unit_code": report.unit_code,
        "staff_code": evaluation.staff_code,
        "full_name": evaluation.full_name,
        "task_rating": evaluation.task_rating,
        "discipline": evaluation.discipline,
        "discipline_from": evaluation.discipline_from,
        "discipline_to": evaluation.discipline_to,
        "under_investigation": evaluation.under_investigation,
        "initiatives": [i.model_dump(mode="json") for i in evaluation.initiatives],
        "research": [r.model_dump(mode="json") for r in evaluation.research],
        "gender": evaluation.gender,
    }


async def record_unit_changed(session: AsyncSession, unit: UnitChanged) -> None:
    values = {
        "name": unit.name,
        "kind": unit.kind,
        "parent_code": unit.parent_code,
        "active": unit.active,
        "changed_at": unit.changed_at,
    }
    statement = insert(DirectoryUnit).values(code=unit.code, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[DirectoryUnit.code],
            set_=values,
            where=DirectoryUnit.changed_at <= statement.excluded.changed_at,
        )
    )


async def record_cluster_changed(session: AsyncSession, cluster: ClusterChanged) -> None:
    values = {
        "name": cluster.name,
        "unit_codes": cluster.unit_codes,
        "year": cluster.year,
        "leader_unit": cluster.leader_unit,
        "deputy_unit": cluster.deputy_unit,
        "active": cluster.active,
        "changed_at": cluster.changed_at,
    }
    statement = insert(DirectoryCluster).values(code=cluster.code, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[DirectoryCluster.code],
            set_=values,
            where=DirectoryCluster.changed_at <= statement.excluded.changed_at,
        )
    )
