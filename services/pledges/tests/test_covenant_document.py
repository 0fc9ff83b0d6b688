"""The covenant document (văn bản giao ước thi đua) read back from its PDF and DOCX."""

import io
import unicodedata
from collections.abc import Callable
from typing import Any

import docx
import pypdf

from thidua_shared.contracts.campaigns import CampaignLaunched, ClusterSnapshot, UnitSnapshot
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

Launch = Callable[..., CampaignLaunched]
URL = "/pledges/covenants"
ITEMS = ["Hoàn thành xuất sắc nhiệm vụ chuyên môn năm 2018", "Thực hành tiết kiệm, chống lãng phí"]
UNITS = {
    "VP": "Văn phòng Sở",
    "TTCNTT": "Trung tâm Công nghệ thông tin",
    "TTDL": "Trung tâm Dữ liệu",
}
SIGNERS = {"VP": ("Nguyễn Thị Hạnh", "Chánh Văn phòng"), "TTCNTT": ("Lê Quốc Dũng", "Giám đốc")}


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    return unicodedata.normalize("NFC", text)


async def _covenant(pledges: RunningService, new_launch: Launch) -> dict[str, Any]:
    launch = new_launch().model_copy(
        update={
            "units": [UnitSnapshot(code=c, name=n, cluster="Cụm 1") for c, n in UNITS.items()],
            "clusters": [ClusterSnapshot(name="Cụm 1", unit_codes=list(UNITS))],
        }
    )
    await pledges.deliver(launch, source="/thidua/campaigns")
    body = {
        "campaign_id": str(launch.campaign_id),
        "cluster": "Cụm 1",
        "items": ITEMS,
        "document_number": "01/GƯTĐ-C1",
    }
    created = await pledges.client.post(URL, json=body)
    assert created.status_code == 201, created.text
    for unit, (name, title) in SIGNERS.items():
        signed = await pledges.client.post(
            f"{URL}/{created.json()['id']}/signatures",
            json={"unit_code": unit, "signer_name": name, "signer_title": title},
        )
        assert signed.status_code == 201, signed.text
    covenant: dict[str, Any] = signed.json()
    return covenant


async def test_the_pdf_lists_the_content_and_every_units_signature(
    pledges: RunningService, new_launch: Launch
) -> None:
    covenant = await _covenant(pledges, new_launch)

    response = await pledges.client.get(
        f"{URL}/{covenant['id']}/document.pdf", headers=bearer(Role.UNIT_HEAD, "TTDL")
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = _pdf_text(response.content)
    for expected in (
        "GIAO ƯỚC THI ĐUA",
        "Số: 01/GƯTĐ-C1",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Đồng Nai, ngày 01 tháng 02 năm 2018",
        *ITEMS,
        *(name for name, _ in SIGNERS.values()),
        "Chánh Văn phòng",
        "Đã có 2/3 đơn vị ký",
        "(chưa ký)",
    ):
        assert expected in text, expected
    for name in UNITS.values():
        assert f"ĐẠI DIỆN {name.upper()}" in text, name
    # Signed moments after 09:00 on 01/02/2018 in Vietnam, the tests' clock.
    assert "Đã ký lúc 09:00 ngày 01/02/2018" in text
    assert "3 Trung tâm Dữ liệu Chưa ký" in text


async def test_the_docx_reads_back_with_the_signers(
    pledges: RunningService, new_launch: Launch
) -> None:
    covenant = await _covenant(pledges, new_launch)

    response = await pledges.client.get(f"{URL}/{covenant['id']}/document.docx")

    assert response.status_code == 200, response.text
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join(paragraphs + cells)
    assert "GIAO ƯỚC THI ĐUA" in text
    assert all(item in text for item in ITEMS)
    assert all(name in text for name, _ in SIGNERS.values())


async def test_another_clusters_head_finds_no_document(
    pledges: RunningService, new_launch: Launch
) -> None:
    covenant = await _covenant(pledges, new_launch)
    response = await pledges.client.get(
        f"{URL}/{covenant['id']}/document.pdf", headers=bearer(Role.UNIT_HEAD, "SOYT")
    )
    assert (response.status_code, response.json()["field"]) == (404, "covenant_id")
