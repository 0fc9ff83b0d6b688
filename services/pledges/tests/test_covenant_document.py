"""The covenant document (văn bản giao ước thi đua) read back from its PDF and DOCX."""

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import docx

from thidua_shared.contracts.campaigns import CampaignLaunched, ClusterSnapshot, UnitSnapshot
from thidua_shared.document_readback import (
    docx_body_text,
    docx_document,
    pdf_body_text,
    pdf_horizontal_lines,
)
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RunningService, bearer

Launch = Callable[..., CampaignLaunched]
URL = "/pledges/covenants"
ITEMS = ["Hoàn thành xuất sắc nhiệm vụ chuyên môn năm 2018", "Thực hành tiết kiệm, chống lãng phí"]
# Codes of this file's own: the directory keeps a unit's latest name across campaigns, and
# another test renames VP.
UNITS = {
    "GU-VP": "Văn phòng Sở",
    "GU-CNTT": "Trung tâm Công nghệ thông tin",
    "GU-DL": "Trung tâm Dữ liệu",
}
SIGNERS = {"GU-VP": ("Nguyễn Thị Hạnh", "Chánh Văn phòng"), "GU-CNTT": ("Lê Quốc Dũng", "Giám đốc")}


async def _covenant(pledges: RunningService, new_launch: Launch) -> dict[str, Any]:
    launch = new_launch().model_copy(
        update={
            "units": [UnitSnapshot(code=c, name=n, cluster="Cụm 1") for c, n in UNITS.items()],
            "clusters": [ClusterSnapshot(name="Cụm 1", unit_codes=list(UNITS))],
            "issued_on": date(2018, 1, 9),
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
        f"{URL}/{covenant['id']}/document.pdf", headers=bearer(Role.UNIT_HEAD, "GU-DL")
    )

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_body_text(response.content)
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


async def test_the_covenant_reads_the_same_in_pdf_and_docx(
    pledges: RunningService, new_launch: Launch
) -> None:
    """As an office reads it (Nghị định 30/2020): the plan named in the căn cứ with its number,
    date, issuer and subject; the province on the place line; the same words in both formats;
    the units' signatures two to a row; nơi nhận closing with a full stop."""
    covenant = await _covenant(pledges, new_launch)
    base = f"{URL}/{covenant['id']}/document"

    pdf = (await pledges.client.get(f"{base}.pdf")).content
    word = (await pledges.client.get(f"{base}.docx")).content
    text = pdf_body_text(pdf)

    assert text == docx_body_text(word)
    assert (
        "Căn cứ Kế hoạch số 60/KH-STTTT ngày 09/01/2018 của Sở Thông tin và Truyền thông về "
        "phát động phong trào thi đua năm 2018;"
    ) in text
    assert "Đồng Nai, ngày 01 tháng 02 năm 2018" in text
    assert "- Các đơn vị thành viên cụm; - Lưu: VT." in text
    assert "ĐẠI DIỆN VĂN PHÒNG SỞ CHÁNH VĂN PHÒNG" in text
    rules = [line for line in pdf_horizontal_lines(pdf) if line.length < 200]
    assert len(rules) == 3
    grid = docx_document(word).tables[-1]
    assert [len(row.cells) for row in grid.rows] == [2, 2, 2]
    assert "Lê Quốc Dũng" in grid.cell(0, 1).text
    assert "Trung tâm Dữ liệu".upper() in grid.cell(1, 0).text


async def test_another_clusters_head_finds_no_document(
    pledges: RunningService, new_launch: Launch
) -> None:
    covenant = await _covenant(pledges, new_launch)
    response = await pledges.client.get(
        f"{URL}/{covenant['id']}/document.pdf", headers=bearer(Role.UNIT_HEAD, "SOYT")
    )
    assert (response.status_code, response.json()["field"]) == (404, "covenant_id")
