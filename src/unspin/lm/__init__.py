"""Compact n-gram language model of English news (interpolated modified Kneser-Ney trigrams).

::

    from unspin.lm import load_lm
    lm = load_lm()                       # shipped model, memory-mapped and cached
    ids = lm.encode(["relaunch", "trade", "talks"])
    lm.logprob(w1, w2, w3)               # vectorised natural log P(w3 | w1 w2)
    lm.token_logprobs(["the", "trade", "talks"])
"""

from unspin.lm.model import DEFAULT_PATH, LanguageModel, load_lm
from unspin.lm.vocab import lm_form, lm_sentences

__all__ = ["DEFAULT_PATH", "LanguageModel", "lm_form", "lm_sentences", "load_lm"]
