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


def test_hop1_sources_agree_with_candidates() -> None:
    """The targeted source look-up detection uses for learned options gives what the
    full candidate list says, learned pairs, inflected, multi-word and re-cased keys
    included."""
    import random

    from unspin.lexicon import Lexicon

    lex = Lexicon(load_lexicon().tables)  # a private copy: learned pairs are added
    for spun, original in [
        ("acknowledged", "said"),
        ("acknowledged", "Said"),
        ("usa", "U.S."),
        ("usa", "USA"),
        ("replace", "trade"),
        ("chinese language", "Chinese"),
        ("the usa", "the United States"),
    ]:
        lex.add_learned(spun, original, 2)
    rng = random.Random(7)
    keys = [*lex.learned, "talks", "agreed", "minute", "us", "the usa", "nasa"]
    keys += rng.sample([k for k in lex.tables.keys if k.isalpha()], 150)
    keys += rng.sample([k for k in lex.tables.keys if " " in k], 50)
    for key in keys:
        full = {c.text.lower(): c.sources for c in lex.candidates(key, max_hops=1)}
        asked = set(full) | {key, "zzzz", "said", "usa"}
        assert lex.hop1_sources(key, asked) == full, key
