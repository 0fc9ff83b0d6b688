"""The awards service's documents of the 2018 year built in memory, as the demo plays them: a
cluster's minutes, the council's minutes, the decision 15/QĐ-STTTT with its award list and the
decision revoking one of its awards."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from awards.council.documents import meeting_minutes
from awards.council.models import CouncilMeeting, CouncilMember, CouncilVote
from awards.decisions.documents import decision_document
from awards.decisions.grounds import council_proposal, decision_grounds
from awards.decisions.models import Decision, DecisionAward
from awards.decisions.revocation_document import revocation_document
from awards.decisions.salary import salary_table
from awards.read_model.models import Campaign
from awards.voting.codes import TieBreak
from awards.voting.documents import minutes
from awards.voting.models import ClusterVote
from awards.voting.tally import tally
from thidua_shared.documents import AdministrativeDocument

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CAMPAIGN = Campaign(
    title="Phát động phong trào thi đua năm 2018",
    year=2018,
    rule_set="law-2013-decree-91-2017",
    plan_number="60/KH-STTTT",
    plan_issued_on=date(2018, 1, 9),
    issuing_agency="Sở Thông tin và Truyền thông",
    parent_agency="UBND tỉnh Đồng Nai",
    place_of_issue="Đồng Nai",
)
COUNCIL = [
    ("Lê Hoàng Ngọc", "Chủ tịch", True),
    ("Nguyễn Thị Thu Hà", "Phó Chủ tịch", True),
    ("Trần Văn Bình", "Phó Chủ tịch", True),
    ("Phạm Thị Lan", "Ủy viên thường trực", True),
    ("Võ Minh Tuấn", "Ủy viên", True),
    ("Đặng Thị Mai", "Ủy viên", True),
    ("Huỳnh Ngọc Anh", "Ủy viên", False),
]
# (kind, code, name, unit, title, multiplier)
AWARDS = [
    ("unit", "VP", "Văn phòng Sở", "VP", "tap_the_lao_dong_xuat_sac", "1.5"),
    ("unit", "TTRA", "Thanh tra Sở", "TTRA", "tap_the_lao_dong_tien_tien", "0.8"),
    ("person", "VP-001", "Nguyễn Thị Hồng Nhung", "VP", "chien_si_thi_dua_co_so", "1.0"),
    ("person", "VP-002", "Trần Văn Đức", "VP", "lao_dong_tien_tien", "0.3"),
    ("person", "TTRA-001", "Đặng Quang Bình", "TTRA", "lao_dong_tien_tien", "0.3"),
    ("person", "KHTC-001", "Nguyễn Thị Hoà", "KHTC", "lao_dong_tien_tien", "0.3"),
]
UNITS = {"VP": "Văn phòng Sở", "TTRA": "Thanh tra Sở", "KHTC": "Phòng Kế hoạch – Tài chính"}
CRITERIA = [
    ("Thực hiện nhiệm vụ chính trị, chuyên môn được giao", 50),
    ("Tổ chức phong trào thi đua, công tác khen thưởng", 30),
    ("Xây dựng tổ chức Đảng, đoàn thể, cơ quan văn hóa", 20),
]
SCORES = {"VP": [47, 28, 19], "TTRA": [45, 27, 18], "KHTC": [44, 26, 18]}
BALLOTS = {"VP": 2, "TTRA": 1}
# The agency's own instrument, as the demo names it in the decision request.
AGENCY_GROUNDS = [
    "Căn cứ Quyết định số 05/QĐ-STTTT ngày 05/01/2018 của Giám đốc Sở Thông tin và Truyền "
    "thông ban hành Quy chế Thi đua, khen thưởng của Sở"
]
REVOCATION_REASON = (
    "Phát hiện khai man thành tích: sáng kiến nêu trong hồ sơ không do cá nhân là tác giả"
)


def cluster_minutes() -> AdministrativeDocument:
    totals = {code: Decimal(sum(points)) for code, points in SCORES.items()}
    result = tally(
        ballots_cast=3,
        ballots_invalid=0,
        votes=BALLOTS,
        totals=totals,
        seats=1,
        tie_break=TieBreak.SCORE,
    )
    vote = ClusterVote(
        cluster="Cụm thi đua số 1 – Văn phòng và Thanh tra",
        round=1,
        held_on=date(2019, 1, 8),
        place="Hội trường Sở Thông tin và Truyền thông",
        chair_name="Trưởng Cụm thi đua số 1",
        secretary_name="Nguyễn Thị Thảo",
        criteria=[{"name": name, "max_points": most} for name, most in CRITERIA],
        scores=[
            {
                "unit_code": code,
                "unit_name": UNITS[code],
                "points": points,
                "total": str(totals[code]),
            }
            for code, points in SCORES.items()
        ],
        ballots_cast=3,
        ballots_invalid=0,
        votes=BALLOTS,
        leaders=result.leaders,
        explanation=result.explanation,
    )
    return minutes(vote, CAMPAIGN)


def council_minutes() -> AdministrativeDocument:
    present = sum(1 for _, _, here in COUNCIL if here)
    meeting = CouncilMeeting(
        held_on=date(2019, 1, 10),
        place="Phòng họp Sở Thông tin và Truyền thông",
        members_total=len(COUNCIL),
        members_present=present,
        quorum_met=True,
        members=[
            CouncilMember(position=n, name=name, role=role, present=here)
            for n, (name, role, here) in enumerate(COUNCIL, start=1)
        ],
        votes=[
            CouncilVote(
                subject_code=code,
                subject_name=name,
                title=title,
                votes_for=present,
                votes_against=0,
                threshold="1/2",
                approved=True,
                reason="",
            )
            for _, code, name, _, title, _ in AWARDS
        ],
    )
    return meeting_minutes(meeting, "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", CAMPAIGN, 1)


def _decision() -> Decision:
    decided_on = date(2019, 1, 24)
    table = salary_table()
    rate = table.rate_on(decided_on)
    assert rate is not None, "the salary table covers 2019"
    awards = [
        DecisionAward(
            position=n,
            subject_kind=kind,
            subject_code=code,
            subject_name=name,
            unit_code=unit,
            title=title,
            multiplier=Decimal(multiplier),
            bonus_vnd=table.bonus(Decimal(multiplier), rate.amount_vnd),
            revoked_at=None,
        )
        for n, (kind, code, name, unit, title, multiplier) in enumerate(AWARDS, start=1)
    ]
    return Decision(
        number="15/QĐ-STTTT",
        decided_on=decided_on,
        place="Đồng Nai",
        issuing_agency="Sở Thông tin và Truyền thông",
        parent_agency="UBND tỉnh Đồng Nai",
        signer_authority="",
        signer_title="Giám đốc",
        signer_name="Lê Hoàng Ngọc",
        preamble=decision_grounds(decided_on, CAMPAIGN, AGENCY_GROUNDS),
        proposal=council_proposal("Sở Thông tin và Truyền thông", 1, date(2019, 1, 10)),
        recipients=["Như Điều 3", "Ban Thi đua – Khen thưởng tỉnh", "Lưu: VT, VP"],
        base_salary_vnd=rate.amount_vnd,
        base_salary_source=f"{rate.source}, từ {rate.starts_on:%d/%m/%Y}",
        rounding_rule=table.rounding.describe(),
        total_bonus_vnd=sum(award.bonus_vnd for award in awards),
        issued_at=datetime(2019, 1, 24, 9, tzinfo=VIETNAM),
        awards=awards,
    )


def decision() -> AdministrativeDocument:
    return decision_document(_decision(), UNITS)


def revocation() -> AdministrativeDocument:
    issued = _decision()
    award = issued.awards[-1]
    award.revoked_at = datetime(2019, 3, 15, 9, tzinfo=VIETNAM)
    award.revoked_on = date(2019, 3, 15)
    award.revocation_number = "42/QĐ-STTTT"
    award.revocation_reason = REVOCATION_REASON
    award.bonus_recovered_vnd = award.bonus_vnd
    return revocation_document(issued, award, CAMPAIGN, UNITS)
