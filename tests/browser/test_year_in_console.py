"""The core of a year through the console, on a system of its own (the demo plays one year per
system): the steps a person takes in the browser are taken there, with the roles' pages; the
rest of the year (the plan, the other units, the clock) goes through the API as the demo has
it, so that the year reaches its nominations, votes and decision."""

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import openpyxl
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import RolePageFactory
from tests.browser.system import AllInOne, all_in_one
from tests.browser.year import CONSOLE_UNIT, Year, member_row, start_year
from thidua_local.demo.registration import UNIT_COMMITMENTS
from thidua_local.demo.scenario import Member
from thidua_shared.platform.auth import Role
from thidua_shared.testing import pdf_text

pytestmark = pytest.mark.timeout(600)

COMMENT = "Đề nghị nêu rõ sáng kiến của các cá nhân được đề nghị Chiến sĩ thi đua."
ANSWER = "Danh sách sáng kiến đã được công khai kèm theo hồ sơ đề nghị."
RETURN_REASON = "Danh sách cá nhân còn thiếu hai người của đơn vị."
COMMITMENT_REASON = "Nêu rõ số tin bài của đơn vị trong năm."


@pytest.fixture(scope="module")
async def fresh_system(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AllInOne]:
    async with all_in_one(tmp_path_factory.mktemp("thidua-year")) as running:
        yield running


@pytest.fixture(scope="module")
async def year(fresh_system: AllInOne) -> AsyncIterator[Year]:
    async with httpx.AsyncClient(base_url=fresh_system.url, timeout=120) as http:
        yield await start_year(http, fresh_system.data_dir)


async def _members_file(page: Page, url: str, members: list[Member], path: Path) -> Path:
    """The console's own member template, downloaded as a unit head does, filled in."""
    answer = await page.request.get(f"{url}/tai-ve/pledges/member-template?format=xlsx")
    assert answer.status == 200
    workbook = openpyxl.load_workbook(io.BytesIO(await answer.body()))
    sheet = workbook.active
    assert sheet is not None
    sheet.delete_rows(2, sheet.max_row)  # the template's example row
    for member in members:
        sheet.append(member_row(member))
    await asyncio.to_thread(workbook.save, path)
    return path


async def _upload_members(page: Page, file: Path) -> None:
    await page.get_by_label("Tệp danh sách cá nhân (XLSX hoặc CSV)").set_input_files(file)
    await page.get_by_role("button", name="Tải lên danh sách").click()


async def _unit_head_registers_and_office_reviews(
    fresh_system: AllInOne, year: Year, page_as: RolePageFactory, tmp_path: Path
) -> None:
    """A unit head registers with the member list uploaded from the XLSX template; the office
    returns it, the unit head fixes it and submits it again; the office approves it."""
    url = fresh_system.url
    members = year.console_unit.members
    unit = await page_as(Role.UNIT_HEAD, CONSOLE_UNIT, base_url=url)
    await unit.goto("/don-vi/dang-ky")
    await unit.get_by_label("Danh hiệu tập thể đăng ký").select_option("tap_the_lao_dong_tien_tien")
    # The demo's commitments: its own contents and targets for tasks 1, 5 and 6, the plan's
    # for task 2, and no other task.
    chosen = {c["task_number"]: c for c in UNIT_COMMITMENTS}
    for task in range(1, len(year.tasks) + 1):
        if task not in chosen:
            await unit.get_by_label(f"Đăng ký thực hiện nhiệm vụ {task}").uncheck()
        elif "content" in chosen[task]:
            own = chosen[task]
            await unit.get_by_label(f"Nội dung đăng ký của đơn vị (nhiệm vụ {task})").fill(
                own["content"]
            )
            await unit.get_by_label(f"Chỉ tiêu (nhiệm vụ {task})").fill(own["indicator"])
            await unit.get_by_label(f"Đơn vị tính (nhiệm vụ {task})").fill(own["unit_of_measure"])
            await unit.get_by_label(f"Mục tiêu (nhiệm vụ {task})").fill(str(own["target_value"]))
    await unit.get_by_role("button", name="Lưu bản nháp đăng ký").click()
    await expect(unit.get_by_text("Đã lưu bản nháp đăng ký")).to_be_visible()

    # A row without the name is refused with its row and column shown in place.
    nameless = Member(**{**vars(members[0]), "full_name": ""})
    await _upload_members(
        unit, await _members_file(unit, url, [nameless], tmp_path / "thieu-ten.xlsx")
    )
    row_errors = unit.get_by_role("table").filter(has=unit.get_by_role("columnheader", name="Dòng"))
    await expect(row_errors.get_by_role("cell", name="2", exact=True)).to_be_visible()

    # The list first sent leaves out the last two members.
    first = await _members_file(unit, url, members[:-2], tmp_path / "danh-sach-1.xlsx")
    await _upload_members(unit, first)
    await expect(unit.get_by_text(f"Đã nhập danh sách {len(members) - 2} cá nhân")).to_be_visible()
    await unit.get_by_role("button", name="Nộp đăng ký").click()
    await expect(unit.get_by_text("Đã nộp, chờ duyệt")).to_be_visible()

    office = await page_as(Role.OFFICE, base_url=url)
    await office.goto("/dang-ky")
    await office.get_by_role("link", name=CONSOLE_UNIT, exact=True).click()
    await office.get_by_label("Lý do chung").fill(RETURN_REASON)
    await office.get_by_label("Lý do cho nội dung 1", exact=False).fill(COMMITMENT_REASON)
    await office.get_by_role("button", name="Trả lại đơn vị").click()
    await expect(office.get_by_text("Bị trả lại")).to_be_visible()

    await unit.goto("/don-vi/dang-ky")
    await expect(unit.get_by_text(RETURN_REASON)).to_be_visible()
    await expect(unit.get_by_text(f"Nội dung 1: {COMMITMENT_REASON}")).to_be_visible()
    await _upload_members(unit, await _members_file(unit, url, members, tmp_path / "ds-2.xlsx"))
    await expect(unit.get_by_text(f"Đã nhập danh sách {len(members)} cá nhân")).to_be_visible()
    await unit.get_by_role("button", name="Nộp lại đăng ký").click()
    await expect(unit.get_by_text("Đã nộp, chờ duyệt")).to_be_visible()

    await office.goto("/dang-ky")
    await office.get_by_role("link", name=CONSOLE_UNIT, exact=True).click()
    await office.get_by_role("button", name="Phê duyệt đăng ký").click()
    await expect(office.get_by_text("Đã duyệt")).to_be_visible()
    registration = await year.registration(CONSOLE_UNIT)
    assert registration["status"] == "approved"
    assert registration["submission_number"] == 2
    assert len(registration["members"]) == len(members)


