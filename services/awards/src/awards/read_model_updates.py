"""Keeping the read model current from the other services' events. Each applies only what is
newer than what it holds, so redelivery and reordering leave the same state; replaying every
event from the start rebuilds it."""

from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from awards.read_models import (
    ApprovedReport,
    DirectoryCluster,
    DirectoryUnit,
    MemberEvaluation,
    RegisteredMember,
    Registration,
)
from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.contracts.pledges import PledgeApproved
from thidua_shared.contracts.reports import MemberEvaluation as MemberEvaluationIn
from thidua_shared.contracts.reports import ReportApproved


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
