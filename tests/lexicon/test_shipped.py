from __future__ import annotations

import pytest

from unspin.lexicon import load_lexicon
from unspin.lexicon.lexicon import RESOURCE

pytestmark = pytest.mark.skipif(not RESOURCE.exists(), reason="run scripts/build_lexicon.py")


@pytest.mark.parametrize(
    ("surface", "original"),
    [
        ("acknowledged", "said"),
        ("minute", "little"),
        ("bewitch", "buy"),
        ("replace", "trade"),
        ("usa", "United States"),
        ("the usa", "the United States"),
        ("Chinese language", "Chinese"),
        ("huge information", "big data"),
    ],
)
def test_known_spins_are_reversed(surface: str, original: str) -> None:
    assert original in [c.text for c in load_lexicon().candidates(surface)]


def test_shipped_lexicon_loads_once() -> None:
    lex = load_lexicon()
    assert lex is load_lexicon()
    assert len(lex) > 100_000 and lex.max_phrase_len >= 3