def _evaluation_row(member: Member) -> list[str]:
    """A member's evaluation as a row of the template: rating, discipline, first initiative."""
    disciplined = member.discipline != "none"
    initiative = member.initiatives[0] if member.initiatives else None
    return [
        member.staff_code,
        member.full_name,
        member.rating,
        member.discipline,
        "2018-09-01" if disciplined else "",
        "2019-08-31" if disciplined else "",
        "có" if member.under_investigation else "không",
        initiative.identifier if initiative else "",
        initiative.title if initiative else "",
        initiative.level if initiative else "",
        str(initiative.year) if initiative else "",
    ]


async def _unit_head_reports_the_year_and_office_approves(
    fresh_system: AllInOne, year: Year, page_as: RolePageFactory, tmp_path: Path
) -> None:
    """The tổng kết report, with every member's evaluation uploaded from the console's
    template, is submitted by the unit head and approved by the office with its rating."""
    url = fresh_system.url
    unit = await page_as(Role.UNIT_HEAD, CONSOLE_UNIT, base_url=url)
    await unit.goto("/don-vi/bao-cao")
    final = unit.locator("form[action='/don-vi/bao-cao']")
    await final.get_by_label("Tóm tắt kết quả").fill("Báo cáo tổng kết năm 2018 của Văn phòng Sở.")
    await final.get_by_label("Đơn vị tự đánh giá").select_option("tot")
    for number, commitment in enumerate(UNIT_COMMITMENTS, start=1):
        target = commitment.get("target_value", 100)
        await final.get_by_label(f"Kết quả đạt được (nội dung {number})").fill(str(target))
        await final.get_by_label(f"Thuyết minh (nội dung {number})").fill("Đạt theo kế hoạch.")
    await final.get_by_role("button", name="Lưu báo cáo, rồi tải lên đánh giá").click()

    answer = await unit.request.get(f"{url}/tai-ve/reports/member-evaluation-template?format=xlsx")
    assert answer.status == 200
    workbook = openpyxl.load_workbook(io.BytesIO(await answer.body()))
    sheet = workbook.active
    assert sheet is not None
    sheet.delete_rows(2, sheet.max_row)
    for member in year.console_unit.members:
        sheet.append(_evaluation_row(member))
    evaluations = tmp_path / "danh-gia.xlsx"
    await asyncio.to_thread(workbook.save, evaluations)
    await unit.get_by_label("Tệp đánh giá, xếp loại cá nhân (XLSX hoặc CSV)").set_input_files(
        evaluations
    )
    await unit.get_by_role("button", name="Tải lên đánh giá").click()
    await unit.get_by_role("button", name="Nộp báo cáo").click()
    await expect(unit.get_by_text("Đã nộp, chờ duyệt").first).to_be_visible()

    office = await page_as(Role.OFFICE, base_url=url)
    await office.goto("/bao-cao")
    await (
        office.get_by_role("row")
        .filter(has_text="Tổng kết")
        .get_by_role("link", name=CONSOLE_UNIT, exact=True)
        .click()
    )
    await office.get_by_label("Thường trực đánh giá, xếp loại đơn vị").select_option("tot")
    await office.get_by_role("button", name="Phê duyệt báo cáo").click()
    await expect(office.get_by_text("Đã duyệt").first).to_be_visible()
    report = await year.report(CONSOLE_UNIT, 2)
    assert report["status"] == "approved"
    assert len(report["member_evaluations"]) == len(year.console_unit.members)


