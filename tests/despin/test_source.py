from __future__ import annotations

from unspin.despin import restore_text
from unspin.despin.api import harvest

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
