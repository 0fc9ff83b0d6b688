"""The minutes of a council session (biên bản họp hội đồng): attendance, quorum and the vote on
each nomination with its result."""

from awards.council_models import CouncilSession
from awards.council_rules import council_rules
from thidua_shared.contracts.vocabulary import TITLES
from thidua_shared.documents import AdministrativeDocument, Section, Signature, Table


def session_minutes(council: CouncilSession, agency: str) -> AdministrativeDocument:
    quorum = council_rules().quorum
    chair = next((m for m in council.members if m.present), None)
    attendance: list[list[str | int | float | None]] = [
        [n, member.name, member.role, "Có mặt" if member.present else "Vắng"]
        for n, member in enumerate(council.members, start=1)
    ]
    votes: list[list[str | int | float | None]] = [
        [
            n,
            vote.subject_name or vote.subject_code,
            TITLES.get(vote.title, vote.title),
            vote.votes_for,
            vote.votes_against,
            vote.threshold,
            "Đề nghị" if vote.approved else f"Không đề nghị: {vote.reason}",
        ]
        for n, vote in enumerate(council.votes, start=1)
    ]
    quorum_text = (
        f"Có mặt {council.members_present}/{council.members_total} thành viên; "
        + ("đủ" if council.quorum_met else "không đủ")
        + f" điều kiện biểu quyết (tối thiểu {quorum.text} thành viên có mặt, {quorum.source})."
    )
    return AdministrativeDocument(
        issuing_agency=agency,
        document_number="",
        place=council.place,
        issued_on=council.held_on,
        kind="BIÊN BẢN",
        title="Họp Hội đồng Thi đua – Khen thưởng xét đề nghị khen thưởng",
        sections=[
            Section(
                heading="I. THÀNH PHẦN",
                paragraphs=[quorum_text],
                table=Table(["STT", "Họ và tên", "Chức danh", "Tình trạng"], attendance),
            ),
            Section(
                heading="II. KẾT QUẢ BIỂU QUYẾT",
                table=Table(
                    [
                        "STT",
                        "Tập thể/Cá nhân",
                        "Danh hiệu",
                        "Tán thành",
                        "Không tán thành",
                        "Ngưỡng",
                        "Kết quả",
                    ],
                    votes,
                ),
            ),
        ],
        signatures=[
            Signature(authority="CHỦ TỌA", title=chair.role if chair else "", name=chair.name)
        ]
        if chair
        else [],
    )
