"""A province's busiest day as HTTP calls: the directory and the campaign (through the API, as
the demo does), then for every unit the writes the API benchmark measures, in order:

    register     POST /pledges/registrations                 (unit head; a draft, commitments)
    members      PUT  /pledges/registrations/{id}/members    (unit head; XLSX of its members)
    submit       POST /pledges/registrations/{id}/submit     (unit head)
    approve      POST /pledges/registrations/{id}/approve    (office)  → pledge.approved
    report       POST /reports/reports                       (unit head; final, evaluations)
    approve report  POST /reports/reports/{id}/approve       (office)  → report.approved
"""

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from api_http import Answer, Request
from api_load import Operation
from openpyxl import Workbook, load_workbook

from thidua_shared.platform.auth import Role
from thidua_shared.testing import bearer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_CLUSTER = 20
RATINGS = ("xuat_sac", "tot", "tot", "tot", "hoan_thanh")
COMMITMENTS: list[dict[str, Any]] = [
    {
        "task_number": 1,
        "content": "Tổ chức sinh hoạt chuyên đề học tập và làm theo tư tưởng Hồ Chí Minh",
        "indicator": "Buổi sinh hoạt chuyên đề",
        "unit_of_measure": "buổi",
        "target_value": 4,
    },
    {
        "task_number": 2,
        "content": "Rút ngắn thời gian giải quyết hồ sơ hành chính",
        "indicator": "Thời gian giải quyết hồ sơ trung bình",
        "unit_of_measure": "ngày",
        "target_value": 5,
        "lower_is_better": True,
    },
]


def unit_code(index: int) -> str:
    return f"DV{index:04d}"


def directory_csv(units: int) -> bytes:
    lines = ["code,name,kind,parent_code,contact,cluster_code,cluster_name"]
    for i in range(units):
        cluster = i // PER_CLUSTER + 1
        lines.append(
            f"{unit_code(i)},Phòng Văn hóa và Thông tin số {i},Phòng,,dv{i}@example.gov.vn,"
            f"CUM{cluster:03d},Cụm thi đua số {cluster}"
        )
    return ("\n".join(lines) + "\n").encode()


def campaign_body(units: int) -> dict[str, Any]:
    year = datetime.now(UTC).year
    clusters = (units + PER_CLUSTER - 1) // PER_CLUSTER
    return {
        "document_number": f"{uuid4().hex[:6]}/KH-BENCH",
        "title": f"Phát động phong trào thi đua năm {year}",
        "year": year,
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "registration_deadline": f"{year}-12-31",
        "phases": [{"name": "Cả năm", "starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31"}],
        "tasks": [
            {"content": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"},
            {"content": "Đẩy mạnh cải cách hành chính"},
        ],
        "cluster_codes": [f"CUM{c:03d}" for c in range(1, clusters + 1)],
    }


def members_xlsx(header: list[Any], unit: str, members: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    for n in range(1, members + 1):
        female = n % 2 == 0
        sheet.append(
            [
                f"{unit}-{n:03d}",
                f"{'Nguyễn Thị Thanh Hương' if female else 'Trần Văn Minh'} {n}",
                "Nữ" if female else "Nam",
                "Chuyên viên",
                "Chiến sĩ thi đua cơ sở" if n % 7 == 0 else "Lao động tiên tiến",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_header(template: bytes) -> list[Any]:
    sheet = load_workbook(io.BytesIO(template), read_only=True).worksheets[0]
    return [c for c in next(sheet.iter_rows(max_row=1, values_only=True)) if c is not None]


@dataclass
class Province:
    units: int
    members: int
    campaign_id: str = ""
    office: dict[str, str] = field(default_factory=dict)
    heads: list[dict[str, str]] = field(default_factory=list)
    files: list[bytes] = field(default_factory=list)
    registrations: dict[int, str] = field(default_factory=dict)
    etags: dict[int, str] = field(default_factory=dict)
    reports: dict[int, str] = field(default_factory=dict)

    def tokens(self) -> None:
        self.office = bearer(Role.OFFICE)
        self.heads = [bearer(Role.UNIT_HEAD, unit_code(i)) for i in range(self.units)]

    def _json(self, method: str, path: str, who: dict[str, str], body: Any = None) -> Request:
        headers = {**who, "Content-Type": "application/json"}
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid4())
        return Request(method, path, headers, b"" if body is None else json.dumps(body).encode())

    def _keep(self, store: dict[int, str] | None, status: int) -> Any:
        def accept(i: int, answer: Answer) -> bool:
            if answer.status != status:
                return False
            if "etag" in answer.headers:
                self.etags[i] = answer.headers["etag"]
            if store is not None:
                store[i] = json.loads(answer.body)["id"]
            return True

        return accept

    def _if_match(self, i: int) -> dict[str, str]:
        return {"If-Match": self.etags.get(i, "*")}

    def register(self) -> Operation:
        def request(i: int) -> Request:
            body = {
                "campaign_id": self.campaign_id,
                "unit_code": unit_code(i),
                "draft": True,
                "collective_title": "tap_the_lao_dong_tien_tien",
                "commitments": COMMITMENTS,
                "members": [],
            }
            return self._json("POST", "/pledges/registrations", self.heads[i], body)

        return Operation("register (draft)", request, self._keep(self.registrations, 201))

    def import_members(self) -> Operation:
        def request(i: int) -> Request:
            headers = {**self.heads[i], "Content-Type": XLSX, **self._if_match(i)}
            path = f"/pledges/registrations/{self.registrations[i]}/members"
            return Request("PUT", path, headers, self.files[i])

        return Operation(f"members XLSX ({self.members})", request, self._keep(None, 200))

    def submit(self) -> Operation:
        def request(i: int) -> Request:
            path = f"/pledges/registrations/{self.registrations[i]}/submit"
            headers = {**self.heads[i], **self._if_match(i)}
            return self._json("POST", path, headers)

        return Operation("submit registration", request, self._keep(None, 200))

    def approve(self) -> Operation:
        def request(i: int) -> Request:
            path = f"/pledges/registrations/{self.registrations[i]}/approve"
            return self._json("POST", path, {**self.office, **self._if_match(i)})

        return Operation("approve registration", request, self._keep(None, 200))

    def report(self) -> Operation:
        def request(i: int) -> Request:
            code = unit_code(i)
            body = {
                "campaign_id": self.campaign_id,
                "phase_number": 1,
                "unit_code": code,
                "summary": f"Báo cáo tổng kết phong trào thi đua năm của đơn vị {code}.",
                "self_assessment": "tot",
                "results": [
                    {
                        "commitment_number": n,
                        "achieved_value": 4 if n == 1 else 4.5,
                        "narrative": "Đơn vị đã triển khai đầy đủ theo kế hoạch đăng ký.",
                        "evidence": [f"https://vanban.example.vn/{code}/minh-chung-{n}.pdf"],
                    }
                    for n in (1, 2)
                ],
                "member_evaluations": [
                    {"staff_code": f"{code}-{n:03d}", "task_rating": RATINGS[n % len(RATINGS)]}
                    for n in range(1, self.members + 1)
                ],
            }
            return self._json("POST", "/reports/reports", self.heads[i], body)

        return Operation(
            f"report ({self.members} evaluations)", request, self._keep(self.reports, 201)
        )

    def approve_report(self) -> Operation:
        def request(i: int) -> Request:
            path = f"/reports/reports/{self.reports[i]}/approve"
            return self._json("POST", path, {**self.office, **self._if_match(i)})

        return Operation("approve report", request, self._keep(None, 200))