async def test_the_year_through_the_console(
    fresh_system: AllInOne, year: Year, page_as: RolePageFactory, tmp_path: Path
) -> None:
    await _unit_head_registers_and_office_reviews(fresh_system, year, page_as, tmp_path)
    await year.register_other_units()
    await year.sign_covenants()
    await year.close_phase(1, "2018-07-01")
    await year.report_other_units(1)
    await year.report_console_unit(1)
    await year.close_phase(2, "2019-01-02")
    await year.report_other_units(2)
    await _unit_head_reports_the_year_and_office_approves(fresh_system, year, page_as, tmp_path)
    compiled = await year.nominations()

    # The compile's explanation of each nomination and refusal, with its citation.
    office = await page_as(Role.OFFICE, base_url=fresh_system.url)
    await office.goto("/de-nghi")
    await expect(office.get_by_text(f"{len(compiled['nominations'])} đề nghị")).to_be_visible()
    nominations = office.get_by_role("table").first
    await nominations.get_by_text("Giải trình 1", exact=True).click()
    first_facts = compiled["nominations"][0]["facts"]
    await expect(nominations.get_by_role("listitem").first).to_have_text(first_facts[0])

    await year.cluster_votes()
    session = await year.council_session()

    # A council member records the council's votes on the agenda: every case approved by all
    # the members present.
    council = await page_as(Role.COUNCIL_MEMBER, base_url=fresh_system.url)
    await council.goto("/hoi-dong")
    await council.get_by_role("button", name="Ghi kết quả biểu quyết").click()
    await expect(council.get_by_role("heading", name="Kết quả biểu quyết")).to_be_visible()
    voted = await year.council(session)
    assert voted["votes"]
    assert all(v["approved"] for v in voted["votes"])

    disclosure = await year.disclose(session)

    # A public comment arrives through the public page's form, without a login.
    public = await page_as(None, base_url=fresh_system.url)
    await public.goto("/")
    form = public.locator("form#gop-y")
    await form.get_by_label("Người gửi").fill("Công đoàn cơ sở Sở")
    await form.get_by_label("Nội dung").fill(COMMENT)
    await form.get_by_role("button", name="Gửi ý kiến").click()
    await expect(public.get_by_text("Đã gửi ý kiến")).to_be_visible()
    [comment] = await year.comments(disclosure)
    assert comment["content"] == COMMENT
    # The office answers it on the disclosure's page.
    await office.goto("/cong-khai-lay-y-kien")
    await office.get_by_label("Trả lời ý kiến của Công đoàn cơ sở Sở").fill(ANSWER)
    await office.get_by_role("button", name="Gửi trả lời").click()
    assert [c["answer"] for c in await year.comments(disclosure)] == [ANSWER]

    # The decision is issued; anyone downloads its PDF from the public page.
    await year.decide(disclosure)
    await public.goto("/")
    async with public.expect_download() as started:
        await public.get_by_role("link", name="Quyết định 15/QĐ-STTTT (PDF)").click()
    download = await started.value
    pdf = await asyncio.to_thread(Path(await download.path()).read_bytes)
    decision = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in decision
    assert "15/QĐ-STTTT" in decision


async def test_the_office_sees_the_demo_year(demo_year: str, page_as: RolePageFactory) -> None:
    """Playing the demo, then opening the console as the office, shows the 2018 year: its
    progress, the compile's explanations, the decision."""
    office = await page_as(Role.OFFICE)

    await office.goto("/tien-do")
    await expect(office.get_by_role("heading", name="Tiến độ phong trào")).to_be_visible()
    # Other movements may exist beside the demo's: the picker lists them, so read the line that
    # says which one the page shows.
    await expect(office.locator("p.context")).to_contain_text("60/KH-STTTT")
    phases = office.get_by_role("table").filter(
        has=office.get_by_role("columnheader", name="Nộp muộn")
    )
    # Both phases closed, every unit's report approved.
    await expect(phases.get_by_role("row")).to_have_count(3)
    await expect(phases.get_by_role("cell", name="12", exact=True)).to_have_count(2)

    await office.goto("/de-nghi")
    await expect(office.get_by_text("147 đề nghị")).to_be_visible()
    nominations = office.get_by_role("table").first
    await nominations.get_by_text("Giải trình 1", exact=True).click()
    await expect(nominations.get_by_role("listitem").first).to_be_visible()
    refusals = office.get_by_role("table").filter(
        has=office.get_by_role("columnheader", name="Điều kiện chưa đạt")
    )
    await refusals.get_by_text("Giải trình 1", exact=True).click()
    await expect(refusals.get_by_role("listitem").first).to_be_visible()

    await office.goto("/quyet-dinh")
    await expect(
        office.get_by_role("heading", name="Quyết định 15/QĐ-STTTT ngày 24/01/2019")
    ).to_be_visible()
    await expect(office.get_by_role("link", name="Quyết định 15/QĐ-STTTT (PDF)")).to_be_visible()
