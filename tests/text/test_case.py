from __future__ import annotations

import pytest

from unspin.text import match_case


@pytest.mark.parametrize(
    ("option", "surface", "want"),
    [
        ("trade", "Replace", "Trade"),
        ("trade", "replace", "trade"),
        ("said", "ACKNOWLEDGED", "SAID"),
        ("United States", "usa", "United States"),  # a name keeps its case
        ("U.S.", "america", "U.S."),
        ("iPhone", "Telephone", "iPhone"),
        ("café", "BAR", "Café"),  # no upper-casing outside ASCII
        ("trade", "A", "Trade"),  # one capital letter: a capitalised word
        ("", "Word", ""),
        ("word", "", "word"),
    ],
)
def test_match_case(option: str, surface: str, want: str) -> None:
    assert match_case(option, surface) == want
