"""The cluster vote for the emulation flag: scores, secret ballot, majority, ties, minutes."""

import io
from decimal import Decimal
from typing import Any

import pypdf
import pytest

from awards.voting.codes import TieBreak, VoteOutcome
from awards.voting.tally import tally
from services.awards.tests.test_council_story import UNITS, CouncilStory
from thidua_shared.testing import RunningService

TOTALS = {"VP": Decimal(92), "PCNTT": Decimal(95), "TTCNTT": Decimal(88)}


def test_more_than_half_of_the_valid_ballots_elects() -> None:
    result = tally(
        ballots_cast=12,
        ballots_invalid=2,
        votes={"VP": 6, "PCNTT": 3, "TTCNTT": 1},
        totals=TOTALS,
        seats=1,
        tie_break=TieBreak.SCORE,
    )
    assert (result.outcome, result.leaders) == (VoteOutcome.ELECTED, ["VP"])
    assert "10 phiếu hợp lệ / 12 phiếu thu về" in result.explanation
    assert "VP: 6 phiếu (60,0%)" in result.explanation


def test_exactly_half_is_no_majority() -> None:
    result = tally(
        ballots_cast=10,
        ballots_invalid=0,
        votes={"VP": 5, "PCNTT": 5},
        totals=TOTALS,
        seats=1,
        tie_break=TieBreak.SCORE,
    )
    assert (result.outcome, result.leaders) == (VoteOutcome.NO_MAJORITY, [])


@pytest.mark.parametrize(
    ("tie_break", "outcome", "leaders"),
    [
        (TieBreak.SCORE, VoteOutcome.ELECTED, ["VP", "PCNTT"]),
        (TieBreak.REVOTE, VoteOutcome.TIED, ["VP"]),
    ],
)
def test_a_tie_on_the_last_seat_follows_the_rule(
    tie_break: TieBreak, outcome: VoteOutcome, leaders: list[str]
) -> None:
    result = tally(
        ballots_cast=10,
        ballots_invalid=0,
        votes={"VP": 9, "PCNTT": 6, "TTCNTT": 6},
        totals=TOTALS,
        seats=2,
        tie_break=tie_break,
    )
    assert (result.outcome, result.leaders) == (outcome, leaders)
    assert "bằng phiếu (6 phiếu)" in result.explanation


def test_a_tie_on_votes_and_scores_needs_another_round() -> None:
    result = tally(
        ballots_cast=10,
        ballots_invalid=0,
        votes={"VP": 6, "PCNTT": 6},
        totals={"VP": Decimal(90), "PCNTT": Decimal(90)},
        seats=1,
        tie_break=TieBreak.SCORE,
    )
    assert (result.outcome, result.leaders) == (VoteOutcome.TIED, [])
    assert "bằng tổng điểm" in result.explanation


def _vote_body(story: CouncilStory, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "campaign_id": str(story.campaign_id),
        "cluster": "Cụm 1",
        "held_on": "2018-12-20",
        "place": "Biên Hòa",
        "chair_name": "Phạm Văn Hùng",
        "secretary_name": "Đỗ Thị Thu Hà",
        "criteria": [
            {"name": "Thực hiện nhiệm vụ chuyên môn", "max_points": 70},
            {"name": "Công tác thi đua, khen thưởng", "max_points": 30},
        ],
        "scores": [
            {"unit_code": "VP", "points": [65, 27]},
            {"unit_code": "PCNTT", "points": [68, 27]},
            {"unit_code": "TTCNTT", "points": [60, 28]},
        ],
        "ballots_cast": 3,
        "ballots_invalid": 0,
        "votes": [{"unit_code": "PCNTT", "votes": 2}, {"unit_code": "VP", "votes": 1}],
    }
    body.update(changes)
    return body


