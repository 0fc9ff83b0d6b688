"""The consolidated phase report as a workbook, with Vietnamese headings and labels."""

from reports.codes import UnitReportStatus
from reports.overview_schemas import ConsolidatedReport, UnitConsolidated
from thidua_shared.contracts.vocabulary import TASK_RATINGS, TASK_RATINGS_SHORT, ReportKind
from thidua_shared.documents import Sheet, render_xlsx

STATUS_LABELS = {
    UnitReportStatus.MISSING: "Chưa nộp",
    UnitReportStatus.DRAFT: "Chưa nộp",
    UnitReportStatus.SUBMITTED: "Đã nộp, chờ duyệt",
    UnitReportStatus.RETURNED: "Bị trả lại",
    UnitReportStatus.APPROVED: "Đã duyệt",
}


def _yes(flag: bool) -> str:
    return "Có" if flag else ""


def consolidated_xlsx(report: ConsolidatedReport) -> bytes:
    final = report.kind == ReportKind.FINAL
    review = "TỔNG KẾT" if final else "SƠ KẾT"
    heading = f"BÁO CÁO {review} {report.phase_name.upper()} – {report.campaign_title}"
    sheets = [
        _summary(report, heading, final=final),
        _results(report, f"KẾT QUẢ THỰC HIỆN CHỈ TIÊU – {report.phase_name}"),
    ]
    if final:
        sheets.append(_ratings(report))
    return render_xlsx(sheets)


def _summary(report: ConsolidatedReport, heading: str, *, final: bool) -> Sheet:
    headers = [
        "STT",
        "Mã đơn vị",
        "Tên đơn vị",
        "Cụm thi đua",
        "Tình trạng",
        "Nộp muộn",
        "Tự đánh giá",
        "Số chỉ tiêu",
        "Số chỉ tiêu đạt",
        "Tỷ lệ hoàn thành bình quân (%)",
    ]
    if final:
        headers += [*(TASK_RATINGS_SHORT[c] for c in TASK_RATINGS), "Bị kỷ luật", "Sáng kiến"]
    headers.append("Ghi chú")
    rows: list[list[str | int | float | None]] = []
    for number, unit in enumerate(report.units, start=1):
        row: list[str | int | float | None] = [
            number,
            unit.unit_code,
            unit.unit_name,
            unit.cluster or "",
            STATUS_LABELS[unit.status],
            _yes(unit.late),
            TASK_RATINGS.get(unit.self_assessment or "", ""),
            unit.commitments,
            unit.targets_met,
            unit.average_percent,
        ]
        if final:
            row += [*_rating_cells(unit), unit.members_disciplined, unit.initiatives]
        row.append(unit.missing_reason or "")
        rows.append(row)
    totals = report.totals
    total_row: list[str | int | float | None] = [
        None,
        None,
        f"Tổng cộng: {totals.units} đơn vị, {totals.approved} đã duyệt",
        None,
        f"{totals.missing} chưa nộp",
        totals.late,
        None,
        totals.commitments,
        totals.targets_met,
        None,
    ]
    if final:
        ratings = totals.member_ratings or {}
        total_row += [*(ratings.get(c, 0) for c in TASK_RATINGS)]
        total_row += [totals.members_disciplined, totals.initiatives]
    total_row.append(None)
    rows.append(total_row)
    return Sheet(title="Tổng hợp", headers=headers, rows=rows, heading=heading)


def _rating_cells(unit: UnitConsolidated) -> list[str | int | float | None]:
    ratings = unit.member_ratings or {}
    return [ratings.get(code, 0) for code in TASK_RATINGS]


def _results(report: ConsolidatedReport, heading: str) -> Sheet:
    headers = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Nhiệm vụ",
        "Nội dung đăng ký",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Chỉ tiêu đăng ký",
        "Kết quả đạt được",
        "Tỷ lệ so với chỉ tiêu (%)",
        "Thuyết minh",
        "Minh chứng",
    ]
    rows: list[list[str | int | float | None]] = [
        [
            unit.unit_code,
            unit.unit_name,
            result.task_number,
            result.content,
            result.indicator + (" (càng thấp càng tốt)" if result.lower_is_better else ""),
            result.unit_of_measure,
            result.target_value,
            result.achieved_value,
            result.percent_of_target,
            result.narrative,
            "; ".join(result.evidence),
        ]
        for unit in report.units
        for result in unit.results
    ]
    return Sheet(title="Kết quả chỉ tiêu", headers=headers, rows=rows, heading=heading)


def _ratings(report: ConsolidatedReport) -> Sheet:
    headers = ["Mã đơn vị", "Tên đơn vị", *(TASK_RATINGS_SHORT[c] for c in TASK_RATINGS), "Tổng số"]
    rows: list[list[str | int | float | None]] = []
    for unit in report.units:
        cells = _rating_cells(unit)
        rows.append([unit.unit_code, unit.unit_name, *cells, sum(int(c or 0) for c in cells)])
    return Sheet(
        title="Xếp loại cá nhân",
        headers=headers,
        rows=rows,
        heading=f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN – {report.campaign_title}",
    )
