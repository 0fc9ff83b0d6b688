"""The báo cáo thành tích of each collective and individual a dossier proposes (Nghị định
98/2023/NĐ-CP Phụ lục I, Mẫu 02 for a collective and the individual's form beside it; the 2013
regime's forms in Thông tư 08/2017/TT-BNV have the same parts), drafted from what the units
reported: the unit's results against its targets, the member's ratings, initiatives and the
awards already received. The unit signs it; the agency certifies it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from thidua_shared.contracts.vocabulary import GENDERS, INITIATIVE_LEVELS, TASK_RATINGS, TITLES
from thidua_shared.documents import AdministrativeDocument, Section, Signature, Table


@dataclass(frozen=True)
class PastAward:
    year: int
    title: str


@dataclass(frozen=True)
class UnitRecord:
    """A collective as its final report and registration give it."""

    code: str
    name: str
    self_assessment: str | None = None
    results: Sequence[dict[str, Any]] = ()
    members: int = 0


@dataclass(frozen=True)
class PersonRecord:
    """An individual as the units' reports evaluated them, phase by phase."""

    code: str
    name: str
    unit: UnitRecord
    gender: str | None = None
    ratings: Sequence[tuple[int, str]] = ()
    initiatives: Sequence[dict[str, Any]] = ()
    past: Sequence[PastAward] = field(default_factory=tuple)


@dataclass(frozen=True)
class Heading:
    """Who the report goes up through, and when."""

    agency: str
    place: str
    on: date
    year: int | None
    titles: Sequence[str]


def _number(value: object) -> str:
    if value is None:
        return ""
    return f"{float(str(value)):g}".replace(".", ",")


def _results_table(results: Sequence[dict[str, Any]]) -> Table:
    rows: list[list[str | int | float | None]] = [
        [
            n,
            str(r.get("indicator") or r.get("content") or ""),
            _number(r.get("target_value")),
            _number(r.get("achieved_value")),
            _number(r.get("percent_of_target")),
        ]
        for n, r in enumerate(results, start=1)
    ]
    return Table(["STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"], rows)


def _past_table(past: Sequence[PastAward]) -> Table:
    rows: list[list[str | int | float | None]] = [
        [n, a.year, TITLES.get(a.title, a.title)] for n, a in enumerate(past, start=1)
    ]
    return Table(["STT", "Năm", "Danh hiệu, hình thức khen thưởng"], rows)


def _titles(heading: Heading) -> str:
    return ", ".join(TITLES.get(t, t) for t in heading.titles)


def _period(heading: Heading) -> str:
    return f"năm {heading.year}" if heading.year else ""


def unit_report(
    unit: UnitRecord, past: Sequence[PastAward], heading: Heading
) -> AdministrativeDocument:
    achieved = [r for r in unit.results if r.get("percent_of_target") is not None]
    over = sum(1 for r in achieved if float(r["percent_of_target"]) >= 100)
    assessment = TASK_RATINGS.get(unit.self_assessment or "", "chưa tự đánh giá")
    return AdministrativeDocument(
        parent_agency=heading.agency,
        issuing_agency=unit.name,
        document_number="",
        place=heading.place,
        issued_on=heading.on,
        kind="BÁO CÁO",
        title=f"Thành tích đề nghị tặng {_titles(heading)} {_period(heading)}".strip(),
        sections=[
            Section(
                heading="I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
                paragraphs=[
                    f"Tên tập thể: {unit.name}, thuộc {heading.agency}.",
                    f"Số cán bộ đăng ký thi đua: {unit.members} người.",
                ],
            ),
            Section(
                heading="II. THÀNH TÍCH ĐẠT ĐƯỢC",
                paragraphs=[
                    f"Kết quả thực hiện {len(unit.results)} chỉ tiêu đã đăng ký: {over}/"
                    f"{len(achieved)} chỉ tiêu đạt và vượt kế hoạch.",
                    f"Tập thể tự đánh giá: {assessment}.",
                ],
                table=_results_table(unit.results),
            ),
            Section(
                heading="III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
                paragraphs=[] if past else ["Chưa có danh hiệu, hình thức khen thưởng."],
                table=_past_table(past) if past else None,
            ),
        ],
        signatures=[
            Signature(authority="XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG", title="", name=""),
            Signature(authority="THỦ TRƯỞNG ĐƠN VỊ", title="", name=""),
        ],
    )


def _initiatives_table(initiatives: Sequence[dict[str, Any]]) -> Table:
    rows: list[list[str | int | float | None]] = [
        [
            n,
            str(i.get("title") or ""),
            str(i.get("identifier") or ""),
            INITIATIVE_LEVELS.get(str(i.get("level") or ""), str(i.get("level") or "")),
            i.get("year"),
        ]
        for n, i in enumerate(initiatives, start=1)
    ]
    return Table(["STT", "Tên sáng kiến", "Số công nhận", "Phạm vi ảnh hưởng", "Năm"], rows)


def person_report(person: PersonRecord, heading: Heading) -> AdministrativeDocument:
    ratings = "; ".join(
        f"đợt {phase}: {TASK_RATINGS.get(rating, rating).lower()}"
        for phase, rating in person.ratings
    )
    return AdministrativeDocument(
        parent_agency=heading.agency,
        issuing_agency=person.unit.name,
        document_number="",
        place=heading.place,
        issued_on=heading.on,
        kind="BÁO CÁO",
        title=f"Thành tích đề nghị tặng {_titles(heading)} {_period(heading)}".strip(),
        sections=[
            Section(
                heading="I. SƠ LƯỢC LÝ LỊCH",
                paragraphs=[
                    f"Họ và tên: {person.name}. Giới tính: "
                    f"{GENDERS.get(person.gender or '', 'chưa khai')}.",
                    f"Đơn vị công tác: {person.unit.name}, {heading.agency}.",
                ],
            ),
            Section(
                heading="II. THÀNH TÍCH ĐẠT ĐƯỢC",
                paragraphs=[
                    f"Kết quả đánh giá, xếp loại: {ratings or 'chưa có'}.",
                    f"Sáng kiến được công nhận: {len(person.initiatives)}.",
                ],
                table=_initiatives_table(person.initiatives) if person.initiatives else None,
            ),
            Section(
                heading="III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
                paragraphs=[] if person.past else ["Chưa có danh hiệu, hình thức khen thưởng."],
                table=_past_table(person.past) if person.past else None,
            ),
        ],
        signatures=[
            Signature(authority="THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN", title="", name=""),
            Signature(authority="NGƯỜI BÁO CÁO THÀNH TÍCH", title="", name=person.name),
        ],
    )
