"""The split by authority and the dossier to the higher level: the agency's decision grants only
what its head may decide; the rest goes up in a dossier that is drafted, sent, returned for more
documents, sent again and decided; the higher decision's awards enter the history and are
announced with the authority, the fund that pays and bonuses at the base salary of its date."""

import io
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import openpyxl
import pypdf
from sqlalchemy import select

from awards.history.models import AwardHistoryEntry
from services.awards.tests.test_council_story import NOMINEES, CouncilStory, Nominee, clock_at
from tests.documents.official_text import assert_only_vietnamese
from thidua_shared.contracts.awards import AwardDecided
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer

HIGHER = (
    Nominee("unit", "VP", "Văn phòng Sở", "VP", "tap_the_lao_dong_xuat_sac", Decimal("1.5")),
    Nominee(
        "unit", "PCNTT", "Phòng Công nghệ thông tin", "PCNTT", "co_thi_dua_cap_tinh", Decimal(0)
    ),
    Nominee(
        "person",
        "VP-001",
        "Nguyễn Thị Hồng Nhung",
        "VP",
        "chien_si_thi_dua_cap_tinh",
        Decimal("3.0"),
        ("SK-2018-014",),
    ),
)
OWN_TITLES = {"tap_the_lao_dong_tien_tien", "chien_si_thi_dua_co_so", "lao_dong_tien_tien"}
SIGNER = bearer(Role.DECISION_SIGNER)


async def _disclosed(awards: RunningService) -> tuple[CouncilStory, dict[str, Any]]:
    story = CouncilStory(awards)
    await story.compiled((*NOMINEES, *HIGHER))
    return story, await story.disclosed(date(2018, 6, 4))


