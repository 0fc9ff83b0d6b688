"""How the console writes numbers, money, dates and the API's codes: 1.390.000 đ, dd/mm/yyyy,
and the Vietnamese words of docs/glossary.md."""

from datetime import date, datetime
from decimal import Decimal

from thidua_shared.contracts.vocabulary import DISCIPLINES, TASK_RATINGS, TITLES

ROLE_NAMES: dict[str, str] = {
    "office": "Thường trực Hội đồng",
    "unit_head": "Thủ trưởng đơn vị",
    "council_member": "Thành viên Hội đồng",
    "decision_signer": "Người ký quyết định",
    "observer": "Người theo dõi",
    "integration": "Hệ thống tích hợp",
}
STATUSES: dict[str, str] = {
    "draft": "Bản nháp",
    "launched": "Đã phát động",
    "closed": "Đã kết thúc",
    "cancelled": "Đã hủy",
    "pending": "Chưa bắt đầu",
    "open": "Đang diễn ra",
    "submitted": "Đã nộp, chờ duyệt",
    "returned": "Bị trả lại",
    "approved": "Đã duyệt",
    "not_registered": "Chưa đăng ký",
    "missing": "Chưa nộp",
    "in_force": "Có hiệu lực",
    "none": "Chưa lập",
    "reviewed": "Đã xét duyệt",
    "reopened": "Xét duyệt lại",
    "elected": "Được suy tôn",
    "tied": "Bằng phiếu",
    "no_majority": "Không đơn vị nào quá bán",
    "sent": "Đã gửi",
    "decided": "Đã có quyết định",
    "late": "Quá hạn",
}
KINDS: dict[str, str] = {
    "unit": "Tập thể",
    "person": "Cá nhân",
    "comment": "Góp ý",
    "complaint": "Khiếu nại",
    "preliminary": "Sơ kết",
    "final": "Tổng kết",
    "regular": "Thi đua thường xuyên",
    "thematic": "Thi đua chuyên đề",
}


def money(amount: int | float | Decimal | str | None) -> str:
    """1390000 → "1.390.000 đ"."""
    if amount is None or amount == "":
        return ""
    whole = round(Decimal(str(amount)))
    sign = "-" if whole < 0 else ""
    return f"{sign}{abs(whole):,}".replace(",", ".") + " đ"


def number(value: int | float | Decimal | str | None) -> str:
    """A figure in the Vietnamese way: 1.234,5."""
    if value is None or value == "":
        return ""
    figure = Decimal(str(value))
    if figure == figure.to_integral_value():
        return f"{int(figure):,}".replace(",", ".")
    text = f"{figure.normalize():,f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def day(value: date | datetime | str | None) -> str:
    """An ISO date or date-time → dd/mm/yyyy."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
        return parsed.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y")


def moment(value: datetime | str | None) -> str:
    """An ISO date-time → dd/mm/yyyy HH:MM."""
    if value is None or value == "":
        return ""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.strftime("%d/%m/%Y %H:%M")


def _word(table: dict[str, str], code: object) -> str:
    if code is None:
        return ""
    return table.get(str(code), str(code))


def status(code: object) -> str:
    return _word(STATUSES, code)


def title(code: object) -> str:
    return _word(TITLES, code)


def rating(code: object) -> str:
    return _word(TASK_RATINGS, code)


def discipline(code: object) -> str:
    return _word(DISCIPLINES, code)


def kind(code: object) -> str:
    return _word(KINDS, code)


def role(code: object) -> str:
    return _word(ROLE_NAMES, code)


FILTERS = {
    "money": money,
    "number": number,
    "day": day,
    "moment": moment,
    "status": status,
    "title": title,
    "rating": rating,
    "discipline": discipline,
    "kind": kind,
    "role": role,
}
