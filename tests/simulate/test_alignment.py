"""Gold alignments: applying them reproduces the spun text; broken ones are reported."""

from __future__ import annotations

from unspin.simulate import Edit, apply_alignment, check_alignment

ORIGINAL = "The trade talks may resume."
SPUN = "[ad_1]\nThe replace talks may resume."


def _edits() -> list[Edit]:
    return [
        Edit(0, 0, 0, 7, "insert", "[ad_1]\n", "boilerplate"),
        Edit(0, 4, 7, 11, "equal"),
        Edit(4, 9, 11, 18, "substitute", "replace", "synonym"),
        Edit(9, 27, 18, 36, "equal"),
    ]


def test_apply_and_check_exact() -> None:
    edits = _edits()
    assert apply_alignment(ORIGINAL, edits) == SPUN
    assert check_alignment(ORIGINAL, SPUN, edits) == []
    dicts = [e.to_dict() for e in edits]
    assert "text" not in dicts[1] and dicts[2]["text"] == "replace"
    assert apply_alignment(ORIGINAL, dicts) == SPUN
    assert [Edit.from_dict(d) for d in dicts] == edits


def test_check_reports_problems() -> None:
    edits = _edits()
    gap = [*edits[:3], Edit(10, 27, 18, 35, "equal")]
    assert check_alignment(ORIGINAL, SPUN, gap)
    wrong = [*edits[:2], Edit(4, 9, 11, 18, "substitute", "replica"), edits[3]]
    assert any("text" in p for p in check_alignment(ORIGINAL, SPUN, wrong))
    assert check_alignment(ORIGINAL, SPUN + "!", edits)


def test_move_and_delete() -> None:
    original = "A b. C d. E f."
    spun = "C d. A b. "
    edits = [
        Edit(5, 9, 0, 4, "move"),
        Edit(4, 5, 4, 5, "equal"),
        Edit(0, 4, 5, 9, "move"),
        Edit(9, 10, 9, 10, "equal"),
        Edit(10, 14, 10, 10, "delete", kind="partial"),
    ]
    assert check_alignment(original, spun, edits) == []
