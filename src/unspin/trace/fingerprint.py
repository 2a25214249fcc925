"""Spin-robust fingerprints: the keys of the inverted index.

Three kinds of key, each a 32-bit hash tagged with its kind:

* ``IMMUTABLE``: 3-grams over the subsequence of immutables (function words, names,
  numbers) -- a stop-word anchored "spot signature" (SpotSigs, SIGIR 2008) that survives
  any amount of content-word substitution, since spinners leave those tokens alone;
  sampled 1 in 2 by hash;
* ``SHINGLE``: ordinary word 5-shingles, sampled 1 in 4 by hash (content-defined, so a
  verbatim copy samples the same ones) -- cheap evidence for verbatim and partial copies;
* ``ANCHOR``: single names, numbers and rare words -- what a translated or paraphrased
  copy still shares with its source, and what a related story shares too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from unspin.trace.terms import Terms, terms_of

__all__ = ["KEY_WEIGHTS", "KeyKind", "Keys", "document_keys", "fingerprint"]

_MUL = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
IMMUTABLE_SAMPLE = 2
SHINGLE_SAMPLE = 4


class KeyKind(IntEnum):
    IMMUTABLE = 1
    SHINGLE = 2
    ANCHOR = 3


KEY_WEIGHTS: dict[KeyKind, float] = {
    KeyKind.IMMUTABLE: 1.0,
    KeyKind.SHINGLE: 1.0,
    KeyKind.ANCHOR: 0.5,
}


@dataclass(frozen=True, slots=True)
class Keys:
    """Distinct keys of one document (sorted uint32) and the kind of each (uint8)."""

    keys: np.ndarray
    kinds: np.ndarray

    def __len__(self) -> int:
        return len(self.keys)


def _ngrams(ids: np.ndarray, n: int, kind: KeyKind) -> np.ndarray:
    """Hash every ``n``-gram of ``ids`` (uint32) to a uint64."""
    if len(ids) < n:
        return np.zeros(0, dtype=np.uint64)
    x = ids.astype(np.uint64)
    h = np.full(len(ids) - n + 1, np.uint64(int(kind) * 0x1000193), dtype=np.uint64)
    for k in range(n):
        h = (h ^ x[k : len(x) - n + 1 + k]) * _MUL
        h ^= h >> np.uint64(31)
    return h


def _fold(h: np.ndarray) -> np.ndarray:
    h = h * _MIX
    return ((h >> np.uint64(32)) ^ (h & np.uint64(0xFFFFFFFF))).astype(np.uint32)


def fingerprint(terms: Terms) -> Keys:
    """The distinct index keys of a text (see the module docstring)."""
    imm = _fold(_ngrams(terms.ids[terms.immutable], 3, KeyKind.IMMUTABLE))
    imm = imm[imm % IMMUTABLE_SAMPLE == 0]
    sh = _fold(_ngrams(terms.ids, 5, KeyKind.SHINGLE))
    sh = sh[sh % SHINGLE_SAMPLE == 0]
    anchor_ids = terms.ids[(terms.immutable & ~terms.stop) | terms.rare]
    an = _fold(_ngrams(anchor_ids, 1, KeyKind.ANCHOR))
    keys = np.concatenate([imm, sh, an])
    kinds = np.concatenate(
        [
            np.full(len(imm), KeyKind.IMMUTABLE, dtype=np.uint8),
            np.full(len(sh), KeyKind.SHINGLE, dtype=np.uint8),
            np.full(len(an), KeyKind.ANCHOR, dtype=np.uint8),
        ]
    )
    keys, first = np.unique(keys, return_index=True)
    return Keys(keys, kinds[first])


def document_keys(text: str) -> np.ndarray:
    """The index keys of a text (sorted distinct uint32): what :class:`~unspin.trace.Index`
    stores for a document."""
    return fingerprint(terms_of(text)).keys
