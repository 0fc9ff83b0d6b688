"""What an administrative document holds, independent of the format it is rendered to."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

PDF_MEDIA_TYPE = "application/pdf"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"

Cell = str | int | float | date | None


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class Section:
    """A part of the body. A centred heading is the enacting word of a decision ("QUYẾT ĐỊNH:")
    or the like; other headings sit on the left, numbered by the caller ("I. MỤC TIÊU")."""

    heading: str = ""
    paragraphs: Sequence[str] = ()
    table: Table | None = None
    centred: bool = False


@dataclass(frozen=True)
class Annex:
    """A list too long for the body, on its own pages after the signature: its title ("Danh sách
    …"), under which the layout writes "(Kèm theo Quyết định số … ngày … của …)". Landscape for
    tables too wide for a portrait page."""

    title: str
    table: Table
    paragraphs: Sequence[str] = ()
    landscape: bool = False


@dataclass(frozen=True)
class Signature:
    """A signature block: the authority line (e.g. "KT. GIÁM ĐỐC"), the title and the name."""

    authority: str
    title: str
    name: str
    note: str = ""


@dataclass(frozen=True)
class AdministrativeDocument:
    """The parts of a document in the layout of Decree 30/2020/NĐ-CP on administrative documents.

    `authority` is who decides, printed in capitals before the grounds ("GIÁM ĐỐC SỞ …");
    `preamble` holds the grounds ("Căn cứ …"), `proposals` what was proposed ("Xét đề nghị của
    …"), both in italics. Several signatures sit side by side, two to a row.
    """

    issuing_agency: str
    document_number: str
    place: str
    issued_on: date
    kind: str
    title: str
    sections: Sequence[Section] = ()
    signatures: Sequence[Signature] = ()
    parent_agency: str = ""
    preamble: Sequence[str] = ()
    recipients: Sequence[str] = field(default_factory=tuple)
    authority: str = ""
    proposals: Sequence[str] = ()
    annexes: Sequence[Annex] = ()


def vietnamese_date(place: str, day: date) -> str:
    """The place line, e.g. "Đồng Nai, ngày 09 tháng 01 năm 2018"; the date alone where no place
    is known."""
    when = f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    return f"{place}, {when}" if place.strip() else when[:1].upper() + when[1:]


def format_vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def format_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return value


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """Each recipient on a dashed line ending in ";", the last (the archive, "Lưu: VT") in ".",
    whatever punctuation the caller left."""
    names = [recipient.strip().rstrip(" ;.,") for recipient in recipients]
    return [f"- {name}{'.' if last else ';'}" for name, last in _with_last(names)]


def annex_reference(document: AdministrativeDocument) -> str:
    """The line under an annex's title naming the document it belongs to."""
    kind = document.kind.strip().capitalize()
    number = f" số {document.document_number.strip()}" if document.document_number.strip() else ""
    return (
        f"(Kèm theo {kind}{number} ngày {document.issued_on:%d/%m/%Y} "
        f"của {document.issuing_agency})"
    )


def _with_last(items: Sequence[str]) -> list[tuple[str, bool]]:
    return [(item, index == len(items) - 1) for index, item in enumerate(items)]
