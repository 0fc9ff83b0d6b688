"""Decisions: bonuses from the base salary of the decision date, the documents read back with
their Vietnamese text, award.decided and the history; revocation reverses the history."""

import io
import unicodedata
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import docx
import openpyxl
import pypdf
from sqlalchemy import select

from awards.history.models import AwardHistoryEntry
from services.awards.tests.test_council_story import CouncilStory, clock_at
from thidua_shared.contracts.awards import AwardDecided, AwardRevoked
from thidua_shared.platform.auth import Role
from thidua_shared.testing import RecordingBus, RunningService, bearer

ANONYMOUS = {"Authorization": ""}


async def _decided(
    awards: RunningService, decided_on: date, *, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    story = CouncilStory(awards)
    await story.compiled()
    disclosure = await story.disclosed(date(2018, 6, 4))
    with clock_at(date(2018, 6, 29)):
        response = await awards.client.post(
            "/awards/decisions",
            json={
                "disclosure_id": disclosure["id"],
                "number": f"{uuid4().int % 10000}/QĐ-STTTT",
                "decided_on": decided_on.isoformat(),
                "place": "Đồng Nai",
                "issuing_agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                "parent_agency": "UBND TỈNH ĐỒNG NAI",
                "signer_authority": "KT. GIÁM ĐỐC",
                "signer_title": "PHÓ GIÁM ĐỐC",
                "signer_name": "Nguyễn Văn Thành",
                "recipients": ["Như Điều 3;", "Lưu: VT, VP."],
            },
            headers=headers or bearer(Role.DECISION_SIGNER),
        )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _bonuses(decision: dict[str, Any]) -> dict[str, int]:
    return {a["subject_code"]: a["bonus_vnd"] for a in decision["awards"]}


async def test_the_bonus_uses_the_base_salary_of_the_decision_date(
    awards: RunningService,
) -> None:
    before = await _decided(awards, date(2018, 6, 30))
    after = await _decided(awards, date(2018, 7, 1))
    assert before["base_salary_vnd"] == 1_300_000
    assert "47/2017/NĐ-CP" in before["base_salary_source"]
    assert after["base_salary_vnd"] == 1_390_000
    assert "72/2018/NĐ-CP" in after["base_salary_source"]
    # 0.8, 1.0 and 0.3 × the base salary, rounded up to 10.000 đồng.
    assert _bonuses(before) == {"VP": 1_040_000, "VP-001": 1_300_000, "VP-002": 390_000}
    assert _bonuses(after) == {"VP": 1_120_000, "VP-001": 1_390_000, "VP-002": 420_000}
    assert (before["total_bonus_vnd"], after["total_bonus_vnd"]) == (2_730_000, 2_930_000)
    assert "làm tròn lên" in after["rounding_rule"]


def _nfc(text: str) -> str:
    """NFC, with the line breaks a table cell wraps at read as spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


async def test_the_documents_read_back_with_vietnamese_text(awards: RunningService) -> None:
    decision = await _decided(awards, date(2018, 7, 1))
    base = f"/awards/public/decisions/{decision['id']}"

    pdf = await awards.client.get(f"{base}/decision.pdf", headers=ANONYMOUS)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    pdf_text = _nfc("\n".join(page.extract_text() for page in reader.pages))

    word = await awards.client.get(f"{base}/decision.docx", headers=ANONYMOUS)
    assert word.status_code == 200
    document = docx.Document(io.BytesIO(word.content))
    word_text = "\n".join(p.text for p in document.paragraphs)
    word_text += "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )

    for text in (pdf_text, _nfc(word_text)):
        for expected in (
            "QUYẾT ĐỊNH",
            "Căn cứ Luật Thi đua, khen thưởng",
            "Điều 1.",
            "Nguyễn Thị Hồng Nhung",
            "Chiến sĩ thi đua cơ sở",
            "Tập thể lao động tiên tiến",
            "1.390.000",
            "1.120.000",
            "Nơi nhận",
            "Nguyễn Văn Thành",
            "KT. GIÁM ĐỐC",
        ):
            assert expected in text, expected
    assert decision["number"] in pdf_text

    sheet = await awards.client.get(f"{base}/awards.xlsx", headers=ANONYMOUS)
    assert sheet.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(sheet.content))
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    cells = [str(cell) for row in rows for cell in row if cell is not None]
    assert "Danh sách khen thưởng" in cells[0]
    assert "Trần Văn Đức" in cells
    assert "Lao động tiên tiến" in cells
    assert 420000 in [cell for row in rows for cell in row]


async def test_award_decided_is_recorded_with_the_history(
    awards: RunningService, bus: RecordingBus
) -> None:
    decision = await _decided(awards, date(2018, 7, 1), headers=bearer(Role.OFFICE))
    await awards.drain_outbox()
    [event] = [
        e.payload(AwardDecided)
        for e in bus.of_type("award.decided")
        if e.subject == f"decisions/{decision['id']}"
    ]
    assert event.decision_number == decision["number"]
    assert event.decided_on == date(2018, 7, 1)
    assert event.total_bonus_vnd == 2_930_000
    assert {(a.subject_code, a.base_salary_vnd, a.bonus_vnd) for a in event.awards} == {
        ("VP", 1_390_000, 1_120_000),
        ("VP-001", 1_390_000, 1_390_000),
        ("VP-002", 1_390_000, 420_000),
    }
    history = await _history(awards, UUID(decision["id"]))
    assert {(h.subject_code, h.year, h.title) for h in history} == {
        ("VP", 2018, "tap_the_lao_dong_tien_tien"),
        ("VP-001", 2018, "chien_si_thi_dua_co_so"),
        ("VP-002", 2018, "lao_dong_tien_tien"),
    }
    [cstdcs] = [h for h in history if h.subject_code == "VP-001"]
    assert cstdcs.initiative_identifiers == ["SK-2018-014"]

    public = await awards.client.get(
        "/awards/public/decisions",
        params={"campaign_id": str(event.campaign_id)},
        headers=ANONYMOUS,
    )
    assert [d["number"] for d in public.json()["items"]] == [decision["number"]]


async def _history(awards: RunningService, decision_id: UUID) -> list[AwardHistoryEntry]:
    async with awards.runtime.sessionmaker() as session:
        rows = await session.execute(
            select(AwardHistoryEntry).where(AwardHistoryEntry.decision_id == decision_id)
        )
        return list(rows.scalars())


async def test_revocation_reverses_the_history_entry(
    awards: RunningService, bus: RecordingBus
) -> None:
    decision = await _decided(awards, date(2018, 7, 1))
    url = f"/awards/decisions/{decision['id']}/revocations"
    body = {
        "subject_kind": "person",
        "subject_code": "VP-001",
        "title": "chien_si_thi_dua_co_so",
        "reason": "Khai man thành tích: sáng kiến SK-2018-014 không do ông/bà là tác giả.",
    }
    response = await awards.client.post(url, json=body, headers=bearer(Role.DECISION_SIGNER))
    assert response.status_code == 200, response.text
    [revoked] = [a for a in response.json()["awards"] if a["subject_code"] == "VP-001"]
    assert revoked["revocation_reason"] == body["reason"]
    # The bonus paid is to be recovered; the decision's total keeps the awards in force.
    assert revoked["bonus_recovered_vnd"] == revoked["bonus_vnd"] == 1_390_000
    assert response.json()["bonus_recovered_vnd"] == 1_390_000
    assert response.json()["total_bonus_vnd"] == decision["total_bonus_vnd"] - 1_390_000

    history = {h.subject_code: h for h in await _history(awards, UUID(decision["id"]))}
    assert history["VP-001"].revoked_at is not None
    assert history["VP-001"].revocation_reason == body["reason"]
    assert history["VP-002"].revoked_at is None

    await awards.drain_outbox()
    event_subject = f"decisions/{decision['id']}"
    [event] = [
        e.payload(AwardRevoked) for e in bus.of_type("award.revoked") if e.subject == event_subject
    ]
    assert (event.subject_code, event.title, event.reason) == (
        "VP-001",
        "chien_si_thi_dua_co_so",
        body["reason"],
    )
    again = await awards.client.post(url, json=body)
    assert again.status_code == 409
    await awards.drain_outbox()
    assert len([e for e in bus.of_type("award.revoked") if e.subject == event_subject]) == 1
    missing = await awards.client.post(url, json={**body, "subject_code": "VP-777"})
    assert missing.status_code == 404
    assert missing.json()["field"] == "subject_code"
    refused = await awards.client.post(url, json=body, headers=bearer(Role.COUNCIL_MEMBER))
    assert refused.status_code == 403

    sheet = await awards.client.get(
        f"/awards/public/decisions/{decision['id']}/awards.xlsx", headers=ANONYMOUS
    )
    notes = [
        str(c)
        for row in openpyxl.load_workbook(io.BytesIO(sheet.content)).active.iter_rows(
            values_only=True
        )
        for c in row
    ]
    assert any(note.startswith("Đã hủy bỏ: Khai man") for note in notes)


async def test_a_retried_revocation_replays_the_first_answer_and_announces_once(
    awards: RunningService, bus: RecordingBus
) -> None:
    decision = await _decided(awards, date(2018, 7, 1))
    url = f"/awards/decisions/{decision['id']}/revocations"
    body = {
        "subject_kind": "person",
        "subject_code": "VP-001",
        "title": "chien_si_thi_dua_co_so",
        "reason": "Khai man thành tích.",
    }
    headers = {"Idempotency-Key": str(uuid4()), **bearer(Role.DECISION_SIGNER)}

    first = await awards.client.post(url, json=body, headers=headers)
    [revoked_at] = [
        h.revoked_at
        for h in await _history(awards, UUID(decision["id"]))
        if h.subject_code == "VP-001"
    ]
    again = await awards.client.post(url, json=body, headers=headers)

    assert first.status_code == again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    history = await _history(awards, UUID(decision["id"]))
    assert [h.revoked_at for h in history if h.subject_code == "VP-001"] == [revoked_at]
    await awards.drain_outbox()
    subject = f"decisions/{decision['id']}"
    assert len([e for e in bus.of_type("award.revoked") if e.subject == subject]) == 1


async def test_a_decision_number_is_used_once(awards: RunningService) -> None:
    first = await _decided(awards, date(2018, 7, 1))
    story = CouncilStory(awards)
    await story.compiled()
    disclosure = await story.disclosed(date(2018, 6, 4))
    with clock_at(date(2018, 6, 29)):
        response = await awards.client.post(
            "/awards/decisions",
            json={
                "disclosure_id": disclosure["id"],
                "number": first["number"],
                "decided_on": "2018-07-02",
                "place": "Đồng Nai",
                "issuing_agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                "signer_title": "GIÁM ĐỐC",
                "signer_name": "Nguyễn Văn A",
            },
        )
    assert response.status_code == 409
    assert response.json()["field"] == "number"


async def test_a_repeated_request_replays_the_decision_and_announces_it_once(
    awards: RunningService, bus: RecordingBus
) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    disclosure = await story.disclosed(date(2018, 6, 4))
    body = {
        "disclosure_id": disclosure["id"],
        "number": f"{uuid4().int % 10000}/QĐ-STTTT",
        "decided_on": "2018-07-02",
        "place": "Đồng Nai",
        "issuing_agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn A",
    }
    headers = {"Idempotency-Key": f"decision-{disclosure['id']}"}
    with clock_at(date(2018, 6, 29)):
        first = await awards.client.post("/awards/decisions", json=body, headers=headers)
        second = await awards.client.post("/awards/decisions", json=body, headers=headers)
        other = await awards.client.post(
            "/awards/decisions", json={**body, "number": f"{uuid4().int % 10000}/QĐ-X"}
        )
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert other.status_code == 409
    assert other.json()["field"] == "disclosure_id"
    await awards.drain_outbox()
    subject = f"decisions/{first.json()['id']}"
    assert len([e for e in bus.of_type("award.decided") if e.subject == subject]) == 1
