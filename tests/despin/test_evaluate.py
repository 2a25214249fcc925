from __future__ import annotations

from unspin.despin.evaluate import Gold, score
from unspin.results import Change


def test_score_exact_and_clean() -> None:
    text = "officials acknowledged the replace war"
    gold = [Gold(10, 22, "said"), Gold(27, 34, "trade")]
    edited = [(10, 22), (27, 34)]
    right = [Change(10, 22, "acknowledged", "said", 0.9), Change(27, 34, "replace", "trade", 0.8)]
    sc = score(text, right, gold, edited)
    assert (sc.subs, sc.exact, sc.clean_words, sc.clean_changed) == (2, 2, 3, 0)
    wrong = [Change(0, 9, "officials", "staff", 0.5), Change(27, 34, "replace", "Trade", 0.5)]
    sc = score(text, wrong, gold, edited)
    assert (sc.exact, sc.exact_nocase, sc.clean_changed) == (0, 1, 1)


def test_score_change_spanning_two_tokens() -> None:
    text = "the replace war"
    sc = score(text, [Change(4, 15, "replace war", "trade war", 1.0)], [Gold(4, 11, "trade")], [])
    assert sc.exact == 1


def test_score_counts_only_the_words_a_change_really_changes() -> None:
    # The real-copy gold marks only the padding "language" as edited; dropping it leaves
    # "Chinese" as it was, and "White Home" -> "White House" leaves "White".
    text = "the Chinese language side and the White Home said"
    edited = [(12, 20)]
    drop = Change(4, 20, "Chinese language", "Chinese", 0.9)
    sc = score(text, [drop], [], edited)
    assert (sc.clean_words, sc.clean_changed) == (8, 0)
    house = Change(34, 44, "White Home", "White House", 0.9)
    assert score(text, [house], [], edited).clean_changed == 1  # "Home" only
    same = Change(30, 33, "the", "the", 0.5)
    assert score(text, [same], [], edited).clean_changed == 0
    whole = Change(4, 20, "Chinese language", "China", 0.9)
    assert score(text, [whole], [], edited).clean_changed == 1  # "Chinese"


def test_precision_of_changes() -> None:
    text = "officials acknowledged the replace war"
    gold = [Gold(10, 22, "said"), Gold(27, 34, "trade")]
    edited = [(10, 22), (27, 34)]
    changes = [
        Change(0, 9, "officials", "staff", 0.5),  # an untouched word: wrong
        Change(10, 22, "acknowledged", "said", 0.9),  # right
        Change(27, 34, "replace", "swap", 0.5),  # a substitution, wrong original
        Change(23, 26, "the", "the", 0.5),  # no change at all: not counted
    ]
    sc = score(text, changes, gold, edited)
    assert (sc.changes, sc.changes_right) == (3, 1)
    assert abs(sc.precision - 1 / 3) < 1e-9
    # a change inside an edited span the gold does not score (padding) is not judged
    pad = score(
        "the Chinese language side",
        [Change(4, 20, "Chinese language", "Chinese", 1)],
        [],
        [(12, 20)],
    )
    assert (pad.changes, pad.changes_right) == (0, 0)
