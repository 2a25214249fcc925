"""Interpolated modified Kneser-Ney trigram estimation, all in NumPy.

The estimate is stored in back-off form (as in ARPA files): every seen n-gram keeps its
*interpolated* log-probability and every seen context its log back-off weight, so that

    P(w | u v) = p3(u v w)                       if u v w was seen
               = bow2(u v) * p2(v w)             elif v w was seen
               = bow2(u v) * bow1(v) * p1(w)     otherwise

with bow = 1 for a context never seen. For an interpolated model the back-off weight is
exactly the interpolation weight gamma(h), so this form is the interpolated model itself
and sums to one over the vocabulary for every context. The unigram level interpolates
the Kneser-Ney continuation distribution with a *base* distribution over the whole fixed
vocabulary (a word-frequency prior), so words never seen in training keep a plausible
probability and ``<unk>`` receives only the mass of words outside the vocabulary.

N-grams are packed into ``uint64`` keys, :data:`BITS` bits per word id (first word in the
high bits), so a sorted key array doubles as the index (``np.searchsorted``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BITS", "MAX_VOCAB", "KneserNey", "estimate_kn", "pack2", "pack3"]

BITS = 21
MAX_VOCAB = 1 << BITS
_MASK1 = np.uint64(MAX_VOCAB - 1)
_MASK2 = np.uint64((1 << (2 * BITS)) - 1)
_SHIFT1 = np.uint64(BITS)
_SHIFT2 = np.uint64(2 * BITS)
LOG_ZERO = -99.0  # log-probability stored for impossible events (predicting <s>)


def pack2(w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """Bigram keys (``uint64``) of two id arrays."""
    return (w1.astype(np.uint64) << _SHIFT1) | w2.astype(np.uint64)


def pack3(w1: np.ndarray, w2: np.ndarray, w3: np.ndarray) -> np.ndarray:
    """Trigram keys (``uint64``) of three id arrays."""
    return (
        (w1.astype(np.uint64) << _SHIFT2) | (w2.astype(np.uint64) << _SHIFT1) | w3.astype(np.uint64)
    )


@dataclass(frozen=True, slots=True)
class KneserNey:
    """A trigram model in back-off form (natural logs); see the module docstring."""

    uni_logp: np.ndarray  # (V,) float64
    uni_bow: np.ndarray  # (V,) float64, 0 for words never seen as a context
    bi_keys: np.ndarray  # (B,) uint64, sorted
    bi_logp: np.ndarray  # (B,) float64
    bi_bow: np.ndarray  # (B,) float64, 0 for bigrams never seen as a context
    tri_keys: np.ndarray  # (T,) uint64, sorted
    tri_logp: np.ndarray  # (T,) float64
    discounts: tuple[tuple[float, float, float], ...]  # (D1, D2, D3+) per order 1..3


def _discounts(counts: np.ndarray) -> tuple[float, float, float]:
    """Modified Kneser-Ney discounts (Chen & Goodman) from adjusted counts."""
    n = [int(np.count_nonzero(counts == k)) for k in (1, 2, 3, 4)]
    if min(n) == 0:  # tiny corpora: fall back to the usual magnitudes
        return (0.5, 1.0, 1.5)
    y = n[0] / (n[0] + 2 * n[1])
    raw = (1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2])
    return tuple(float(np.clip(d, 0.05, k - 0.05)) for k, d in zip((1, 2, 3), raw, strict=True))


def _discount_of(counts: np.ndarray, d: tuple[float, float, float]) -> np.ndarray:
    table = np.array([0.0, *d], dtype=np.float64)
    return table[np.minimum(counts, 3)]


def _by_context(
    keys: np.ndarray, counts: np.ndarray, d: tuple[float, float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Discounted mass ``alpha`` per n-gram, plus context keys, their gamma and group ids."""
    ctx = keys >> _SHIFT1
    n = len(keys)
    starts = np.flatnonzero(np.r_[True, ctx[1:] != ctx[:-1]]) if n else np.zeros(0, np.int64)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    disc = _discount_of(counts, d)
    total = np.add.reduceat(counts.astype(np.float64), starts) if n else np.zeros(0)
    gamma = np.add.reduceat(disc, starts) / total if n else np.zeros(0)
    alpha = (counts - disc) / total[group]
    return alpha, ctx[starts], gamma, group


