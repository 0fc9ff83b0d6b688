"""The dossier's documents, drafted from data (Nghị định 98/2023/NĐ-CP Phụ lục I; under the
2013 regime, Thông tư 08/2017/TT-BNV): the tờ trình (Mẫu 01) with the lists of proposals by
title, the council's minutes, a báo cáo thành tích per collective and per individual, and the
list of initiatives that ground the proposals. Vietnamese only, laid out per Nghị định
30/2020/NĐ-CP by the shared kit."""

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from awards.dossier.models import Dossier
from awards.dossier.reports import (
    Heading,
    PastAward,
    PersonRecord,
    UnitRecord,
    person_report,
    unit_report,
)
from awards.read_model.models import Campaign
from thidua_shared.contracts.vocabulary import INITIATIVE_LEVELS, TITLES, SubjectKind
from thidua_shared.documents import (
    DOCX_MEDIA_TYPE,
    PDF_MEDIA_TYPE,
    AdministrativeDocument,
    Annex,
    Section,
    Signature,
    Table,
    render_docx,
    render_pdf,
)

RENDERERS: dict[str, tuple[str, Callable[[AdministrativeDocument], bytes]]] = {
    "pdf": (PDF_MEDIA_TYPE, render_pdf),
    "docx": (DOCX_MEDIA_TYPE, render_docx),
}
DOCUMENT_NAMES = tuple(RENDERERS)
SUBJECT_KINDS = {SubjectKind.UNIT: "Tập thể", SubjectKind.PERSON: "Cá nhân"}


@dataclass(frozen=True)
class DossierContents:
    """Everything the dossier's documents are drafted from."""

    dossier: Dossier
    campaign: Campaign | None
    minutes: AdministrativeDocument | None
    units: dict[str, UnitRecord] = field(default_factory=dict)
    people: dict[str, PersonRecord] = field(default_factory=dict)
    past: dict[str, list[PastAward]] = field(default_factory=dict)

    def documents(self) -> dict[str, Callable[[], AdministrativeDocument]]:
        """Each document by its file name without extension, in the dossier's order."""
        found: dict[str, Callable[[], AdministrativeDocument]] = {"to-trinh": self.proposal}
        if self.minutes is not None:
            minutes = self.minutes
            found["bien-ban-hoi-dong"] = lambda: minutes
        found["danh-sach-sang-kien"] = self.initiatives
        for kind, code in _subjects(self.dossier.items):
            found[_report_name(kind, code)] = partial(self.report, kind, code)
        return found

    def heading(self, titles: Sequence[str]) -> Heading:
        return Heading(
            agency=self.dossier.issuing_agency,
            place=self.dossier.place,
            on=self.dossier.drafted_on,
            year=self.campaign.year if self.campaign else None,
            titles=titles,
        )

    def report(self, kind: str, code: str) -> AdministrativeDocument:
        titles = sorted(
            {str(i["title"]) for i in self.dossier.items if _subject(i) == (kind, code)}
        )
        if kind == SubjectKind.UNIT:
            unit = self.units.get(code) or UnitRecord(code=code, name=_name(self.dossier, code))
            return unit_report(unit, self.past.get(code, []), self.heading(titles))
        person = self.people.get(code) or PersonRecord(
            code=code, name=_name(self.dossier, code), unit=UnitRecord(code="", name="")
        )
        return person_report(person, self.heading(titles))

    def proposal(self) -> AdministrativeDocument:
        names = {code: unit.name for code, unit in self.units.items()}
        return proposal_document(self.dossier, self.campaign, self.minutes, names)

    def initiatives(self) -> AdministrativeDocument:
        return initiatives_document(self.dossier, self.people)


def _subject(item: dict[str, Any]) -> tuple[str, str]:
    return str(item["subject_kind"]), str(item["subject_code"])