async def test_the_elected_leader_becomes_the_flag_nomination(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    await story.reported("PCNTT")
    response = await awards.client.post("/awards/cluster-votes", json=_vote_body(story))
    assert response.status_code == 201, response.text
    vote = response.json()
    assert (vote["outcome"], vote["leaders"], vote["round"]) == (VoteOutcome.ELECTED, ["PCNTT"], 1)
    assert vote["ballots_valid"] == 3
    assert [s["unit_code"] for s in vote["scores"]] == ["PCNTT", "VP", "TTCNTT"]
    assert vote["scores"][0]["total"] == "95"

    agenda = await awards.client.get(
        "/awards/council/agenda", params={"campaign_id": str(story.campaign_id)}
    )
    flags = [c for c in agenda.json()["candidates"] if c["title"] == "co_thi_dua_cap_tinh"]
    assert [(f["subject_code"], f["subject_name"]) for f in flags] == [("PCNTT", UNITS["PCNTT"])]
    assert "Cụm 1: 2/3 phiếu hợp lệ" in flags[0]["basis"]
    assert "2/2 chỉ tiêu đạt từ 100 % trở lên, bình quân 107 %" in flags[0]["basis"]
    assert flags[0]["threshold"] == "2/3"

    minutes = await awards.client.get(f"/awards/cluster-votes/{vote['id']}/minutes.pdf")
    assert minutes.status_code == 200
    assert minutes.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(minutes.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("BIÊN BẢN", "Cụm 1", "Phòng Công nghệ thông tin", "Đỗ Thị Thu Hà"):
        assert expected in text, expected


async def test_scores_and_votes_are_checked_against_the_cluster(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"scores": [{"unit_code": "VP", "points": [65, 27]}]}, "scores"),
        ({"scores": [{"unit_code": u, "points": [71, 0]} for u in UNITS]}, "scores"),
        ({"votes": [{"unit_code": "KHAC", "votes": 1}]}, "votes"),
        ({"votes": [{"unit_code": "VP", "votes": 4}]}, "votes"),
        ({"ballots_invalid": 4}, "ballots_invalid"),
        ({"cluster": "Cụm 9"}, "cluster"),
    ]
    for changes, field in cases:
        response = await awards.client.post(
            "/awards/cluster-votes", json=_vote_body(story, **changes)
        )
        assert response.status_code == 422, (changes, response.text)
        assert response.json()["field"] == field, changes
    listed = await awards.client.get(
        "/awards/cluster-votes", params={"campaign_id": str(story.campaign_id)}
    )
    assert listed.json() == []


async def test_a_tied_round_is_settled_by_the_next(awards: RunningService) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    for unit in ("VP", "PCNTT"):
        await story.reported(unit)

    def round_of(pcntt: int, ttcntt: int) -> dict[str, Any]:
        return _vote_body(
            story,
            tie_break="revote",
            seats=2,
            ballots_cast=10,
            votes=[
                {"unit_code": "VP", "votes": 8},
                {"unit_code": "PCNTT", "votes": pcntt},
                {"unit_code": "TTCNTT", "votes": ttcntt},
            ],
        )

    first = (await awards.client.post("/awards/cluster-votes", json=round_of(6, 6))).json()
    assert (first["outcome"], first["leaders"]) == (VoteOutcome.TIED, ["VP"])
    assert "cần bỏ phiếu lại cho 1 vị trí" in first["explanation"]
    # Another round elects every seat again; the latest round is the one the council reads.
    second = (await awards.client.post("/awards/cluster-votes", json=round_of(7, 5))).json()
    assert (second["round"], second["outcome"], second["leaders"]) == (
        2,
        VoteOutcome.ELECTED,
        ["VP", "PCNTT"],
    )
    agenda = await awards.client.get(
        "/awards/council/agenda", params={"campaign_id": str(story.campaign_id)}
    )
    flags = [
        c["subject_code"]
        for c in agenda.json()["candidates"]
        if c["title"] == "co_thi_dua_cap_tinh"
    ]
    assert flags == ["VP", "PCNTT"]


async def test_a_leader_that_did_not_exceed_its_targets_gets_no_flag(
    awards: RunningService,
) -> None:
    story = CouncilStory(awards)
    await story.compiled()
    # The review's case: 2 of 4 targets met, 99.7 % on average, rated "hoàn thành tốt".
    await story.reported("PCNTT", "tot", (101.2, 100.0, 99.1, 98.5))
    response = await awards.client.post("/awards/cluster-votes", json=_vote_body(story))
    assert response.status_code == 201, response.text
    agenda = (
        await awards.client.get(
            "/awards/council/agenda", params={"campaign_id": str(story.campaign_id)}
        )
    ).json()
    assert not [c for c in agenda["candidates"] if c["title"] == "co_thi_dua_cap_tinh"]
    [withheld] = agenda["withheld"]
    assert withheld["subject_code"] == "PCNTT"
    for expected in (
        "Đơn vị tự đánh giá: Hoàn thành tốt nhiệm vụ, chưa đạt mức Hoàn thành xuất sắc nhiệm vụ",
        "2/4 chỉ tiêu đạt từ 100 % trở lên, bình quân 99,7 %: chưa hoàn thành vượt mức",
        "(Điều 26 Luật Thi đua, khen thưởng 2003",
    ):
        assert expected in withheld["reason"], expected
    council = await story.council_session(present=7, absent=0)
    flag_vote = {
        "subject_kind": "unit",
        "subject_code": "PCNTT",
        "title": "co_thi_dua_cap_tinh",
        "votes_for": 7,
        "votes_against": 0,
    }
    refused = await awards.client.post(
        f"/awards/council/sessions/{council['id']}/votes", json={"votes": [flag_vote]}
    )
    assert refused.status_code == 422, refused.text
