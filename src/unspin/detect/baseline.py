"""Provisional scorer: the share of rare lower-case words.

Spinners replace common words with obscure "synonyms" ("bewitch", "incandescent"), so a
spun text carries more rare lower-case words than wire copy does. This is a weak signal —
the foundation's first honest scoring, kept as a baseline; the detect issue replaces it
with language-model and lexicon evidence. Rare = Zipf frequency below 3.5 in wordfreq's
English list (about 3 per million words or fewer).
"""

from __future__ import annotations

import math

import numpy as np

from unspin.detect.options import zipf as _zipf
from unspin.results import Span
from unspin.text import Tokens

__all__ = ["RareWordScorer"]


class RareWordScorer:
    """``score(tokens) -> (probability, spans)``; a logistic curve on the rare-word share."""

    name = "rare-words-v0"

    def __init__(self, rare_zipf: float = 3.5, center: float = 0.08, scale: float = 0.02) -> None:
        self.rare_zipf = rare_zipf
        self.center = center
        self.scale = scale

    def score(self, tokens: Tokens) -> tuple[float, list[Span]]:
        idx = [
            i
            for i in np.flatnonzero(tokens.is_word)
            if tokens.forms[i].isalpha() and tokens.forms[i].islower()
        ]
        if not idx:
            return 0.0, []
        rare = [i for i in idx if _zipf(tokens.forms[i]) < self.rare_zipf]
        share = len(rare) / len(idx)
        prob = 1.0 / (1.0 + math.exp(-(share - self.center) / self.scale))
        spans = [
            Span(
                int(tokens.starts[i]),
                int(tokens.ends[i]),
                tokens.source[int(tokens.starts[i]) : int(tokens.ends[i])],
                None,
                round(self.rare_zipf - _zipf(tokens.forms[i]), 3),
                "rare word",
            )
            for i in rare
        ]
        return prob, spans
