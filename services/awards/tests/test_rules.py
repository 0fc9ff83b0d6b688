from uuid import uuid4

from awards.rules import ADVANCED_LABOUR_COLLECTIVE, compile_nominations


def test_only_participants_approved_in_every_phase_are_nominated() -> None:
    reports = {(phase, unit): str(uuid4()) for phase in (1, 2, 3) for unit in ("A", "B", "X")}
    approved = {
        1: {"A": reports[(1, "A")], "B": reports[(1, "B")], "X": reports[(1, "X")]},
        2: {"A": reports[(2, "A")], "X": reports[(2, "X")]},
        3: {"A": reports[(3, "A")], "B": reports[(3, "B")], "X": reports[(3, "X")]},
    }
    [draft] = compile_nominations(["B", "A"], approved)
    assert (draft.subject_kind, draft.subject_code, draft.title) == (
        "unit",
        "A",
        ADVANCED_LABOUR_COLLECTIVE,
    )
    assert draft.basis == (
        "Báo cáo của cả 3 đợt đều được phê duyệt ("
        f"đợt 1: báo cáo {reports[(1, 'A')]}; đợt 2: báo cáo {reports[(2, 'A')]}; "
        f"đợt 3: báo cáo {reports[(3, 'A')]})."
    )


def test_a_single_phase_campaign_reads_naturally() -> None:
    [draft] = compile_nominations(["A"], {1: {"A": "r-1"}})
    assert draft.basis == "Báo cáo của đợt thi đua duy nhất được phê duyệt (đợt 1: báo cáo r-1)."


def test_no_phases_nominates_nobody() -> None:
    assert compile_nominations(["A"], {}) == []
