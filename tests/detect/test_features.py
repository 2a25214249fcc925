"""Token features: the neighbour columns read the previous and next word's evidence;
documents are judged on their narration."""

from __future__ import annotations

import numpy as np

from unspin.detect.evidence import gather
from unspin.detect.features import TOKEN_FEATURES, doc_features, narration, token_features
from unspin.detect.gate import MIN_WORDS


def test_neighbour_columns_shift_the_word_rows(spun_text: str) -> None:
    ev = gather(spun_text[:2000])
    x = token_features(ev, unk=-1)
    col = TOKEN_FEATURES.index
    assert x.shape == (int(ev.tokens.is_word.sum()), len(TOKEN_FEATURES))
    for own, prev, nxt, floor in (
        ("gain", "prev_gain", "next_gain", -20.0),
        ("cover_gain", "prev_cover_gain", "next_cover_gain", -20.0),
        ("logp", "prev_logp", "next_word_logp", 0.0),
    ):
        np.testing.assert_array_equal(x[1:, col(prev)], x[:-1, col(own)])
        np.testing.assert_array_equal(x[:-1, col(nxt)], x[1:, col(own)])
        assert x[0, col(prev)] == floor and x[-1, col(nxt)] == floor
    assert (x[:, col("gain")] > -20).any()  # the seed has sites: the test compares values


def test_documents_are_judged_on_their_narration(spun_text: str) -> None:
    """Quoted words are a token feature, and left out of the document features when the
    narration has enough words (spinners often leave quotes intact)."""
    ev = gather(spun_text[:3000])
    x = token_features(ev, unk=-1)
    q = x[:, TOKEN_FEATURES.index("quoted")].astype(bool)
    assert q.any() and (~q).sum() >= MIN_WORDS  # the seed quotes its sources
    p = np.linspace(0.0, 1.0, len(x))
    np.testing.assert_array_equal(narration(x), np.flatnonzero(~q))
    np.testing.assert_array_equal(doc_features(x, p), doc_features(x[~q], p[~q]))
    # whatever the quoted words are, the document's features do not change
    p2 = p.copy()
    p2[q] = 1.0
    np.testing.assert_array_equal(doc_features(x, p2), doc_features(x, p))
    # a text that is mostly quotes is judged on all its words
    few = np.concatenate([np.flatnonzero(q), np.flatnonzero(~q)[: MIN_WORDS - 1]])
    np.testing.assert_array_equal(narration(x[few]), np.arange(len(few)))


def test_a_text_mostly_in_quotes_is_judged_on_every_word(spun_text: str) -> None:
    """Quotation marks around most of a text hide nothing from the document features."""
    ev = gather(spun_text[:3000])
    x = token_features(ev, unk=-1)
    col = TOKEN_FEATURES.index("quoted")
    y = x.copy()
    y[: (len(y) * 2) // 3, col] = 1.0  # two thirds of the words quoted
    np.testing.assert_array_equal(narration(y), np.arange(len(y)))
    y[:, col] = 0.0
    y[: len(y) // 3, col] = 1.0  # a third: judged on the rest
    np.testing.assert_array_equal(narration(y), np.arange(len(y) // 3, len(y)))
