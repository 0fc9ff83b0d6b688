"""What a cluster vote may come to and how it breaks a tie (see docs/glossary.md)."""

from thidua_shared.contracts.codes import Code


class VoteOutcome(Code):
    ELECTED = "elected"
    TIED = "tied"
    NO_MAJORITY = "no_majority"


class TieBreak(Code):
    """A tie on the last seat: the higher total score takes it, or another round decides."""

    SCORE = "score"
    REVOTE = "revote"
