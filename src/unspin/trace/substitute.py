"""A ``substitutable`` hook for alignment backed by the spin lexicon.

It lets alignment pair a spinner's word with the original it may have replaced
("acknowledged" <- "said"), which raises the density of spun passages. Trace uses it by
default (``TraceParams.lexicon``); the copy model of :mod:`unspin.trace.verdict` is
fitted with it.
"""

from __future__ import annotations

from functools import lru_cache

from unspin.trace.align import Substitutable

__all__ = ["lexicon_substitutable"]


@lru_cache(maxsize=1)
def lexicon_substitutable() -> Substitutable:
    """``f(copy_word, source_word)``: is ``source_word`` (or its lemma) a first-hop
    candidate original of ``copy_word`` (or of its lemma), in any inflection?

    A yes/no question on phrase ids (:meth:`Lexicon.neighbours`, cached per word), not a
    ranked candidate list: a cold word costs microseconds, not a millisecond.
    """
    from unspin.lexicon import load_lexicon

    lexicon = load_lexicon()

    @lru_cache(maxsize=1 << 16)
    def neighbours(word: str) -> frozenset[int]:
        return frozenset(lexicon.neighbours(word).tolist())

    @lru_cache(maxsize=1 << 16)
    def ids(word: str) -> tuple[int, ...]:
        return lexicon.phrase_ids(word)

    def substitutable(copy_word: str, source_word: str) -> bool:
        near = neighbours(copy_word)
        return bool(near) and any(i in near for i in ids(source_word))

    return substitutable
