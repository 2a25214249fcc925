from __future__ import annotations

import numpy as np

from unspin.trace import TraceParams
from unspin.trace.candidates import candidates, max_df


def test_candidates_rank_by_shared_key_weight() -> None:
    p = TraceParams(min_shared_keys=2, candidates=2)
    kinds = np.array([1, 1, 2, 3])
    df = np.array([1, 2, 2, 0])  # the last key is in no document
    post_key = np.array([0, 1, 1, 2, 2])
    post_doc = np.array([7, 7, 9, 9, 4])
    docs, scores = candidates(kinds, df, post_key, post_doc, 100, p)
    assert docs.tolist() == [7, 9]  # doc 4 shares only one key
    assert scores[0] > scores[1] > 0 and scores[0] <= 1.0
    skipped, _ = candidates(kinds, df, post_key, post_doc, 100, p, skip=np.array([7]))
    assert skipped.tolist() == [9]


def test_too_common_keys_weigh_nothing() -> None:
    p = TraceParams(min_shared_keys=1)
    assert max_df(1_000_000, p) == p.max_max_df and max_df(10, p) == p.min_max_df
    kinds, df = np.array([1, 1]), np.array([5000, 1])
    docs, _ = candidates(kinds, df, np.array([0, 1]), np.array([3, 5]), 1_000_000, p)
    assert docs.tolist() == [5]
