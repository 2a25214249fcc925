"""Tortured-phrase look-up: the Problematic Paper Screener approach (Cabanac et al. 2021).

The phrases are those of the shipped lexicon with a ``pps`` edge (tortured phrase ->
expected phrase). Matching runs one Aho-Corasick automaton over the lower-cased project
tokens joined by single spaces, so a hit always covers whole tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick
import numpy as np

from unspin.text import Tokens, tokenize


def pps_phrases() -> list[str]:
    """Lookup keys (lower-cased tokens joined by a space) of the lexicon's PPS phrases."""
    from unspin.lexicon import load_lexicon
    from unspin.lexicon.tables import REL_PPS

    t = load_lexicon().tables
    src = np.repeat(np.arange(len(t.keys)), np.diff(t.indptr))
    ids = np.unique(src[(t.rels & REL_PPS) > 0])
    return [t.keys[i] for i in ids]


@dataclass(frozen=True)
class Hit:
    """One matched phrase: token range ``[first, last)``."""

    first: int
    last: int
    phrase: str


class TorturedPhraseScorer:
    """``score(text)`` = tortured-phrase hits per 100 words."""

    name = "pps-lookup"

    def __init__(self, phrases: list[str] | None = None) -> None:
        self.phrases = phrases if phrases is not None else pps_phrases()
        self._ac = ahocorasick.Automaton()
        for p in self.phrases:
            self._ac.add_word(f" {p} ", p)
        self._ac.make_automaton()

    def hits(self, tokens: Tokens) -> list[Hit]:
        """Every phrase occurrence (overlaps kept), as token ranges."""
        lower = list(tokens.lower)
        if not lower:
            return []
        joined = " " + " ".join(lower) + " "
        # char offset of each token's first character in ``joined``
        starts = np.cumsum([1] + [len(w) + 1 for w in lower[:-1]])
        out = []
        for end, phrase in self._ac.iter(joined):
            begin = end - len(phrase) - 1  # index of the phrase's first char
            first = int(np.searchsorted(starts, begin))
            out.append(Hit(first, first + phrase.count(" ") + 1, phrase))
        return out

    def score_tokens(self, tokens: Tokens) -> float:
        n_words = int(np.count_nonzero(tokens.is_word))
        return 100.0 * len(self.hits(tokens)) / max(1, n_words)

    def score(self, text: str) -> float:
        return self.score_tokens(tokenize(text))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the hits in ``text``."""
        toks = tokenize(text)
        return [(int(toks.starts[h.first]), int(toks.ends[h.last - 1])) for h in self.hits(toks)]
