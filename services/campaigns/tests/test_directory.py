"""The unit directory: units, clusters, rotation, and imports that are all or nothing."""

import io
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from openpyxl import Workbook

from thidua_shared.contracts.directory import ClusterChanged, UnitChanged
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer

Body = Callable[..., dict[str, Any]]
HEADER = "Mã đơn vị,Tên đơn vị,Loại hình,Mã đơn vị cấp trên,Liên hệ,Mã cụm thi đua,Tên cụm thi đua"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _codes(prefix: str) -> dict[str, str]:
    return {name: f"{prefix}{name}" for name in ("SO", "VP", "TTRA", "KHTC", "CUM")}


def _csv(c: dict[str, str], bad_row: str | None = None) -> bytes:
    rows = [
        HEADER,
        f"{c['SO']},Sở Thông tin và Truyền thông,Sở,,,,",
        f"{c['VP']},Văn phòng Sở,Phòng,{c['SO']},vp@dongnai.gov.vn,{c['CUM']},Cụm thi đua số 1",
        f"{c['TTRA']},Thanh tra Sở,Phòng,{c['SO']},,{c['CUM']},",
        bad_row or f"{c['KHTC']},Phòng Kế hoạch – Tài chính,Phòng,{c['SO']},,{c['CUM']},",
    ]
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode()


async def _import(campaigns: RunningService, body: bytes, media_type: str = "text/csv") -> Any:
    return await campaigns.client.post(
        "/campaigns/units/import", content=body, headers={"Content-Type": media_type}
    )


async def test_a_file_with_bad_rows_writes_nothing_and_names_each_row_and_field(
    campaigns: RunningService, bus: RecordingBus
) -> None:
    c = _codes(f"B{uuid4().hex[:6]}")
    bad = _csv(c, bad_row=f"{c['KHTC']},,Phòng,KHONGCO,,{c['CUM']},")
    bad = bad.replace(
        f",{c['SO']},,{c['CUM']},\r\n".encode(), f",KHONGCO,,{c['CUM']},\r\n".encode(), 1
    )
    response = await _import(campaigns, bad + f"{c['VP']},Trùng mã,Phòng,,,,\r\n".encode())
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [
        (4, "parent_code"),
        (5, "name"),
        (6, "code"),
    ]
    listed = (await campaigns.client.get("/campaigns/units", params={"limit": 1000})).json()
    assert not [u for u in listed["items"] if u["code"].startswith(c["SO"][:7])]
    assert (await campaigns.client.get(f"/campaigns/clusters/{c['CUM']}")).status_code == 404
    await campaigns.drain_outbox()
    assert not [e for e in bus.of_type("unit.changed") if c["VP"] in (e.subject or "")]


async def test_import_creates_units_and_clusters_then_updates_only_what_changed(
    campaigns: RunningService, bus: RecordingBus
) -> None:
    c = _codes(f"I{uuid4().hex[:6]}")
    first = await _import(campaigns, _csv(c))
    assert first.status_code == 200, first.text
    assert first.json() == {
        "units_created": 4,
        "units_updated": 0,
        "units_unchanged": 0,
        "clusters_created": 1,
        "clusters_updated": 0,
    }
    again = await _import(campaigns, _csv(c))
    assert again.json()["units_unchanged"] == 4
    assert again.json()["clusters_updated"] == 0

    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "kind", "parent_code", "contact", "cluster_code"])
    sheet.append(
        [c["VP"], "Văn phòng Sở Thông tin và Truyền thông", "Phòng", c["SO"], "", c["CUM"]]
    )
    sheet.append([c["KHTC"], "Phòng Kế hoạch – Tài chính", "Phòng", c["SO"], "", c["CUM"]])
    out = io.BytesIO()
    book.save(out)
    updated = await _import(campaigns, out.getvalue(), XLSX)
    assert updated.status_code == 200, updated.text
    assert (updated.json()["units_updated"], updated.json()["clusters_updated"]) == (1, 1)

    unit = (await campaigns.client.get(f"/campaigns/units/{c['VP']}")).json()
    assert unit["name"] == "Văn phòng Sở Thông tin và Truyền thông"
    assert unit["parent_code"] == c["SO"]
    cluster = (await campaigns.client.get(f"/campaigns/clusters/{c['CUM']}")).json()
    assert cluster["unit_codes"] == [c["VP"], c["KHTC"]]
    assert cluster["name"] == "Cụm thi đua số 1"

    await campaigns.drain_outbox()
    changes = [
        e.payload(UnitChanged)
        for e in bus.of_type("unit.changed")
        if e.subject == f"units/{c['VP']}"
    ]
    assert [u.name for u in changes] == ["Văn phòng Sở", "Văn phòng Sở Thông tin và Truyền thông"]
    clusters = [
        e.payload(ClusterChanged)
        for e in bus.of_type("cluster.changed")
        if e.subject == f"clusters/{c['CUM']}"
    ]
    assert [x.unit_codes for x in clusters] == [
        [c["VP"], c["TTRA"], c["KHTC"]],
        [c["VP"], c["KHTC"]],
    ]


async def test_a_file_that_is_not_csv_or_xlsx_is_refused(campaigns: RunningService) -> None:
    wrong_type = await _import(campaigns, b"{}", "application/json")
    assert (wrong_type.status_code, wrong_type.json()["field"]) == (415, "Content-Type")
    broken = await _import(campaigns, b"PK\x03\x04broken", XLSX)
    assert (broken.status_code, broken.json()["field"]) == (422, "body")
    unknown = await _import(campaigns, "Mã,Tên\r\nA,B\r\n".encode())
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["row"] == 1


