from __future__ import annotations

import numpy as np
import pytest

from unspin.lm.index import KeyIndex, mix64


def test_mix64_is_a_bijection_on_a_sample() -> None:
    keys = np.arange(200_000, dtype=np.uint64) << np.uint64(21)
    assert len(np.unique(mix64(keys))) == len(keys)


@pytest.mark.parametrize("n", [0, 1, 7, 5000])
def test_find_agrees_with_a_set(n: int) -> None:
    rng = np.random.default_rng(n)
    raw = np.unique(rng.integers(0, 1 << 62, n, dtype=np.uint64))
    values = np.arange(len(raw))
    index, order = KeyIndex.build(raw)
    stored = values[order]
    misses = rng.integers(0, 1 << 62, 300, dtype=np.uint64)
    queries = np.concatenate([raw, misses])
    pos, hit = index.find(queries)
    expect = np.isin(queries, raw)
    assert (hit == expect).all()
    assert (stored[pos[: len(raw)]] == values).all()  # each key finds its own value
    assert len(index) == len(raw)
    assert index.clashes() == 0


def test_fingerprints_of_neighbouring_buckets_do_not_match() -> None:
    # Two keys per bucket on average: queries past a bucket's end must not read the next.
    rng = np.random.default_rng(7)
    raw = np.unique(rng.integers(0, 1 << 62, 64, dtype=np.uint64))
    index, _ = KeyIndex.build(raw)
    queries = rng.integers(0, 1 << 62, 100_000, dtype=np.uint64)
    _, hit = index.find(queries)
    assert not hit[~np.isin(queries, raw)].any()


def test_filter_keeps_every_key_and_rejects_most_misses() -> None:
    rng = np.random.default_rng(3)
    raw = np.unique(rng.integers(0, 1 << 62, 20_000, dtype=np.uint64))
    index, _ = KeyIndex.build(raw)
    assert index._maybe(mix64(raw)).all()  # no false negatives
    misses = rng.integers(0, 1 << 62, 50_000, dtype=np.uint64)
    misses = misses[~np.isin(misses, raw)]
    assert index._maybe(mix64(misses)).mean() < 0.1  # ~1 in 16 bits set


def test_find_keeps_the_query_shape() -> None:
    raw = np.arange(1, 1000, dtype=np.uint64) * np.uint64(7919)
    index, order = KeyIndex.build(raw)
    queries = np.stack([raw[:10], raw[:10] + np.uint64(1)])
    pos, hit = index.find(queries)
    assert pos.shape == hit.shape == (2, 10)
    assert hit[0].all() and not hit[1].any()
    assert (raw[order][pos[0]] == raw[:10]).all()
