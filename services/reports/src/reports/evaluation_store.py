"""A final report's member evaluations replaced from an imported file."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from reports.codes import ReportStatus
from reports.content import checked_content, content_of, registered_members
from reports.evaluation_import import ImportedMembers
from reports.models import Report
from reports.service import approved_registration, ensure_campaign_open, get_report
from thidua_shared.contracts.pledges import RegisteredMember
from thidua_shared.contracts.vocabulary import ReportKind
from thidua_shared.platform.auth import Principal
from thidua_shared.platform.errors import Conflict
from thidua_shared.platform.http import check_version


async def registered_of(
    session: AsyncSession, report_id: UUID, principal: Principal
) -> list[RegisteredMember]:
    report = await get_report(session, report_id, principal)
    registration = await approved_registration(session, report.campaign_id, report.unit_code)
    return list(registered_members(registration).values())


async def changeable_final_report(
    session: AsyncSession, report_id: UUID, expected_version: int | None, principal: Principal
) -> tuple[Report, dict[str, RegisteredMember]]:
    report = await get_report(session, report_id, principal, lock=True)
    check_version(expected_version, report.version)
    if report.kind != ReportKind.FINAL:
        raise Conflict(
            "Members are evaluated in the final review (tổng kết) only.", field="report_id"
        )
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise Conflict(
            f"The report is {report.status}; only a draft or a returned one can be changed.",
            field="status",
        )
    await ensure_campaign_open(session, report.campaign_id)
    registration = await approved_registration(session, report.campaign_id, report.unit_code)
    return report, registered_members(registration)


async def replace_evaluations(
    session: AsyncSession, report: Report, imported: ImportedMembers
) -> Report:
    registration = await approved_registration(session, report.campaign_id, report.unit_code)
    given = content_of(report).model_copy(
        update={"member_evaluations": imported.evaluations, "members_left": imported.left}
    )
    content = checked_content(given, registration, kind=report.kind, complete=False)
    report.member_evaluations = content.member_evaluations
    report.members_left = content.members_left
    await session.flush()
    return report
