from __future__ import annotations

from unspin.despin import restore_text
from unspin.despin.api import harvest
from unspin.despin.source import source_pairs

from .conftest import COPY, SOURCE


def test_restore_with_source_gives_the_source_back() -> None:
    res = restore_text(COPY, source=SOURCE)
    assert res.restored == SOURCE
    for c in res.changes:
        assert COPY[c.start : c.end] == c.text
    got = {(c.text, c.original) for c in res.changes}
    assert ("acknowledged", "said") in got
    assert ("restart replace", "resume trade") in got or ("replace", "trade") in got


def test_unrelated_source_changes_little() -> None:
    other = "Heavy rain flooded the valley overnight and the river burst its banks near the town."
    res = restore_text(COPY, source=other)
    assert all(c.confidence < 0.99 for c in res.changes)  # nothing taken from the source


def test_harvest_pairs() -> None:
    pairs = harvest(COPY, SOURCE)
    assert ("acknowledged", "said") in pairs
    assert ("Chinese language", "Chinese") in pairs
    assert all(a != b for a, b in pairs)


def test_substitutions_at_the_edges_of_the_text() -> None:
    source = (
        "Officials said the two sides met on Monday in Geneva and agreed to resume talks "
        "on tariffs next month after a long pause in the negotiations over the attack."
    )
    copy = (
        "Authorities acknowledged the two sides met on Monday in Geneva and agreed to resume "
        "talks on tariffs next month after a long pause in the negotiations over the assault."
    )
    pairs = {(p.spun, p.original) for p in source_pairs(copy, source)[0]}
    assert ("Authorities acknowledged", "Officials said") in pairs or {
        ("Authorities", "Officials"),
        ("acknowledged", "said"),
    } <= pairs
    assert ("assault", "attack") in pairs


def test_a_gap_across_a_sentence_end_is_split_there() -> None:
    source = (
        "The companies said the deal was designed for the university market. Under the "
        "agreement, the companies will share the costs of the new plant in Ohio this year."
    )
    copy = (
        "The companies said the deal was designed for the four-year college commercial "
        "relations. Least of all the agreement, the companies will share the costs of the "
        "new plant in Ohio this year."
    )
    pairs = {(p.spun, p.original) for p in source_pairs(copy, source)[0]}
    assert ("Least of all", "Under") in pairs, pairs
    assert any(o == "university market" for _, o in pairs), pairs
