"""A ``substitutable`` hook for alignment backed by the spin lexicon.

It lets alignment pair a spinner's word with the original it may have replaced
("acknowledged" <- "said"), which raises the density of spun passages. Trace uses it by
default (``TraceParams.lexicon``); the copy model of :mod:`unspin.trace.verdict` is
fitted with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from unspin.lexicon import Lexicon

__all__ = ["LexiconHook", "lexicon_substitutable"]


class LexiconHook:
    """``hook(copy_word, source_word)``: is ``source_word`` (or its lemma) a first-hop
    candidate original of ``copy_word`` (or of its lemma), in any inflection?

    ``hook.many(copy_words, source_words)`` answers for many pairs at once, by a sorted
    search over the lexicon's edges (:meth:`Lexicon.linked`); the aligner uses it.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._ids = lru_cache(maxsize=1 << 16)(lexicon.phrase_ids)

    def __call__(self, copy_word: str, source_word: str) -> bool:
        return bool(self.many([copy_word], [source_word])[0])

    def many(self, copy_words: Sequence[str], source_words: Sequence[str]) -> np.ndarray:
        pair: list[int] = []
        spun: list[int] = []
        orig: list[int] = []
        ids = self._ids
        for k, (c, w) in enumerate(zip(copy_words, source_words, strict=True)):
            for i in ids(c):
                for j in ids(w):
                    pair.append(k)
                    spun.append(i)
                    orig.append(j)
        out = np.zeros(len(copy_words), dtype=bool)
        if pair:
            hit = self.lexicon.linked(np.asarray(orig), np.asarray(spun))
            out[np.asarray(pair)[hit]] = True
        return out


@lru_cache(maxsize=1)
def lexicon_substitutable() -> LexiconHook:
    """The shipped lexicon's hook (one per process)."""
    from unspin.lexicon import load_lexicon

    return LexiconHook(load_lexicon())
