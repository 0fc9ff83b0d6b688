"""The first half of the year: the plan, the directory, the history, registrations, covenants."""

from typing import Any

from thidua_local.demo.client import DemoClient
from thidua_local.demo.scenario import Scenario, UnitPeople
from thidua_shared.platform.auth import Role

# Each unit turns the plan's tasks into its own measurable commitments (nội dung đăng ký).
UNIT_COMMITMENTS: list[dict[str, Any]] = [
    {
        "task_number": 1,
        "content": "Tổ chức quán triệt tư tưởng Hồ Chí Minh về thi đua ái quốc cho toàn đơn vị",
        "indicator": "Buổi sinh hoạt chuyên đề",
        "unit_of_measure": "buổi",
        "target_value": 4,
    },
    {"task_number": 2},
    {
        "task_number": 5,
        "content": "Rút ngắn thời gian giải quyết hồ sơ hành chính",
        "indicator": "Thời gian giải quyết hồ sơ trung bình",
        "unit_of_measure": "ngày",
        "target_value": 5,
        "lower_is_better": True,
    },
    {
        "task_number": 6,
        "content": "Đăng tải tin, bài tuyên truyền trên cổng thông tin",
        "indicator": "Tin, bài đăng tải",
        "unit_of_measure": "tin",
        "target_value": 120,
    },
]


def registration_body(campaign_id: str, unit: UnitPeople, collective_title: str) -> dict[str, Any]:
    return {
        "campaign_id": campaign_id,
        "unit_code": unit.unit_code,
        "collective_title": collective_title,
        "commitments": UNIT_COMMITMENTS,
        "members": [
            {
                "staff_code": m.staff_code,
                "full_name": m.full_name,
                "gender": m.gender,
                "position": m.position,
                "title_aimed": m.title_aimed,
            }
            for m in unit.members
        ],
        "attachments": [
            {
                "url": f"https://vanban.example.vn/2018/{unit.unit_code}/bien-ban-dang-ky.pdf",
                "sha256": "0" * 63 + "1",
                "description": "Biên bản họp đơn vị đăng ký thi đua",
            }
        ],
    }


async def register_units(
    client: DemoClient, campaign_id: str, scenario: Scenario
) -> dict[str, dict[str, Any]]:
    registrations = {}
    for index, unit in enumerate(scenario.units):
        title = "tap_the_lao_dong_xuat_sac" if index % 3 == 0 else "tap_the_lao_dong_tien_tien"
        created = await client.until_accepted(
            "POST",
            "/pledges/registrations",
            role=Role.UNIT_HEAD,
            unit=unit.unit_code,
            json=registration_body(campaign_id, unit, title),
            headers={"Idempotency-Key": f"demo-registration-{campaign_id}-{unit.unit_code}"},
        )
        registrations[unit.unit_code] = created
    return registrations


async def sign_covenants(
    client: DemoClient, campaign_id: str, clusters: dict[str, list[str]], unit_names: dict[str, str]
) -> list[str]:
    covenant_ids = []
    for number, (cluster, units) in enumerate(sorted(clusters.items()), start=1):
        covenant = await client.until_accepted(
            "POST",
            "/pledges/covenants",
            json={
                "campaign_id": campaign_id,
                "cluster": cluster,
                "document_number": f"{number:02d}/GƯTĐ-CTĐ{number}",
                "items": [
                    "Thực hiện tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
                    "Hoàn thành xuất sắc chỉ tiêu, nhiệm vụ được giao năm 2018",
                    "Đẩy mạnh cải cách hành chính và ứng dụng công nghệ thông tin",
                    "Xây dựng cơ quan, đơn vị đạt chuẩn văn hóa",
                ],
            },
            headers={"Idempotency-Key": f"demo-covenant-{campaign_id}-{number}"},
        )
        for unit in units:
            if any(s["unit_code"] == unit for s in covenant["signatures"]):
                continue
            covenant = await client.call(
                "POST",
                f"/pledges/covenants/{covenant['id']}/signatures",
                role=Role.UNIT_HEAD,
                unit=unit,
                json={
                    "unit_code": unit,
                    "signer_name": f"Thủ trưởng {unit_names.get(unit, unit)}",
                    "signer_title": "Thủ trưởng đơn vị",
                },
            )
        covenant_ids.append(covenant["id"])
    return covenant_ids