async def _agency_decision(awards: RunningService, disclosure: dict[str, Any]) -> dict[str, Any]:
    with clock_at(date(2018, 6, 29)):
        response = await awards.client.post(
            "/awards/decisions",
            json={
                "disclosure_id": disclosure["id"],
                "number": f"{uuid4().int % 10000}/QĐ-STTTT",
                "decided_on": "2018-06-29",
                "place": "Đồng Nai",
                "issuing_agency": "Sở Thông tin và Truyền thông",
                "parent_agency": "UBND tỉnh Đồng Nai",
                "signer_title": "Giám đốc",
                "signer_name": "Lê Hoàng Ngọc",
            },
            headers=SIGNER,
        )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _drafted(awards: RunningService, disclosure: dict[str, Any]) -> dict[str, Any]:
    with clock_at(date(2018, 6, 29)):
        response = await awards.client.post(
            "/awards/dossiers",
            json={
                "disclosure_id": disclosure["id"],
                "number": f"{uuid4().int % 10000}/TTr-STTTT",
                "drafted_on": "2018-06-29",
                "place": "Đồng Nai",
                "issuing_agency": "Sở Thông tin và Truyền thông",
                "parent_agency": "UBND tỉnh Đồng Nai",
                "signer_title": "Giám đốc",
                "signer_name": "Lê Hoàng Ngọc",
            },
            headers=SIGNER,
        )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _post(awards: RunningService, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await awards.client.post(path, json=body, headers=SIGNER)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_the_agency_decides_its_own_titles_and_proposes_the_rest(
    awards: RunningService,
) -> None:
    _, disclosure = await _disclosed(awards)
    decision = await _agency_decision(awards, disclosure)
    assert {a["title"] for a in decision["awards"]} == OWN_TITLES
    dossier = await _drafted(awards, disclosure)
    assert dossier["status"] == "drafted"
    assert dossier["authority"] == "provincial_chairman"
    assert dossier["addressee"] == "Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai"
    assert {(i["subject_code"], i["title"]) for i in dossier["items"]} == {
        (n.subject_code, n.title) for n in HIGHER
    }
    assert "Điều 79" in dossier["authority_citation"]


async def test_a_dossier_to_an_authority_the_agency_holds_is_refused(
    awards: RunningService,
) -> None:
    _, disclosure = await _disclosed(awards)
    with clock_at(date(2018, 6, 29)):
        response = await awards.client.post(
            "/awards/dossiers",
            json={
                "disclosure_id": disclosure["id"],
                "authority": "agency_head",
                "number": f"{uuid4().int % 10000}/TTr-STTTT",
                "drafted_on": "2018-06-29",
                "place": "Đồng Nai",
                "signer_title": "Giám đốc",
                "signer_name": "Lê Hoàng Ngọc",
            },
            headers=SIGNER,
        )
    assert response.status_code == 422, response.text
    assert "authority" in response.text


async def test_the_dossier_goes_up_comes_back_and_is_decided(
    awards: RunningService, bus: RecordingBus
) -> None:
    _, disclosure = await _disclosed(awards)
    dossier = await _drafted(awards, disclosure)
    base = f"/awards/dossiers/{dossier['id']}"
    early = await awards.client.post(
        f"{base}/decision",
        json={"number": "1/QĐ-UBND", "decided_on": "2018-07-05", "signer_title": "Chủ tịch",
              "signer_name": "Đinh Quốc Thái"},
        headers=SIGNER,
    )  # fmt: skip
    assert early.status_code == 409, early.text
    sent = await _post(awards, f"{base}/sent", {"sent_on": "2018-06-30"})
    assert (sent["status"], sent["sent_number"]) == ("sent", dossier["number"])
    returned = await _post(
        awards, f"{base}/returns", {"returned_on": "2018-07-02", "reason": "Bổ sung biên bản."}
    )
    assert returned["status"] == "returned"
    assert returned["returns"] == [{"returned_on": "2018-07-02", "reason": "Bổ sung biên bản."}]
    await _post(awards, f"{base}/sent", {"sent_on": "2018-07-03", "number": "25/STTTT-VP"})
    decided = await _post(
        awards,
        f"{base}/decision",
        {
            "number": f"{uuid4().int % 10000}/QĐ-UBND",
            "decided_on": "2018-07-05",
            "signer_title": "Chủ tịch",
            "signer_name": "Đinh Quốc Thái",
            "refused": [
                {
                    "subject_kind": "unit",
                    "subject_code": "PCNTT",
                    "title": "co_thi_dua_cap_tinh",
                    "reason": "Chưa đủ tiêu chuẩn.",
                }
            ],
        },
    )
    assert decided["status"] == "decided"
    # 1.5 and 3.0 × 1.390.000 đồng, the base salary from 01/07/2018, rounded up.
    assert {(g["subject_code"], g["bonus_vnd"]) for g in decided["granted"]} == {
        ("VP", 2_090_000),
        ("VP-001", 4_170_000),
    }
    assert decided["base_salary_vnd"] == 1_390_000
    assert decided["total_bonus_vnd"] == 6_260_000
    assert decided["fund"] == "Quỹ thi đua, khen thưởng của Ủy ban nhân dân cấp tỉnh"
    assert "91/2017/NĐ-CP" in decided["fund_citation"]
    assert [r["subject_code"] for r in decided["refused"]] == ["PCNTT"]

    await awards.drain_outbox()
    [event] = [
        e.payload(AwardDecided)
        for e in bus.of_type("award.decided")
        if e.subject == f"dossiers/{dossier['id']}"
    ]
    assert event.authority == "provincial_chairman"
    assert event.proposal_number == dossier["number"]
    assert "Ủy ban nhân dân cấp tỉnh" in event.fund
    assert event.total_bonus_vnd == 6_260_000
    async with awards.runtime.sessionmaker() as session:
        history = (
            await session.scalars(
                select(AwardHistoryEntry).where(
                    AwardHistoryEntry.decision_id == decided["decision_id"]
                )
            )
        ).all()
    assert {(h.subject_code, h.title, h.year) for h in history} == {
        ("VP", "tap_the_lao_dong_xuat_sac", 2018),
        ("VP-001", "chien_si_thi_dua_cap_tinh", 2018),
    }
    again = await awards.client.post(
        f"{base}/decision",
        json={"number": "2/QĐ-UBND", "decided_on": "2018-07-06", "signer_title": "Chủ tịch",
              "signer_name": "Đinh Quốc Thái"},
        headers=SIGNER,
    )  # fmt: skip
    assert again.status_code == 409


async def test_the_higher_decision_is_imported_from_its_workbook(awards: RunningService) -> None:
    _, disclosure = await _disclosed(awards)
    dossier = await _drafted(awards, disclosure)
    base = f"/awards/dossiers/{dossier['id']}"
    await _post(awards, f"{base}/sent", {"sent_on": "2018-06-30"})
    template = await awards.client.get(f"{base}/decision-template.xlsx")
    assert template.status_code == 200, template.text
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = book.active
    assert sheet is not None
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    rows["VP-001"][4].value = "Không khen thưởng"
    rows["VP-001"][5].value = "Sáng kiến chưa đủ phạm vi tỉnh."
    rows["PCNTT"][4].value = "Không khen thưởng"
    missing_reason = io.BytesIO()
    book.save(missing_reason)
    params = {
        "number": f"{uuid4().int % 10000}/QĐ-UBND",
        "decided_on": "2018-07-05",
        "signer_title": "Chủ tịch",
        "signer_name": "Đinh Quốc Thái",
    }
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    refused = await awards.client.post(
        f"{base}/decision/import",
        params=params,
        content=missing_reason.getvalue(),
        headers={**SIGNER, "Content-Type": xlsx},
    )
    assert refused.status_code == 422, refused.text
    assert "reason" in refused.text
    rows["PCNTT"][4].value = "Khen thưởng"
    filled = io.BytesIO()
    book.save(filled)
    response = await awards.client.post(
        f"{base}/decision/import",
        params=params,
        content=filled.getvalue(),
        headers={**SIGNER, "Content-Type": xlsx},
    )
    assert response.status_code == 200, response.text
    decided = response.json()
    assert {g["subject_code"] for g in decided["granted"]} == {"VP", "PCNTT"}
    assert [(r["subject_code"], r["reason"]) for r in decided["refused"]] == [
        ("VP-001", "Sáng kiến chưa đủ phạm vi tỉnh.")
    ]


async def test_the_dossier_documents_are_drafted_in_vietnamese(awards: RunningService) -> None:
    _, disclosure = await _disclosed(awards)
    dossier = await _drafted(awards, disclosure)
    base = f"/awards/dossiers/{dossier['id']}"
    proposal = await awards.client.get(f"{base}/documents/to-trinh.pdf")
    assert proposal.status_code == 200, proposal.text
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(proposal.content)).pages
    )
    text = " ".join(text.split())
    assert "TỜ TRÌNH" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai" in text
    assert "DANH SÁCH ĐỀ NGHỊ TẶNG CHIẾN SĨ THI ĐUA CẤP TỈNH" in text
    archive = await awards.client.get(f"{base}/dossier.zip")
    assert archive.status_code == 200, archive.text
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert "01-to-trinh.pdf" in names
    assert "02-bien-ban-hoi-dong.docx" in names
    assert "03-danh-sach-sang-kien.pdf" in names
    assert any("bao-cao-thanh-tich-tap-the-vp" in name for name in names)
    assert any("bao-cao-thanh-tich-ca-nhan-vp-001" in name for name in names)
    unknown = await awards.client.get(f"{base}/documents/khac.pdf")
    assert unknown.status_code == 404
    bundle = zipfile.ZipFile(io.BytesIO(archive.content))
    for name in names:
        if name.endswith(".pdf"):
            reader = pypdf.PdfReader(io.BytesIO(bundle.read(name)))
            assert_only_vietnamese(" ".join(p.extract_text() for p in reader.pages), name)


