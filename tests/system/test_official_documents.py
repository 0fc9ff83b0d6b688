"""Every official document the 2018 year produces, read back from its PDF and its DOCX as the
demo downloads them (the plan, the covenants, the cluster and council minutes, the decision, the
revocation, and the dossier where the year has one), held to Nghị định 30/2020/NĐ-CP: the same
text in both, only Vietnamese, page numbers from page 2, the decision's annex, the authority line
and the numbered grounds of the regime in force on the document's date."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.documents.official_text import assert_only_vietnamese
from tests.support.broker import BrokerNames, isolated_broker_names
from tests.support.processes import SERVICES, RunningSystem, running_system
from tests.system.test_year import DEMO_ENV, signed_token
from thidua_local.demo.run import YearResult, play_year
from thidua_shared.document_readback import (
    docx_body_text,
    docx_document,
    pdf_body_text,
    pdf_pages,
)
from thidua_shared.documents import format_vnd

pytestmark = pytest.mark.system

DECISION = "quyet-dinh-khen-thuong"
REVOCATION = "quyet-dinh-huy-bo-42-QD-STTTT"
AUTHORITY = "GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG Căn cứ Luật Thi đua, khen thưởng"
# The 2003 law as amended in 2013 and Nghị định 91/2017/NĐ-CP, in force on 24/01/2019 and on
# 15/03/2019; not the 2022 law nor Nghị định 98/2023/NĐ-CP.
REGIME_2013 = (
    "Căn cứ Luật Thi đua, khen thưởng số 15/2003/QH11 ngày 26 tháng 11 năm 2003;",
    "số 39/2013/QH13 ngày 16 tháng 11 năm 2013 sửa đổi, bổ sung",
    "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 07 năm 2017 của Chính phủ",
)
REGIME_2022 = ("06/2022/QH15", "98/2023/NĐ-CP")


@pytest.fixture(scope="module")
async def names() -> AsyncIterator[BrokerNames]:
    async with isolated_broker_names(SERVICES) as broker_names:
        yield broker_names


@pytest.fixture(scope="module")
async def system(names: BrokerNames) -> AsyncIterator[RunningSystem]:
    async with running_system(names, "documents", DEMO_ENV) as running:
        yield running


@pytest.fixture(scope="module")
async def year(system: RunningSystem, tmp_path_factory: pytest.TempPathFactory) -> YearResult:
    async with httpx.AsyncClient(base_url=system.gateway, timeout=120) as http:
        return await play_year(
            http, signed_token, out_dir=tmp_path_factory.mktemp("documents"), progress=print
        )


def _table_headers(docx: bytes) -> list[list[str]]:
    """The data tables' header rows, which the PDF repeats atop each page a table runs on to."""
    tables = docx_document(docx).tables
    rows = [[cell.text for cell in table.rows[0].cells] for table in tables if table.rows]
    return [row for row in rows if row and row[0] == "STT"]


@pytest.fixture(scope="module")
def texts(year: YearResult) -> dict[str, str]:
    """Each official document's text by name, once its PDF and DOCX are found to read the same
    and its PDF to number every page but the first."""
    read = {}
    for path in year.documents.values():
        if path.suffix != ".pdf":
            continue
        pdf, docx = path.read_bytes(), path.with_suffix(".docx").read_bytes()
        text = pdf_body_text(pdf, repeated=_table_headers(docx))
        assert text == docx_body_text(docx), f"{path.stem}: the PDF and the DOCX differ"
        read[path.stem] = text
    return read


def test_the_year_produces_every_official_document(texts: dict[str, str]) -> None:
    assert {
        "ke-hoach-60-KH-STTTT",
        "giao-uoc-cum-1",
        "bien-ban-binh-xet-cum-1",
        "bien-ban-hop-hoi-dong",
        DECISION,
        REVOCATION,
    } <= set(texts)
    assert len([name for name in texts if name.startswith("giao-uoc-cum-")]) == 3
    assert len([name for name in texts if name.startswith("bien-ban-binh-xet-cum-")]) == 3


