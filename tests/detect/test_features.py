"""Token features: the neighbour columns read the previous and next word's evidence."""

from __future__ import annotations

import numpy as np

from unspin.detect.evidence import gather
from unspin.detect.features import TOKEN_FEATURES, token_features


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