async def test_the_higher_decision_pays_one_achievements_titles_once(
    awards: RunningService,
) -> None:
    """A unit granted its flag and Tập thể lao động xuất sắc for the same year is paid the higher
    bonus only (Nghị định 91/2017 Điều 66 khoản 2 điểm c), as in the agency's own decision."""
    flag = Nominee(
        "unit", "VP", "Văn phòng Sở", "VP", "co_thi_dua_cap_tinh", Decimal(0)
    )  # fmt: skip
    story = CouncilStory(awards)
    await story.compiled((*NOMINEES, *HIGHER, flag))
    disclosure = await story.disclosed(date(2018, 6, 4))
    dossier = await _drafted(awards, disclosure)
    base = f"/awards/dossiers/{dossier['id']}"
    await _post(awards, f"{base}/sent", {"sent_on": "2018-06-30"})
    decided = await _post(
        awards,
        f"{base}/decision",
        {
            "number": f"{uuid4().int % 10000}/QĐ-UBND",
            "decided_on": "2018-07-05",
            "signer_title": "Chủ tịch",
            "signer_name": "Đinh Quốc Thái",
        },
    )
    paid = {g["title"]: g["bonus_vnd"] for g in decided["granted"] if g["subject_code"] == "VP"}
    assert set(paid) == {"tap_the_lao_dong_xuat_sac", "co_thi_dua_cap_tinh"}
    assert sorted(paid.values())[0] == 0
    assert decided["total_bonus_vnd"] == sum(g["bonus_vnd"] for g in decided["granted"])


async def test_the_signer_and_the_observer_read_the_dossier_and_only_the_signer_acts(
    awards: RunningService,
) -> None:
    """The signer signs the tờ trình, so reads the dossier and its documents before sending it;
    the observer reads them and may not send it."""
    _, disclosure = await _disclosed(awards)
    dossier = await _drafted(awards, disclosure)
    base = f"/awards/dossiers/{dossier['id']}"
    for reader in (SIGNER, bearer(Role.OBSERVER)):
        listed = await awards.client.get(
            "/awards/dossiers", params={"campaign_id": dossier["campaign_id"]}, headers=reader
        )
        assert listed.status_code == 200, listed.text
        assert [d["id"] for d in listed.json()["items"]] == [dossier["id"]]
        for path in ("", "/documents/to-trinh.pdf", "/dossier.zip"):
            read = await awards.client.get(base + path, headers=reader)
            assert read.status_code == 200, f"{path}: {read.text[:200]}"
    observed = await awards.client.post(
        f"{base}/sent", json={"sent_on": "2018-06-30"}, headers=bearer(Role.OBSERVER)
    )
    assert observed.status_code == 403, observed.text
    await _post(awards, f"{base}/sent", {"sent_on": "2018-06-30"})
    template = await awards.client.get(f"{base}/decision-template.xlsx", headers=SIGNER)
    assert template.status_code == 200, template.text
