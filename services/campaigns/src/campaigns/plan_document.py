"""The launched plan as the agency issues it (kế hoạch), in the administrative layout."""

import re

from campaigns.calendar import agency_today
from campaigns.models import Campaign
from campaigns.rules import conflict
from thidua_shared.documents import AdministrativeDocument, Section, Signature
from thidua_shared.documents.model import format_cell

_KIND = "KẾ HOẠCH"
_LEADING_KIND = re.compile(r"^\s*kế hoạch\s+", re.IGNORECASE)


def _subject_line(title: str) -> str:
    """The trích yếu under "KẾ HOẠCH": the title without a repeated leading "Kế hoạch"."""
    stripped = _LEADING_KIND.sub("", title)
    return stripped[:1].upper() + stripped[1:]


def _basis(line: str) -> str:
    text = line.rstrip(" ;.")
    return f"{text};" if text.casefold().startswith("căn cứ") else f"Căn cứ {text};"


def _opening(campaign: Campaign) -> list[str]:
    paragraphs = list(campaign.introduction)
    if campaign.theme and not any(campaign.theme in p for p in paragraphs):
        agency = campaign.issuing_agency or "Cơ quan"
        paragraphs.append(
            f"{agency} phát động phong trào thi đua năm {campaign.year} với chủ đề "
            f"“{campaign.theme}”."
        )
    return paragraphs


def _tasks(campaign: Campaign) -> list[str]:
    lines = [campaign.tasks_introduction] if campaign.tasks_introduction else []
    for task in campaign.tasks:
        lines.append(f"{task['number']}. {task['content']}")
        for target in task.get("targets", []):
            value = format_cell(float(target["target_value"]))
            lines.append(
                f"Chỉ tiêu: {target['indicator']}: {value} {target['unit_of_measure']}".rstrip()
            )
    return lines


def _phases(campaign: Campaign) -> list[str]:
    lines = []
    for phase in campaign.phases:
        period = f"Từ {phase.starts_on:%d/%m/%Y} đến {phase.ends_on:%d/%m/%Y}"
        dedication = f": {phase.dedication}" if phase.dedication else ""
        lines.append(f"- {phase.name} ({period}){dedication}")
    return lines


def plan_document(campaign: Campaign) -> AdministrativeDocument:
    if campaign.launched_at is None:
        raise conflict(
            "The plan document exists once the campaign is launched.",
            field="status",
            rule="document-after-launch",
        )
    sections = [Section(paragraphs=_opening(campaign))]
    if campaign.objectives:
        sections.append(
            Section(heading="I. MỤC TIÊU", paragraphs=[f"- {o}" for o in campaign.objectives])
        )
    sections.append(Section(heading="II. NHIỆM VỤ VÀ GIẢI PHÁP", paragraphs=_tasks(campaign)))
    sections.append(
        Section(heading="III. THỜI GIAN PHÁT ĐỘNG CÁC ĐỢT THI ĐUA", paragraphs=_phases(campaign))
    )
    implementation = [f"{i}. {line}" for i, line in enumerate(campaign.implementation, start=1)]
    if campaign.registration_deadline:
        implementation.append(
            f"Thời hạn đăng ký thi đua: trước ngày {campaign.registration_deadline:%d/%m/%Y}."
        )
    if implementation:
        sections.append(Section(heading="IV. TỔ CHỨC THỰC HIỆN", paragraphs=implementation))
    if campaign.closing:
        sections.append(Section(paragraphs=[campaign.closing]))
    signer = Signature(authority="", title=campaign.signer_title, name=campaign.signer_name)
    return AdministrativeDocument(
        issuing_agency=campaign.issuing_agency,
        document_number=campaign.document_number,
        place=campaign.place_of_issue,
        issued_on=campaign.issued_on or agency_today(campaign.launched_at),
        kind=_KIND,
        title=_subject_line(campaign.title),
        sections=sections,
        signatures=[signer],
        parent_agency=campaign.parent_agency,
        preamble=[_basis(line) for line in campaign.legal_bases],
        recipients=list(campaign.recipients),
    )
