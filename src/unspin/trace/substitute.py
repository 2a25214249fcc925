"""A ``substitutable`` hook for alignment backed by the spin lexicon (opt-in).

``Index(path, substitutable=lexicon_substitutable())`` lets alignment pair a spinner's
word with the original it may have replaced ("acknowledged" <- "said"), which raises the
density of spun passages. Not the default: the derived thresholds are set for exact
matches only.
"""

from __future__ import annotations

from functools import lru_cache

from unspin.trace.align import Substitutable

__all__ = ["lexicon_substitutable"]


def lexicon_substitutable(max_hops: int = 1) -> Substitutable:
    """``f(copy_word, source_word)``: is ``source_word`` a lexicon candidate original?"""
    from unspin.lexicon import load_lexicon

    lexicon = load_lexicon()

    @lru_cache(maxsize=1 << 16)
    def originals(word: str) -> frozenset[str]:
        return frozenset(c.text.lower() for c in lexicon.candidates(word, max_hops=max_hops))

    def substitutable(copy_word: str, source_word: str) -> bool:
        return source_word in originals(copy_word)

    return substitutable
