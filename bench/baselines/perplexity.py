"""Language-model perplexity alone: spun text reads as less likely English."""

from __future__ import annotations

import math

import numpy as np

from unspin.lm import lm_sentences, load_lm


class PerplexityScorer:
    """``score(text)`` = log per-token perplexity under the shipped trigram model."""

    name = "lm-perplexity"

    def __init__(self) -> None:
        self.lm = load_lm()

    def score(self, text: str) -> float:
        sents = list(lm_sentences(text))
        lps = self.lm.token_logprobs_many(sents, eos=True)
        if not lps:
            return math.nan
        lp = np.concatenate(lps).astype(np.float64)
        return float(-lp.mean())
