"""The cluster vote for the emulation flag (bình xét, suy tôn cờ thi đua): member units' scores
per the cluster's criteria and a secret-ballot tally elect the cluster's leading unit(s).

A unit is elected by more than half of the valid ballots. When more units reach a majority
than there are seats and the last seat is tied on votes, the tie-break rule chosen for the
vote applies: "score" gives the seat to the higher total score, "revote" leaves it to another
round; a tie that the scores do not break also needs another round.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from awards.voting.codes import TieBreak, VoteOutcome


@dataclass(frozen=True)
class Tally:
    outcome: VoteOutcome
    leaders: list[str]
    explanation: str


def cluster_label(cluster: str) -> str:
    """ "Cụm 1" stays as it is; a bare name becomes "cụm thi đua <name>"."""
    return cluster if cluster.casefold().startswith("cụm") else f"cụm thi đua {cluster}"


def percent(part: int, whole: int) -> str:
    share = Decimal(100 * part) / whole if whole else Decimal(0)
    return f"{share.quantize(Decimal('0.1'))}".replace(".", ",")


def tally(
    *,
    ballots_cast: int,
    ballots_invalid: int,
    votes: Mapping[str, int],
    totals: Mapping[str, Decimal],
    seats: int,
    tie_break: TieBreak,
) -> Tally:
    valid = ballots_cast - ballots_invalid
    majority = [unit for unit, count in votes.items() if 2 * count > valid]
    majority.sort(key=lambda unit: (-votes[unit], -totals.get(unit, Decimal(0)), unit))
    counted = f"{valid} phiếu hợp lệ / {ballots_cast} phiếu thu về"
    if not majority:
        return Tally(
            VoteOutcome.NO_MAJORITY,
            [],
            f"Không đơn vị nào đạt quá 50% số phiếu hợp lệ ({counted}).",
        )
    if len(majority) <= seats:
        return Tally(VoteOutcome.ELECTED, majority, _elected(majority, votes, valid, counted))
    cut = votes[majority[seats - 1]]
    above = [unit for unit in majority if votes[unit] > cut]
    at_cut = [unit for unit in majority if votes[unit] == cut]
    open_seats = seats - len(above)
    if len(at_cut) <= open_seats:
        leaders = majority[:seats]
        return Tally(VoteOutcome.ELECTED, leaders, _elected(leaders, votes, valid, counted))
    tied_names = ", ".join(sorted(at_cut))
    if tie_break == TieBreak.SCORE:
        ranked = sorted(at_cut, key=lambda unit: -totals.get(unit, Decimal(0)))
        last_in = totals.get(ranked[open_seats - 1], Decimal(0))
        first_out = totals.get(ranked[open_seats], Decimal(0))
        if last_in > first_out:
            leaders = above + ranked[:open_seats]
            return Tally(
                VoteOutcome.ELECTED,
                leaders,
                f"{_elected(leaders, votes, valid, counted)} Các đơn vị {tied_names} bằng phiếu "
                f"({cut} phiếu); theo nguyên tắc xét tổng điểm chấm, đơn vị có tổng điểm cao hơn "
                "được chọn.",
            )
        reason = f"Các đơn vị {tied_names} bằng phiếu ({cut} phiếu) và bằng tổng điểm chấm"
    else:
        reason = f"Các đơn vị {tied_names} bằng phiếu ({cut} phiếu)"
    return Tally(
        VoteOutcome.TIED,
        above,
        f"{reason}; cần bỏ phiếu lại cho {open_seats} vị trí dẫn đầu còn lại ({counted}).",
    )


def _elected(leaders: Sequence[str], votes: Mapping[str, int], valid: int, counted: str) -> str:
    named = "; ".join(
        f"{unit}: {votes[unit]} phiếu ({percent(votes[unit], valid)}%)" for unit in leaders
    )
    return f"Đơn vị dẫn đầu cụm, đạt quá 50% số phiếu hợp lệ ({counted}): {named}."