def estimate_kn(
    tokens: np.ndarray,
    positions: np.ndarray,
    base: np.ndarray,
    *,
    bos: int,
    base_weight: float = 0.0,
    extra_bigrams: tuple[np.ndarray, np.ndarray] | None = None,
    extra_weight: float = 0.0,
) -> KneserNey:
    """Estimate the model from BOS/EOS-delimited sentences.

    ``tokens`` is the concatenation of every sentence as ``[bos, w1 .. wn, eos]`` (ids),
    ``positions`` each token's index within its sentence (0 for ``bos``). ``base`` is the
    base distribution over the vocabulary (sums to one, 0 for ``bos``); ``base_weight``
    mixes it once more into the final unigram distribution.

    ``extra_bigrams`` = (sorted distinct bigram keys, P(w | v)) is an outside bigram
    distribution (each listed context's probabilities sum to one). For a listed context v
    the bigram level backs off to ``extra_weight * P_extra(w | v) + (1 - extra_weight) *
    p1(w)`` instead of ``p1(w)``; its bigrams are stored too.
    """
    tokens = np.asarray(tokens, dtype=np.int64)
    positions = np.asarray(positions)
    vocab = len(base)
    if vocab > MAX_VOCAB:
        raise ValueError(f"vocabulary too large for {BITS}-bit ids: {vocab}")
    i3 = np.flatnonzero(positions >= 2)
    i2 = np.flatnonzero(positions >= 1)
    tri_keys, tri_counts = np.unique(
        pack3(tokens[i3 - 2], tokens[i3 - 1], tokens[i3]), return_counts=True
    )
    bi_keys, bi_raw = np.unique(pack2(tokens[i2 - 1], tokens[i2]), return_counts=True)

    # Adjusted counts: distinct left extensions, except for n-grams starting with <s>.
    suffix, suffix_n = np.unique(tri_keys & _MASK2, return_counts=True)
    bi_counts = bi_raw.copy()
    from_bos = (bi_keys >> _SHIFT1) == bos
    bi_counts[~from_bos] = 0
    bi_counts[np.searchsorted(bi_keys, suffix)] = suffix_n
    uni_counts = np.bincount((bi_keys & _MASK1).astype(np.int64), minlength=vocab)

    d1, d2, d3 = _discounts(uni_counts), _discounts(bi_counts), _discounts(tri_counts)

    # Unigrams: KN continuation distribution interpolated with the base distribution.
    total1 = float(uni_counts.sum())
    disc1 = _discount_of(uni_counts, d1)
    gamma0 = disc1.sum() / total1
    p1 = (uni_counts - disc1) / total1 + gamma0 * base
    p1 = (1.0 - base_weight) * p1 + base_weight * base
    p1[bos] = 0.0

    alpha2, ctx2, gamma2, _ = _by_context(bi_keys, bi_counts, d2)
    gamma_v = np.ones(vocab)
    gamma_v[ctx2.astype(np.int64)] = gamma2
    mu_v = np.zeros(vocab)
    if extra_bigrams is not None and extra_weight > 0:
        ex_keys, ex_p = extra_bigrams
        mu_v[np.unique(ex_keys >> _SHIFT1).astype(np.int64)] = extra_weight
        keys2 = np.union1d(bi_keys, ex_keys)
        pe = np.zeros(len(keys2))
        pe[np.searchsorted(keys2, ex_keys)] = ex_p
    else:
        keys2, pe = bi_keys, np.zeros(len(bi_keys))
    alpha = np.zeros(len(keys2))
    alpha[np.searchsorted(keys2, bi_keys)] = alpha2
    v2 = (keys2 >> _SHIFT1).astype(np.int64)
    w2 = (keys2 & _MASK1).astype(np.int64)
    p2 = alpha + gamma_v[v2] * ((1.0 - mu_v[v2]) * p1[w2] + mu_v[v2] * pe)
    with np.errstate(divide="ignore"):
        uni_bow = np.log(gamma_v) + np.log1p(-mu_v)
    bi_keys = keys2

    alpha3, ctx3, gamma3, group3 = _by_context(tri_keys, tri_counts, d3)
    p3 = alpha3 + gamma3[group3] * p2[np.searchsorted(bi_keys, tri_keys & _MASK2)]
    bi_bow = np.zeros(len(bi_keys))
    bi_bow[np.searchsorted(bi_keys, ctx3)] = np.log(gamma3)

    with np.errstate(divide="ignore"):
        uni_logp = np.maximum(np.log(p1), LOG_ZERO)
    return KneserNey(
        uni_logp=uni_logp,
        uni_bow=uni_bow,
        bi_keys=bi_keys,
        bi_logp=np.log(p2),
        bi_bow=bi_bow,
        tri_keys=tri_keys,
        tri_logp=np.log(p3),
        discounts=(d1, d2, d3),
    )
