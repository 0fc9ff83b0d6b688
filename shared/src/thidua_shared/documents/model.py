"""What an administrative document holds, independent of the format it is rendered to."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

PDF_MEDIA_TYPE = "application/pdf"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

Cell = str | int | float | date | None


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class Section:
    heading: str = ""
    paragraphs: Sequence[str] = ()
    table: Table | None = None


@dataclass(frozen=True)
class Signature:
    """A signature block: the authority line (e.g. "KT. GIÁM ĐỐC"), the title and the name."""

    authority: str
    title: str
    name: str
    note: str = ""


@dataclass(frozen=True)
class AdministrativeDocument:
    """The parts of a document in the layout of Decree 30/2020/NĐ-CP on administrative documents."""

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


def vietnamese_date(place: str, day: date) -> str:
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


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