def test_every_document_holds_only_vietnamese(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        assert_only_vietnamese(text, name)
        assert "kiểm chứng" not in text, name


def test_long_documents_are_numbered_from_the_second_page(year: YearResult) -> None:
    for name in (DECISION, "bien-ban-hop-hoi-dong"):
        pages = pdf_pages(year.documents[f"{name}.pdf"].read_bytes())
        assert len(pages) > 2, name
        # pdf_body_text has checked each page's number; the first page has none.
        assert [page.strip().partition("\n")[0] for page in pages[1:3]] == ["2", "3"]


def test_the_decision_lists_its_awards_in_the_annex(
    year: YearResult, texts: dict[str, str]
) -> None:
    decision = year.decision
    text = texts[DECISION]
    issued = f"{decision['decided_on'][8:10]}/{decision['decided_on'][5:7]}/2019"
    assert "QUYẾT ĐỊNH: Điều 1. Tặng danh hiệu thi đua" in text
    assert "có tên trong Danh sách kèm theo Quyết định này" in text
    assert (
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG (Kèm theo Quyết định số 15/QĐ-STTTT ngày "
        f"{issued} của Sở Thông tin và Truyền thông) STT"
    ) in text
    assert text.count("Cá nhân ") + text.count("Tập thể ") >= len(decision["awards"])


def test_decisions_name_the_authority_and_the_numbered_grounds_of_their_regime(
    texts: dict[str, str],
) -> None:
    for name in (DECISION, REVOCATION):
        text = texts[name]
        assert AUTHORITY in text, name
        for ground in REGIME_2013:
            assert ground in text, (name, ground)
        for instrument in REGIME_2022:
            assert instrument not in text, (name, instrument)
        assert "Xét đề nghị của Hội đồng Thi đua – Khen thưởng" in text, name
    decision = texts[DECISION]
    assert "Căn cứ Quyết định số 05/QĐ-STTTT ngày 05/01/2018" in decision
    assert "Căn cứ Kế hoạch số 60/KH-STTTT ngày 09/01/2018 của Sở Thông tin và Truyền thông" in (
        decision
    )
    assert "tại Biên bản họp số 01/BB-HĐTĐKT ngày 10/01/2019." in decision
    assert "Căn cứ Quyết định số 15/QĐ-STTTT ngày" in texts[REVOCATION]


async def test_the_revocation_recovers_the_bonus_and_lowers_the_total(
    year: YearResult, system: RunningSystem, texts: dict[str, str]
) -> None:
    revoked = year.revoked
    assert revoked["bonus_recovered_vnd"] == revoked["bonus_vnd"] > 0
    text = texts[REVOCATION]
    assert "Số: 42/QĐ-STTTT" in text
    assert "Đồng Nai, ngày 15 tháng 03 năm 2019" in text
    revoked_title = "Hủy bỏ việc tặng danh hiệu Lao động tiên tiến cho cá nhân "
    assert f"{revoked_title}{revoked['subject_name']}" in text
    assert f"Thu hồi số tiền thưởng {format_vnd(revoked['bonus_vnd'])} đồng" in text
    async with httpx.AsyncClient(base_url=system.gateway) as http:
        now = (await http.get(f"/awards/public/decisions/{year.decision['id']}")).json()
    assert now["bonus_recovered_vnd"] == revoked["bonus_vnd"]
    assert now["total_bonus_vnd"] == year.decision["total_bonus_vnd"] - revoked["bonus_vnd"]


def test_minutes_are_numbered_dated_at_the_province_and_signed_by_both(
    texts: dict[str, str],
) -> None:
    council = texts["bien-ban-hop-hoi-dong"]
    assert "Số: 01/BB-HĐTĐKT" in council
    assert "Đồng Nai, ngày 10 tháng 01 năm 2019" in council
    assert "Tán thành Không tán thành Ngưỡng Kết quả" in council
    assert "THƯ KÝ Phạm Thị Lan CHỦ TRÌ Lê Hoàng Ngọc" in council
    for name, text in texts.items():
        if name.startswith("bien-ban-binh-xet-cum-"):
            assert "THƯ KÝ Nguyễn Thị Thảo CHỦ TRÌ" in text, name
            assert "Đồng Nai, ngày 08 tháng 01 năm 2019" in text, name


def test_the_plan_grounds_on_the_regime_in_force(texts: dict[str, str]) -> None:
    plan = texts["ke-hoach-60-KH-STTTT"]
    assert "Căn cứ Luật Thi đua, khen thưởng số 15/2003/QH11" in plan
    assert "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ" in plan
    for instrument in REGIME_2022:
        assert instrument not in plan


def test_covenants_ground_on_the_plan_by_number_and_date(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        if name.startswith("giao-uoc-cum-"):
            assert "Căn cứ Kế hoạch số 60/KH-STTTT ngày 09/01/2018" in text, name


def test_the_documents_are_written_where_the_demo_says(year: YearResult) -> None:
    paths: list[Path] = list(year.documents.values())
    assert all(path.stat().st_size > 0 for path in paths)
