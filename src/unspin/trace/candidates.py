"""Candidate generation: score archived documents by the fingerprint keys they share.

Pure functions over arrays, used by :meth:`unspin.trace.Index.trace` (postings read from
its segments) and by the Spark join (:mod:`unspin.scan.spark_trace`, postings from a
join), so both rank candidates identically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from unspin.trace.fingerprint import KEY_WEIGHTS, KeyKind

if TYPE_CHECKING:
    from unspin.trace.index import TraceParams

__all__ = ["candidates", "key_weights", "max_df"]

_KIND_W = np.zeros(max(KeyKind) + 1)
for _kind, _w in KEY_WEIGHTS.items():
    _KIND_W[_kind] = _w


def max_df(n_docs: int, p: TraceParams) -> int:
    """Keys held by more documents than this are too common to look up: a share of the
    archive, within ``[p.min_max_df, p.max_max_df]`` (the upper bound keeps the postings
    a query reads, and so its latency, from growing with the archive)."""
    return min(p.max_max_df, max(p.min_max_df, int(p.max_df_share * max(n_docs, 1))))


def key_weights(kinds: np.ndarray, df: np.ndarray, n_docs: int, p: TraceParams) -> np.ndarray:
    """IDF-style weight of each query key (its kind's weight x log(1 + N/df)); 0 for keys
    that are too common."""
    n_docs = max(n_docs, 1)
    weights = _KIND_W[kinds] * np.log1p(n_docs / np.maximum(df, 1))
    weights[df > max_df(n_docs, p)] = 0.0
    return weights


def candidates(
    kinds: np.ndarray,
    df: np.ndarray,
    post_key: np.ndarray,
    post_doc: np.ndarray,
    n_docs: int,
    p: TraceParams,
    skip: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The best ``p.candidates`` documents and their key scores (0..1), best first.

    ``kinds[i]``/``df[i]`` are the kind and document frequency of the copy's key ``i``;
    posting ``j`` says document ``post_doc[j]`` holds key ``post_key[j]`` (an index into
    ``kinds``). Postings of too-common keys may be present or not: they weigh nothing.
    A document's score is the weight of the keys it shares over the weight of all the
    copy's keys found in the archive; it must share ``p.min_shared_keys`` distinct keys.
    Documents in ``skip`` are left out.
    """
    weights = key_weights(kinds, df, n_docs, p)
    if len(post_key):
        use = weights[post_key] > 0
        post_key, post_doc = post_key[use], post_doc[use]
    if not len(post_key):
        return np.zeros(0, np.int64), np.zeros(0)
    # one sort of (doc, key) packed in 64 bits: cheaper than unique(return_inverse)
    packed = np.sort((post_doc.astype(np.uint64) << np.uint64(32)) | post_key.astype(np.uint64))
    docs = (packed >> np.uint64(32)).astype(np.int64)
    starts = np.flatnonzero(np.concatenate([[True], docs[1:] != docs[:-1]]))
    uniq = docs[starts]
    counts = np.diff(np.append(starts, len(docs)))
    scores = np.add.reduceat(weights[(packed & np.uint64(0xFFFFFFFF)).astype(np.int64)], starts)
    ok = counts >= p.min_shared_keys
    if skip is not None and len(skip):
        ok &= ~np.isin(uniq, skip)
    uniq, scores = uniq[ok], scores[ok]
    top = np.argsort(-scores, kind="stable")[: min(p.candidates, len(uniq))]
    query_weight = float(weights[df > 0].sum())
    return uniq[top], scores[top] / max(query_weight, 1e-9)
