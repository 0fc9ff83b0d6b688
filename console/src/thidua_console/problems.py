"""What the console tells a person about a problem the API answered: its own Vietnamese message
for each problem `code` (the API's `detail` is English and may change), with the field named."""

import dataclasses
from dataclasses import dataclass

MESSAGES: dict[str, str] = {
    "validation": "Dữ liệu nhập chưa hợp lệ.",
    "bad-request": "Yêu cầu không hợp lệ.",
    "unprocessable": "Không thể xử lý yêu cầu với dữ liệu này.",
    "not-found": "Không tìm thấy nội dung được yêu cầu.",
    "conflict": "Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ.",
    "stale-version": "Hồ sơ vừa được người khác thay đổi; hãy tải lại trang rồi thực hiện lại.",
    "if-match-required": "Thiếu phiên bản của hồ sơ; hãy tải lại trang rồi thực hiện lại.",
    "forbidden": "Vai trò của bạn không được phép thực hiện thao tác này.",
    "unauthenticated": "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.",
    "too-many-requests": "Có quá nhiều yêu cầu; hãy thử lại sau ít phút.",
    "too-large": "Tệp hoặc nội dung gửi lên quá lớn.",
    "unsupported-media-type": "Định dạng tệp không được hỗ trợ; hãy dùng tệp XLSX hoặc CSV.",
    "invalid-rows": "Tệp có lỗi ở các dòng dưới đây; chưa có dữ liệu nào được nhập.",
    "control-character": "Nội dung có ký tự điều khiển không hợp lệ.",
    "service-unavailable": "Hệ thống tạm thời không phản hồi; hãy thử lại sau ít phút.",
    "bad-gateway": "Hệ thống tạm thời không phản hồi; hãy thử lại sau ít phút.",
    "broker-unavailable": "Hệ thống tạm thời không phản hồi; hãy thử lại sau ít phút.",
    "internal": "Hệ thống gặp lỗi; hãy thử lại sau ít phút.",
    "csrf": "Biểu mẫu đã hết hạn; hãy tải lại trang rồi gửi lại.",
}
UNKNOWN = "Không thực hiện được yêu cầu."
# Row errors kept for the next page: a session cookie holds a few, the count says the rest.
MAX_ROWS_SHOWN = 8
MAX_ROW_MESSAGE = 160


def message_for(code: str) -> str:
    """The Vietnamese message of a problem code; `http-404`-style codes read as their status."""
    if code in MESSAGES:
        return MESSAGES[code]
    if code.startswith("http-"):
        return MESSAGES["not-found"] if code == "http-404" else UNKNOWN
    return UNKNOWN


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Problem:
    """A problem as a person sees it: the message, the field, and an upload's row errors."""

    status: int
    code: str
    message: str
    field: str | None = None
    rows: list[RowError] = dataclasses.field(default_factory=list)
    rows_not_shown: int = 0

    @classmethod
    def from_body(cls, status: int, body: object) -> "Problem":
        found = body if isinstance(body, dict) else {}
        code = str(found.get("code") or f"http-{status}")
        problem_field = found.get("field")
        rows = [
            RowError(
                row=int(item.get("row", 0)),
                column=str(item.get("field", "")),
                message=str(item.get("message", ""))[:MAX_ROW_MESSAGE],
            )
            for item in found.get("errors", []) or []
            if isinstance(item, dict) and "row" in item
        ]
        return cls(
            status=status,
            code=code,
            message=message_for(code),
            field=str(problem_field) if problem_field else None,
            rows=rows[:MAX_ROWS_SHOWN],
            rows_not_shown=max(0, len(rows) - MAX_ROWS_SHOWN),
        )

    @property
    def page_status(self) -> int:
        """The status of a form shown again with this problem: the API's own for what the user
        sent, 503 for what failed behind it."""
        return self.status if 400 <= self.status < 500 else 503

    def to_flash(self) -> dict[str, object]:
        return {
            "status": self.status,
            "code": self.code,
            "field": self.field,
            "rows": [[r.row, r.column, r.message] for r in self.rows],
            "more": self.rows_not_shown,
        }

    @classmethod
    def from_flash(cls, saved: dict[str, object]) -> "Problem":
        code = str(saved.get("code", ""))
        rows = saved.get("rows")
        more = saved.get("more")
        status = saved.get("status")
        return cls(
            status=status if isinstance(status, int) else 400,
            code=code,
            message=message_for(code),
            field=str(saved["field"]) if saved.get("field") else None,
            rows=[RowError(int(r[0]), str(r[1]), str(r[2])) for r in rows]
            if isinstance(rows, list)
            else [],
            rows_not_shown=more if isinstance(more, int) else 0,
        )