async def test_units_are_deactivated_never_deleted_and_only_the_office_changes_them(
    campaigns: RunningService, bus: RecordingBus
) -> None:
    code = f"U{uuid4().hex[:6]}"
    created = await campaigns.client.post(
        "/campaigns/units", json={"code": code, "name": "Phòng Công nghệ thông tin"}
    )
    assert created.status_code == 201, created.text
    twice = await campaigns.client.post("/campaigns/units", json={"code": code, "name": "X"})
    assert (twice.status_code, twice.json()["field"]) == (409, "code")
    own_parent = await campaigns.client.patch(
        f"/campaigns/units/{code}", headers={"If-Match": "*"}, json={"parent_code": code}
    )
    assert (own_parent.status_code, own_parent.json()["field"]) == (422, "parent_code")

    as_unit_head = await campaigns.client.patch(
        f"/campaigns/units/{code}",
        json={"active": False},
        headers={**bearer(Role.UNIT_HEAD, code), "If-Match": "*"},
    )
    assert as_unit_head.status_code == 403
    off = await campaigns.client.patch(
        f"/campaigns/units/{code}", json={"active": False}, headers={"If-Match": '"1"'}
    )
    assert off.status_code == 200, off.text
    assert off.json()["active"] is False
    assert (await campaigns.client.get(f"/campaigns/units/{code}")).status_code == 200
    assert (await campaigns.client.delete(f"/campaigns/units/{code}")).status_code == 405

    refused = await campaigns.client.post(
        "/campaigns/campaigns",
        json={
            "document_number": "1/KH",
            "title": "Phong trào",
            "year": 2018,
            "period_start": "2018-01-01",
            "period_end": "2018-12-31",
            "phases": [{"name": "Đợt 1", "starts_on": "2018-01-01", "ends_on": "2018-12-31"}],
            "unit_codes": [code],
        },
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "unit_codes[0]")
    await campaigns.drain_outbox()
    states = [
        e.payload(UnitChanged).active
        for e in bus.of_type("unit.changed")
        if e.subject == f"units/{code}"
    ]
    assert states == [True, False]


async def test_rotation_takes_turns_in_member_order(
    campaigns: RunningService, bus: RecordingBus
) -> None:
    c = _codes(f"R{uuid4().hex[:6]}")
    assert (await _import(campaigns, _csv(c))).status_code == 200
    url = f"/campaigns/clusters/{c['CUM']}/rotation"
    leaders = []
    for year in (2018, 2019, 2020, 2021):
        elected = await campaigns.client.post(f"{url}/{year}")
        assert elected.status_code == 201, elected.text
        leaders.append(elected.json()["leaderships"][-1])
    assert [(x["leader_unit"], x["deputy_unit"]) for x in leaders] == [
        (c["VP"], c["TTRA"]),
        (c["TTRA"], c["KHTC"]),
        (c["KHTC"], c["VP"]),
        (c["VP"], c["TTRA"]),
    ]
    kept = await campaigns.client.post(f"{url}/2019")
    assert kept.status_code == 200
    assert len(kept.json()["leaderships"]) == 4

    await campaigns.drain_outbox()
    announced = [
        e.payload(ClusterChanged)
        for e in bus.of_type("cluster.changed")
        if e.subject == f"clusters/{c['CUM']}" and e.payload(ClusterChanged).year
    ]
    assert [(x.year, x.leader_unit) for x in announced] == [
        (2018, c["VP"]),
        (2019, c["TTRA"]),
        (2020, c["KHTC"]),
        (2021, c["VP"]),
    ]


async def test_a_campaign_names_its_participants_by_directory_codes(
    campaigns: RunningService, new_campaign: Body
) -> None:
    c = _codes(f"P{uuid4().hex[:6]}")
    assert (await _import(campaigns, _csv(c))).status_code == 200
    body = new_campaign(
        units=[{"code": "NGOAI", "name": "Đơn vị ngoài danh mục"}],
        unit_codes=[c["SO"]],
        cluster_codes=[c["CUM"]],
    )
    created = await campaigns.client.post("/campaigns/campaigns", json=body)
    assert created.status_code == 201, created.text
    units = {u["code"]: u["cluster"] for u in created.json()["units"]}
    assert units == {
        "NGOAI": None,
        c["SO"]: None,
        c["VP"]: "Cụm thi đua số 1",
        c["TTRA"]: "Cụm thi đua số 1",
        c["KHTC"]: "Cụm thi đua số 1",
    }
    assert created.json()["cluster_codes"] == [c["CUM"]]
    listed = await campaigns.client.get("/campaigns/campaigns", params={"unit": c["TTRA"]})
    assert [x["id"] for x in listed.json()["items"]] == [created.json()["id"]]

    unknown = await campaigns.client.post(
        "/campaigns/campaigns", json=new_campaign(cluster_codes=["KHONG-CO"])
    )
    assert (unknown.status_code, unknown.json()["field"]) == (422, "cluster_codes[0]")


async def test_a_vietnamese_code_is_created_and_located_percent_encoded(
    campaigns: RunningService,
) -> None:
    code = f"CỤM-ĐÔNG-{uuid4().hex[:6]}"
    response = await campaigns.client.post(
        "/campaigns/clusters", json={"code": code, "name": "Cụm thi đua Đông Nam Bộ"}
    )
    assert response.status_code == 201, response.text
    location = response.headers["Location"]
    assert location.isascii()
    found = await campaigns.client.get(location)
    assert found.status_code == 200
    assert found.json()["code"] == code
    unit = f"ĐV{uuid4().hex[:6]}"
    response = await campaigns.client.post(
        "/campaigns/units", json={"code": unit, "name": "Phòng Đào tạo"}
    )
    assert response.status_code == 201, response.text
    assert (await campaigns.client.get(response.headers["Location"])).json()["code"] == unit
    await campaigns.drain_outbox()
