"""The dossier to the Chủ tịch UBND tỉnh of the 2018 year built in memory, as the demo plays
it: the tờ trình 16/TTr-STTTT with its lists and a collective's báo cáo thành tích."""

from datetime import date
from typing import Any

from awards.dossier.codes import Authority, DossierStatus
from awards.dossier.documents import DossierContents
from awards.dossier.models import Dossier
from awards.dossier.reports import PastAward, UnitRecord
from thidua_local.preview_awards import CAMPAIGN, UNITS, council_minutes
from thidua_shared.documents import AdministrativeDocument

# (kind, code, name, unit, title)
PROPOSALS = [
    ("unit", "VP", "Văn phòng Sở", "VP", "tap_the_lao_dong_xuat_sac"),
    ("unit", "VP", "Văn phòng Sở", "VP", "co_thi_dua_cap_tinh"),
    ("person", "VP-001", "Nguyễn Thị Hồng Nhung", "VP", "chien_si_thi_dua_cap_tinh"),
    ("person", "TTRA-002", "Lê Thị Thanh Tâm", "TTRA", "bang_khen_cap_tinh"),
]
RESULTS: list[dict[str, Any]] = [
    {"indicator": "Tỷ lệ hồ sơ giải quyết đúng hạn (%)", "target_value": 98,
     "achieved_value": 99.5, "percent_of_target": 101.5},
    {"indicator": "Số tin, bài tuyên truyền trên cổng thông tin", "target_value": 240,
     "achieved_value": 262, "percent_of_target": 109.2},
    {"indicator": "Số thủ tục hành chính trực tuyến mức độ 3, 4", "target_value": 40,
     "achieved_value": 44, "percent_of_target": 110.0},
]  # fmt: skip


def _contents() -> DossierContents:
    dossier = Dossier(
        authority=Authority.PROVINCIAL_CHAIRMAN,
        status=DossierStatus.DRAFTED,
        rule_set="law-2013-decree-91-2017",
        number="16/TTr-STTTT",
        drafted_on=date(2019, 1, 24),
        place="Đồng Nai",
        issuing_agency="Sở Thông tin và Truyền thông",
        parent_agency="UBND tỉnh Đồng Nai",
        addressee="Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai",
        signer_authority="",
        signer_title="Giám đốc",
        signer_name="Lê Hoàng Ngọc",
        items=[
            {
                "subject_kind": kind,
                "subject_code": code,
                "subject_name": name,
                "unit_code": unit,
                "title": title,
            }
            for kind, code, name, unit, title in PROPOSALS
        ],
    )
    units = {
        "VP": UnitRecord("VP", UNITS["VP"], "xuat_sac", RESULTS, 14),
        "TTRA": UnitRecord("TTRA", UNITS["TTRA"], "tot", (), 9),
    }
    past = {
        "VP": [
            PastAward(2016, "tap_the_lao_dong_xuat_sac"),
            PastAward(2017, "tap_the_lao_dong_xuat_sac"),
        ]
    }
    return DossierContents(dossier, CAMPAIGN, council_minutes(), units, {}, past)


def proposal() -> AdministrativeDocument:
    return _contents().proposal()


def collective_report() -> AdministrativeDocument:
    return _contents().report("unit", "VP")
