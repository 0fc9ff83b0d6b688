"""Acceptance 1: the 2018 plan loads as data, and its PDF and DOCX carry every part of it."""

import io
import unicodedata
from typing import Any

import docx

from campaigns.seed import load_seed, seed_plan
from thidua_shared.contracts.campaigns import CampaignLaunched
from thidua_shared.document_readback import (
    docx_body_text,
    docx_document,
    pdf_body_text,
    pdf_fonts,
    pdf_horizontal_lines,
    pdf_pages,
)
from thidua_shared.testing import RecordingBus, RunningService

PLAN = seed_plan()


def _flat(text: str) -> str:
    """Text as extracted, NFC, with line breaks and runs of spaces made one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _assert_carries_the_plan(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text)
    flat = _flat(text)
    expected = [
        "Số: 60/KH-STTTT",
        "Đồng Nai, ngày 09 tháng 01 năm 2018",
        "KẾ HOẠCH",
        "Phát động phong trào thi đua năm 2018",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "UBND TỈNH ĐỒNG NAI",
        "Chỉ thị số 82/CT-BTTTT ngày 22/12/2017",
        PLAN["theme"],
        *PLAN["objectives"],
        *(f"{i}. {task['content']}" for i, task in enumerate(PLAN["tasks"], start=1)),
        f"- Đợt 1 (Từ 01/01/2018 đến 30/06/2018): {PLAN['phases'][0]['dedication']}",
        f"- Đợt 2 (Từ 01/07/2018 đến 31/12/2018): {PLAN['phases'][1]['dedication']}",
        *PLAN["implementation"],
        "Nơi nhận",
        *PLAN["recipients"],
        "GIÁM ĐỐC",
        "Lê Hoàng Ngọc",
    ]
    missing = [part for part in expected if _flat(part) not in flat]
    assert not missing, missing


async def _read(campaigns: RunningService, path: str) -> Any:
    response = await campaigns.client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_seed_loads_every_field_and_a_second_run_reuses_it(
    campaigns: RunningService, bus: RecordingBus
) -> None:
    campaign_id = await load_seed(campaigns.client)
    assert await load_seed(campaigns.client) == campaign_id

    read = await _read(campaigns, f"/campaigns/campaigns/{campaign_id}")
    for name, value in PLAN.items():
        if name in ("tasks", "phases"):
            continue
        assert read[name] == value, name
    assert [(t["number"], t["content"]) for t in read["tasks"]] == [
        (i, t["content"]) for i, t in enumerate(PLAN["tasks"], start=1)
    ]
    assert read["tasks"][1]["targets"][0]["target_value"] == 100
    assert [(p["name"], p["starts_on"], p["ends_on"], p["dedication"]) for p in read["phases"]] == [
        (p["name"], p["starts_on"], p["ends_on"], p["dedication"]) for p in PLAN["phases"]
    ]
    assert read["status"] == "launched"
    assert read["rule_set"] == "law-2013-decree-91-2017"
    assert len(read["units"]) == 12
    assert {u["cluster"] for u in read["units"]} == {
        "Cụm thi đua số 1 – Văn phòng và Thanh tra",
        "Cụm thi đua số 2 – Các phòng chuyên môn",
        "Cụm thi đua số 3 – Phòng Văn hóa và Thông tin cấp huyện",
    }

    clusters = await _read(campaigns, "/campaigns/clusters")
    seeded = {c["code"]: c for c in clusters if c["code"] in PLAN["cluster_codes"]}
    assert len(seeded) == 3
    assert all(len(c["leaderships"]) == 1 for c in seeded.values())
    assert seeded["CUM1"]["leaderships"][0] == {
        "year": 2018,
        "leader_unit": "VP",
        "deputy_unit": "TTRA",
    }
    listed = await _read(campaigns, "/campaigns/campaigns?document_number=60/KH-STTTT&year=2018")
    assert [c["id"] for c in listed["items"] if c["theme"] == PLAN["theme"]] == [str(campaign_id)]

    await campaigns.drain_outbox()
    [launched] = [
        e.payload(CampaignLaunched)
        for e in bus.of_type("campaign.launched")
        if e.subject == f"campaigns/{campaign_id}"
    ]
    assert launched.recipients == PLAN["recipients"]
    assert launched.issued_on is not None
    assert launched.issued_on.isoformat() == "2018-01-09"
    assert launched.legal_bases == PLAN["legal_bases"]
    assert len(launched.units) == 12
    assert len(launched.clusters) == 3


async def test_the_plan_document_carries_the_seed_in_pdf_and_docx(
    campaigns: RunningService,
) -> None:
    campaign_id = await load_seed(campaigns.client)
    base = f"/campaigns/campaigns/{campaign_id}"

    pdf = await campaigns.client.get(f"{base}/document.pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    # Without the page numbers, which sit in the text where a page turns.
    _assert_carries_the_plan(pdf_body_text(pdf.content))

    word = await campaigns.client.get(f"{base}/document", params={"format": "docx"})
    assert word.status_code == 200, word.text
    document = docx.Document(io.BytesIO(word.content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    _assert_carries_the_plan("\n".join(parts))
    assert (await campaigns.client.get(f"{base}/document.docx")).status_code == 200


async def test_a_draft_has_no_plan_document(campaigns: RunningService, new_campaign: Any) -> None:
    created = await campaigns.client.post("/campaigns/campaigns", json=new_campaign())
    response = await campaigns.client.get(f"/campaigns/campaigns/{created.json()['id']}/document")
    assert response.status_code == 409
    assert response.json()["rule"] == "document-after-launch"
    bad = await campaigns.client.get(
        f"/campaigns/campaigns/{created.json()['id']}/document", params={"format": "odt"}
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "format"


async def _plan_files(campaigns: RunningService) -> tuple[bytes, bytes]:
    base = f"/campaigns/campaigns/{await load_seed(campaigns.client)}/document"
    pdf = await campaigns.client.get(f"{base}.pdf")
    word = await campaigns.client.get(f"{base}.docx")
    assert pdf.status_code == word.status_code == 200, (pdf.text, word.text)
    return pdf.content, word.content


async def test_the_plan_reads_the_same_in_pdf_and_docx(campaigns: RunningService) -> None:
    """As an office reads it (Nghị định 30/2020): the same words in both, nơi nhận closing
    with a full stop."""
    pdf, word = await _plan_files(campaigns)

    text = pdf_body_text(pdf)

    assert text == docx_body_text(word)
    assert len(pdf_pages(pdf)) >= 2
    recipients = " ".join(f"- {r};" for r in PLAN["recipients"][:-1])
    assert f"Nơi nhận: {recipients} - {PLAN['recipients'][-1]}." in text
    assert text.startswith("UBND TỈNH ĐỒNG NAI SỞ THÔNG TIN VÀ TRUYỀN THÔNG Số: 60/KH-STTTT")
    # The regime's law and decree first, numbered and dated, then the ministry's directive.
    assert (
        "KẾ HOẠCH Phát động phong trào thi đua năm 2018 Căn cứ Luật Thi đua, khen thưởng số "
        "15/2003/QH11 ngày 26/11/2003;"
    ) in text
    assert "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ" in text
    assert "khen thưởng; Căn cứ Chỉ thị số 82/CT-BTTTT" in text


async def test_the_plan_has_its_rules_page_numbers_and_typeface(
    campaigns: RunningService,
) -> None:
    pdf, word = await _plan_files(campaigns)

    # Under the agency, under the motto, under the title; pdf_body_text checked the numbers.
    assert len(pdf_horizontal_lines(pdf)) == 3
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= pdf_fonts(pdf)
    document = docx_document(word)
    assert document.sections[0].different_first_page_header_footer
    assert "PAGE" in document.sections[0].header._element.xml
    assert document.element.body.xml.count("<w:pBdr>") == 3
