"""The documents of the 2018 year built in memory from the seed, as the services build them from
their tables: the plan 60/KH-STTTT and the covenant of cluster 1, as the demo plays them; the
awards service's documents come from `preview_awards`."""

import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from campaigns import models as campaign_models
from campaigns.plan_document import plan_document
from campaigns.schemas import CampaignCreate
from campaigns.seed import seed_plan, seed_units_file
from pledges import models as pledge_models
from pledges.covenant_document import build as covenant_document
from thidua_local import preview_awards, preview_dossier
from thidua_shared.documents import AdministrativeDocument

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LAUNCHED_AT = datetime(2018, 1, 9, 9, tzinfo=VIETNAM)
COVENANT_ITEMS = [
    "Thực hiện tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
    "Hoàn thành xuất sắc chỉ tiêu, nhiệm vụ được giao năm 2018",
    "Đẩy mạnh cải cách hành chính và ứng dụng công nghệ thông tin",
    "Xây dựng cơ quan, đơn vị đạt chuẩn văn hóa",
]


def _columns(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    names = set(model.__table__.columns.keys())
    return {name: value for name, value in values.items() if name in names}


def plan() -> AdministrativeDocument:
    data = CampaignCreate.model_validate(seed_plan())
    values = _columns(campaign_models.Campaign, data.model_dump(exclude={"phases", "tasks"}))
    campaign = campaign_models.Campaign(
        **values,
        launched_at=LAUNCHED_AT,
        phases=[
            campaign_models.Phase(number=n, **phase.model_dump())
            for n, phase in enumerate(data.phases, start=1)
        ],
        tasks=[
            {"number": n, **task.model_dump(mode="json")}
            for n, task in enumerate(data.tasks, start=1)
        ],
    )
    return plan_document(campaign)


def _cluster_units(cluster_code: str) -> tuple[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(seed_units_file().decode("utf-8"))))
    units = [row for row in rows if row["Mã cụm thi đua"] == cluster_code]
    return units[0]["Tên cụm thi đua"], {row["Mã đơn vị"]: row["Tên đơn vị"] for row in units}


def covenant() -> AdministrativeDocument:
    data = CampaignCreate.model_validate(seed_plan()).model_dump(exclude={"tasks"})
    cluster, names = _cluster_units("CUM1")
    campaign = pledge_models.Campaign(
        **_columns(pledge_models.Campaign, data), launched_at=LAUNCHED_AT
    )
    signed_at = datetime(2018, 2, 1, 9, tzinfo=VIETNAM)
    signatures = [
        pledge_models.CovenantSignature(
            unit_code=code,
            signer_name=f"Thủ trưởng {name}",
            signer_title="Thủ trưởng đơn vị",
            signed_at=signed_at + timedelta(minutes=10 * n),
        )
        for n, (code, name) in enumerate(names.items())
    ]
    agreement = pledge_models.Covenant(
        cluster=cluster,
        items=COVENANT_ITEMS,
        document_number="01/GƯTĐ-CTĐ1",
        place="",
        created_at=signed_at,
        in_force_at=signatures[-1].signed_at,
        signatures=signatures,
    )
    return covenant_document(agreement, list(names), campaign, names)


DOCUMENTS: dict[str, Callable[[], AdministrativeDocument]] = {
    "ke-hoach-60-KH-STTTT": plan,
    "giao-uoc-cum-1": covenant,
    "bien-ban-binh-xet-cum-1": preview_awards.cluster_minutes,
    "bien-ban-hop-hoi-dong": preview_awards.council_minutes,
    "quyet-dinh-15-QD-STTTT": preview_awards.decision,
    "quyet-dinh-huy-bo-42-QD-STTTT": preview_awards.revocation,
    "to-trinh-16-TTr-STTTT": preview_dossier.proposal,
    "bao-cao-thanh-tich-tap-the-VP": preview_dossier.collective_report,
}
