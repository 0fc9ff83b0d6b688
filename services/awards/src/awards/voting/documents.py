"""The minutes of a cluster vote (biên bản bình xét, suy tôn): the scores, the ballot and the
units elected."""

import re
from collections.abc import Mapping

from awards.read_model.models import Campaign
from awards.voting.models import ClusterVote
from awards.voting.tally import cluster_label, percent
from thidua_shared.documents import AdministrativeDocument, Section, Signature, Table


def _by_name(explanation: str, names: Mapping[str, str]) -> str:
    """The tally's explanation names units by code; the minutes name them as people read them."""
    if not names:
        return explanation
    codes = "|".join(re.escape(code) for code in sorted(names, key=len, reverse=True))
    return re.sub(rf"(?<![\w-])({codes})(?![\w-])", lambda m: names[m.group(1)], explanation)


def minutes(vote: ClusterVote, campaign: Campaign | None) -> AdministrativeDocument:
    """Headed by the cluster under the campaign's agency and dated at the agency's province or
    city; where the cluster met is said in the body."""
    year = campaign.year if campaign else None
    valid = vote.ballots_cast - vote.ballots_invalid
    criteria = [str(c["name"]) for c in vote.criteria]
    score_rows = [
        [n, row["unit_name"], *row["points"], row["total"]]
        for n, row in enumerate(vote.scores, start=1)
    ]
    names = {row["unit_code"]: row["unit_name"] for row in vote.scores}
    ballot_rows = [
        [n, names.get(code, code), count, f"{percent(count, valid)}%"]
        for n, (code, count) in enumerate(
            sorted(vote.votes.items(), key=lambda item: -item[1]), start=1
        )
    ]
    leaders = ", ".join(names.get(code, code) for code in vote.leaders) or "chưa xác định"
    return AdministrativeDocument(
        parent_agency=campaign.issuing_agency if campaign else "",
        issuing_agency=cluster_label(vote.cluster).upper(),
        document_number=f"{vote.round:02d}/BB-CTĐ",
        place=campaign.place_of_issue if campaign else "",
        issued_on=vote.held_on,
        kind="BIÊN BẢN",
        title=(
            f"Bình xét, suy tôn đơn vị dẫn đầu {cluster_label(vote.cluster)}"
            + (f" năm {year}" if year else "")
        ),
        sections=[
            Section(
                heading="I. THÀNH PHẦN",
                paragraphs=[
                    f"Thời gian, địa điểm: ngày {vote.held_on:%d/%m/%Y}, tại {vote.place}.",
                    f"Chủ trì: {vote.chair_name}. Thư ký: {vote.secretary_name}.",
                    f"Đại diện các đơn vị thành viên: {', '.join(names.values())}.",
                ],
            ),
            Section(
                heading="II. KẾT QUẢ CHẤM ĐIỂM",
                table=Table(["STT", "Đơn vị", *criteria, "Tổng điểm"], score_rows),
            ),
            Section(
                heading="III. KẾT QUẢ BỎ PHIẾU KÍN",
                paragraphs=[
                    f"Số phiếu thu về: {vote.ballots_cast}; số phiếu hợp lệ: {valid}; "
                    f"số phiếu không hợp lệ: {vote.ballots_invalid}."
                ],
                table=Table(["STT", "Đơn vị", "Số phiếu", "Tỷ lệ"], ballot_rows),
            ),
            Section(
                heading="IV. KẾT LUẬN",
                paragraphs=[_by_name(vote.explanation, names), f"Đơn vị dẫn đầu cụm: {leaders}."],
            ),
        ],
        signatures=[
            Signature(authority="THƯ KÝ", title="", name=vote.secretary_name),
            Signature(authority="CHỦ TRÌ", title="", name=vote.chair_name),
        ],
    )
