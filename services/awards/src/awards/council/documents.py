"""The minutes of a council meeting (biên bản họp hội đồng): attendance, quorum and the vote on
each nomination with its result, signed by the secretary and the chair."""

import re

from awards.council.models import CouncilMeeting, CouncilMember, CouncilVote
from awards.council.rules import council_rules
from awards.read_model.models import Campaign
from thidua_shared.contracts.vocabulary import TITLES
from thidua_shared.documents import AdministrativeDocument, Section, Signature, Table

COUNCIL = "Hội đồng Thi đua – Khen thưởng"
SYMBOL = "BB-HĐTĐKT"
# The reason the service writes when a vote falls short; it ends with the threshold's source
# note, which a document never shows.
SHORT_OF_THRESHOLD = "Không đạt ngưỡng"


def _member(meeting: CouncilMeeting, *roles: str) -> CouncilMember | None:
    """The first present member whose role is one of `roles`, in that order of preference."""
    present = [m for m in meeting.members if m.present]
    for role in roles:
        found = next((m for m in present if m.role.strip().casefold() == role), None)
        if found is not None:
            return found
    return None


def signers(meeting: CouncilMeeting) -> list[Signature]:
    """The secretary (thư ký, else the standing member who keeps the minutes) on the left, the
    chair (the council's chairman, else the first member present) on the right."""
    present = [m for m in meeting.members if m.present]
    chair = _member(meeting, "chủ tịch", "chủ tịch hội đồng") or (present[0] if present else None)
    secretary = _member(meeting, "thư ký", "thư ký hội đồng", "ủy viên thường trực")
    return [
        Signature(authority="THƯ KÝ", title="", name=secretary.name if secretary else ""),
        Signature(authority="CHỦ TRÌ", title="", name=chair.name if chair else ""),
    ]


# A staff or unit code in parentheses, e.g. "(BCVT-004)": the data names subjects by code, the
# minutes by name.
_CODE = re.compile(r" \([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\)")


def _result(vote: CouncilVote) -> str:
    if vote.approved:
        return "Đề nghị"
    reason = SHORT_OF_THRESHOLD if vote.reason.startswith(SHORT_OF_THRESHOLD) else vote.reason
    reason = _CODE.sub("", reason)
    return f"Không đề nghị: {reason.rstrip('.')}."


def meeting_minutes(
    meeting: CouncilMeeting, agency: str, campaign: Campaign | None, number: int
) -> AdministrativeDocument:
    """`agency` heads the minutes under the campaign's issuing agency; the place line is the
    campaign's province or city, the meeting room is said in the body."""
    quorum = council_rules(campaign.rule_set if campaign else None).quorum
    attendance: list[list[str | int | float | None]] = [
        [n, member.name, member.role, "Có mặt" if member.present else "Vắng"]
        for n, member in enumerate(meeting.members, start=1)
    ]
    votes: list[list[str | int | float | None]] = [
        [
            n,
            vote.subject_name or vote.subject_code,
            TITLES.get(vote.title, vote.title),
            vote.votes_for,
            vote.votes_against,
            vote.threshold,
            _result(vote),
        ]
        for n, vote in enumerate(meeting.votes, start=1)
    ]
    quorum_text = (
        f"Có mặt {meeting.members_present}/{meeting.members_total} thành viên; "
        + ("đủ" if meeting.quorum_met else "không đủ")
        + f" điều kiện biểu quyết (có mặt từ {quorum.text} tổng số thành viên trở lên)."
    )
    agency_name = campaign.issuing_agency if campaign else ""
    return AdministrativeDocument(
        parent_agency=agency_name,
        issuing_agency=agency,
        document_number=f"{number:02d}/{SYMBOL}",
        place=campaign.place_of_issue if campaign else "",
        issued_on=meeting.held_on,
        kind="BIÊN BẢN",
        title=f"Họp {COUNCIL} xét đề nghị khen thưởng"
        + (f" năm {campaign.year}" if campaign and campaign.year else ""),
        sections=[
            Section(
                heading="I. THỜI GIAN, ĐỊA ĐIỂM",
                paragraphs=[f"Ngày {meeting.held_on:%d/%m/%Y}, tại {meeting.place}."],
            ),
            Section(
                heading="II. THÀNH PHẦN",
                paragraphs=[quorum_text],
                table=Table(["STT", "Họ và tên", "Chức danh", "Tình trạng"], attendance),
            ),
            Section(
                heading="III. KẾT QUẢ BIỂU QUYẾT",
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
        signatures=signers(meeting),
    )
