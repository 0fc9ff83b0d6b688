"""What a dossier's documents are drafted from, read in one go: the dossier, its campaign, the
council's minutes, each proposed unit's final report and each proposed member's evaluations,
initiatives and past awards."""

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awards.council.api import COUNCIL_AGENCY
from awards.council.documents import meeting_minutes
from awards.council.service import get_meeting, meeting_number
from awards.disclosure.service import get_disclosure
from awards.dossier.documents import DossierContents
from awards.dossier.reports import PastAward, PersonRecord, UnitRecord
from awards.dossier.service import get_dossier
from awards.history.models import AwardHistoryEntry
from awards.read_model.models import (
    ApprovedReport,
    Campaign,
    CampaignUnit,
    MemberEvaluation,
    RegisteredMember,
)
from thidua_shared.contracts.vocabulary import SubjectKind


async def dossier_contents(session: AsyncSession, dossier_id: UUID) -> DossierContents:
    dossier = await get_dossier(session, dossier_id)
    campaign = await session.get(Campaign, dossier.campaign_id)
    disclosure = await get_disclosure(session, dossier.disclosure_id)
    meeting = await get_meeting(session, disclosure.session_id)
    minutes = meeting_minutes(
        meeting, COUNCIL_AGENCY, campaign, await meeting_number(session, meeting)
    )
    people_codes = {
        i["subject_code"] for i in dossier.items if i["subject_kind"] == SubjectKind.PERSON
    }
    unit_codes = {i["unit_code"] or i["subject_code"] for i in dossier.items}
    units = await _units(session, dossier.campaign_id, unit_codes)
    past = await _past(session, people_codes | unit_codes, campaign.year if campaign else None)
    people = await _people(session, dossier.campaign_id, people_codes, units, past)
    return DossierContents(dossier, campaign, minutes, units, people, past)


async def _units(
    session: AsyncSession, campaign_id: UUID, codes: set[str]
) -> dict[str, UnitRecord]:
    names = dict(
        (
            await session.execute(
                select(CampaignUnit.unit_code, CampaignUnit.unit_name).where(
                    CampaignUnit.campaign_id == campaign_id, CampaignUnit.unit_code.in_(codes)
                )
            )
        ).all()
    )
    members = dict(
        (
            await session.execute(
                select(RegisteredMember.unit_code, func.count())
                .where(
                    RegisteredMember.campaign_id == campaign_id,
                    RegisteredMember.unit_code.in_(codes),
                )
                .group_by(RegisteredMember.unit_code)
            )
        ).all()
    )
    # The last phase's report carries the year's results against the targets.
    reports: dict[str, ApprovedReport] = {}
    for report in await session.scalars(
        select(ApprovedReport)
        .where(ApprovedReport.campaign_id == campaign_id, ApprovedReport.unit_code.in_(codes))
        .order_by(ApprovedReport.phase_number)
    ):
        reports[report.unit_code] = report
    return {
        code: UnitRecord(
            code=code,
            name=names.get(code, code),
            self_assessment=reports[code].self_assessment if code in reports else None,
            results=reports[code].results if code in reports else (),
            members=members.get(code, 0),
        )
        for code in codes
    }


async def _past(
    session: AsyncSession, codes: set[str], year: int | None
) -> dict[str, list[PastAward]]:
    """Awards before the campaign's year, as the history holds them."""
    query = select(AwardHistoryEntry).where(
        AwardHistoryEntry.subject_code.in_(codes), AwardHistoryEntry.revoked_at.is_(None)
    )
    if year is not None:
        query = query.where(AwardHistoryEntry.year < year)
    past: dict[str, list[PastAward]] = {}
    for entry in await session.scalars(query.order_by(AwardHistoryEntry.year)):
        past.setdefault(entry.subject_code, []).append(PastAward(entry.year, entry.title))
    return past


async def _people(
    session: AsyncSession,
    campaign_id: UUID,
    codes: set[str],
    units: dict[str, UnitRecord],
    past: dict[str, list[PastAward]],
) -> dict[str, PersonRecord]:
    evaluations: dict[str, list[MemberEvaluation]] = {}
    for evaluation in await session.scalars(
        select(MemberEvaluation)
        .where(MemberEvaluation.campaign_id == campaign_id, MemberEvaluation.staff_code.in_(codes))
        .order_by(MemberEvaluation.phase_number)
    ):
        evaluations.setdefault(evaluation.staff_code, []).append(evaluation)
    people = {}
    for code, found in evaluations.items():
        last = found[-1]
        people[code] = PersonRecord(
            code=code,
            name=last.full_name,
            unit=units.get(last.unit_code) or UnitRecord(code=last.unit_code, name=last.unit_code),
            gender=last.gender,
            ratings=[(e.phase_number, e.task_rating) for e in found],
            # A recognised initiative is reported again in later phases: once each.
            initiatives=list(
                {str(i.get("identifier")): i for e in found for i in e.initiatives}.values()
            ),
            past=past.get(code, []),
        )
    return people
