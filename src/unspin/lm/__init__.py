"""Compact n-gram language model of English news (interpolated modified Kneser-Ney trigrams).

::

    from unspin.lm import load_lm
    lm = load_lm()                          # shipped model: memory-mapped, cached
    ids = lm.encode(["relaunch", "trade", "talks"])   # numbers -> lm.num, unknown -> lm.unk
    lm.logprob(w1, w2, w3)                  # natural log P(w3 | w1 w2), vectorised, broadcasts
    lm.token_logprobs(words)                # one sentence, BOS-padded (eos=True adds </s>)
    lm.token_logprobs_many(sentences)       # a whole document in one call
    lm.substitution_logprobs(words, positions, candidate_ids)   # (n, k) fit of candidates
    lm.replacement_logprobs(words, start, end, [["may"], ["could", "perhaps"]])
    lm.unigram_logprob(ids); lm.bigram_logprob(w1, w2); lm.perplexity(sentences)

Tokens are lower-cased project tokens (:func:`lm_sentences` turns a text into them).
The model is built by ``scripts/build_lm.py`` from the corpora split "lm".
"""

from unspin.lm.model import DEFAULT_PATH, LanguageModel, load_lm
from unspin.lm.vocab import lm_form, lm_sentences

__all__ = ["DEFAULT_PATH", "LanguageModel", "lm_form", "lm_sentences", "load_lm"]