def _subjects(items: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted({_subject(item) for item in items}, key=lambda s: (s[0] != SubjectKind.UNIT, s))


def _report_name(kind: str, code: str) -> str:
    who = "tap-the" if kind == SubjectKind.UNIT else "ca-nhan"
    return f"bao-cao-thanh-tich-{who}-{re.sub(r'[^a-z0-9]+', '-', code.lower()).strip('-')}"


def _name(dossier: Dossier, code: str) -> str:
    return next(
        (str(i.get("subject_name") or code) for i in dossier.items if i["subject_code"] == code),
        code,
    )


def _by_title(dossier: Dossier) -> list[tuple[str, list[dict[str, Any]]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in dossier.items:
        grouped.setdefault(str(item["title"]), []).append(item)
    order = list(TITLES)
    return sorted(grouped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)


def _label(item: dict[str, Any]) -> str:
    return str(item.get("subject_name") or item["subject_code"])


def _list_rows(
    items: Sequence[dict[str, Any]], unit_names: dict[str, str]
) -> list[list[str | int | float | None]]:
    ordered = sorted(
        items, key=lambda i: (i["subject_kind"] != SubjectKind.UNIT, i["subject_code"])
    )
    return [
        [
            n,
            f"{SUBJECT_KINDS.get(i['subject_kind'], '')} {_label(i)}",
            unit_names.get(str(i.get("unit_code") or ""), ""),
        ]
        for n, i in enumerate(ordered, start=1)
    ]


def proposal_document(
    dossier: Dossier,
    campaign: Campaign | None,
    minutes: AdministrativeDocument | None,
    unit_names: dict[str, str],
) -> AdministrativeDocument:
    """The tờ trình (Mẫu 01): to the authority, what is proposed, on which grounds."""
    year = f" năm {campaign.year}" if campaign and campaign.year else ""
    # The plan's number reaches the read model with the launch, once it records it.
    plan_number = str(getattr(campaign, "plan_number", "") or "")
    plan = f" phát động tại Kế hoạch số {plan_number}" if plan_number else ""
    grouped = _by_title(dossier)
    counts = [f"- {TITLES.get(t, t)}: {len(items)};" for t, items in grouped]
    if counts:
        counts[-1] = counts[-1].rstrip(";") + "."
    council = (
        f"Hội đồng Thi đua – Khen thưởng {dossier.issuing_agency} đã họp xét ngày "
        f"{minutes.issued_on:%d/%m/%Y} (Biên bản số {minutes.document_number}) và danh sách đã "
        "được công khai lấy ý kiến theo quy định."
        if minutes
        else "Danh sách đã được Hội đồng Thi đua – Khen thưởng xét và công khai theo quy định."
    )
    return AdministrativeDocument(
        issuing_agency=dossier.issuing_agency,
        parent_agency=dossier.parent_agency,
        document_number=dossier.number,
        place=dossier.place,
        issued_on=dossier.drafted_on,
        kind="TỜ TRÌNH",
        title=f"Về việc đề nghị tặng danh hiệu thi đua và hình thức khen thưởng{year}",
        sections=[
            Section(heading=f"Kính gửi: {dossier.addressee}.", centred=True),
            Section(
                paragraphs=[
                    f"Thực hiện phong trào thi đua{year}{plan}, {dossier.issuing_agency} đã tổ "
                    "chức bình xét, tổng kết và lựa chọn các tập thể, cá nhân có thành tích "
                    "xuất sắc. " + council,
                    f"{dossier.issuing_agency} kính trình {dossier.addressee} xem xét, quyết định "
                    f"tặng danh hiệu thi đua, hình thức khen thưởng cho {len(dossier.items)} lượt "
                    "tập thể, cá nhân có tên trong danh sách kèm theo, gồm:",
                    *counts,
                    "Hồ sơ kèm theo gồm: danh sách đề nghị, biên bản họp Hội đồng Thi đua – Khen "
                    "thưởng, báo cáo thành tích của từng tập thể, cá nhân và danh sách sáng kiến "
                    "được công nhận.",
                    f"Kính trình {dossier.addressee} xem xét, quyết định.",
                ],
            ),
        ],
        signatures=[
            Signature(
                authority=dossier.signer_authority,
                title=dossier.signer_title,
                name=dossier.signer_name,
            )
        ],
        recipients=["Như trên", "Lưu: VT, TĐKT"],
        annexes=[
            Annex(
                title=f"DANH SÁCH ĐỀ NGHỊ TẶNG {TITLES.get(title, title).upper()}",
                table=Table(["STT", "Tập thể/Cá nhân", "Đơn vị"], _list_rows(items, unit_names)),
            )
            for title, items in grouped
        ],
    )


def initiatives_document(
    dossier: Dossier, people: dict[str, PersonRecord]
) -> AdministrativeDocument:
    """The initiatives each proposal rests on, as the units reported them recognised."""
    rows: list[list[str | int | float | None]] = []
    for item in sorted(dossier.items, key=lambda i: (i["subject_code"], i["title"])):
        person = people.get(str(item["subject_code"]))
        wanted = set(item.get("initiative_identifiers") or [])
        for initiative in person.initiatives if person else ():
            if not wanted or initiative.get("identifier") in wanted:
                level = str(initiative.get("level") or "")
                rows.append(
                    [
                        len(rows) + 1,
                        person.name if person else "",
                        str(initiative.get("title") or ""),
                        str(initiative.get("identifier") or ""),
                        INITIATIVE_LEVELS.get(level, level),
                        TITLES.get(str(item["title"]), str(item["title"])),
                    ]
                )
    headers = ["STT", "Họ và tên", "Tên sáng kiến", "Số công nhận", "Phạm vi", "Đề nghị"]
    return AdministrativeDocument(
        issuing_agency=dossier.issuing_agency,
        parent_agency=dossier.parent_agency,
        document_number="",
        place=dossier.place,
        issued_on=dossier.drafted_on,
        kind="DANH SÁCH",
        title="Sáng kiến được công nhận làm căn cứ đề nghị khen thưởng",
        sections=[
            Section(
                paragraphs=[] if rows else ["Không có sáng kiến làm căn cứ đề nghị."],
                table=Table(headers, rows) if rows else None,
            )
        ],
        signatures=[
            Signature(
                authority=dossier.signer_authority,
                title=dossier.signer_title,
                name=dossier.signer_name,
            )
        ],
    )


def render_part(
    contents: DossierContents, stem: str, extension: str
) -> tuple[str, Callable[[], bytes]]:
    media_type, render = RENDERERS[extension]
    build = contents.documents()[stem]
    return media_type, lambda: render(build())


def dossier_archive(contents: DossierContents) -> bytes:
    """Every document of the dossier as PDF and DOCX, numbered in the dossier's order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (stem, build) in enumerate(contents.documents().items(), start=1):
            document = build()
            for extension, (_, render) in RENDERERS.items():
                archive.writestr(f"{n:02d}-{stem}.{extension}", render(document))
    return buffer.getvalue()
