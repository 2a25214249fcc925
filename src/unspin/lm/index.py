"""A static, vectorised key index: hashed buckets of 32-bit fingerprints.

``np.searchsorted`` over a million ``uint64`` keys costs ~20 dependent cache misses per
query. Here every n-gram key is first passed through a *bijective* mixer (the splitmix64
finaliser), the mixed keys are sorted, and

* the top ``bits`` bits of a mixed key pick its bucket (``offsets[b] .. offsets[b + 1]``,
  about four keys each);
* only the next 32 bits are stored (``uint32`` fingerprints, sorted within the bucket).

A query is narrowed to its bucket and finished with a short branch-free binary search
that runs for all queries at once. Storing ``bits + 32`` of the 64 hash bits means a key
*not* in the table is mistaken for one that is with probability about
``bucket size / 2**32`` (~1e-9 per look-up); keys in the table are always found exactly
(the build counts fingerprint clashes between stored keys: none in the shipped model).
"""

from __future__ import annotations

import numpy as np

__all__ = ["KeyIndex", "mix64"]

_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_LOW32 = np.uint64(0xFFFFFFFF)


def mix64(keys: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a bijection on ``uint64`` that spreads keys uniformly."""
    z = np.asarray(keys, dtype=np.uint64)
    z = (z ^ (z >> _S30)) * _C1
    z = (z ^ (z >> _S27)) * _C2
    return z ^ (z >> _S31)


def _bucket_bits(n: int) -> int:
    """About four keys per bucket (1 to 32 bits)."""
    return min(32, max(1, int(np.ceil(np.log2(max(n, 1) / 4)))))


def _split(mixed: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Bucket (top ``bits`` bits) and fingerprint (the next 32 bits) of mixed keys."""
    bucket = (mixed >> np.uint64(64 - bits)).astype(np.intp)
    fingerprint = ((mixed >> np.uint64(32 - bits)) & _LOW32).astype(np.uint32)
    return bucket, fingerprint


class KeyIndex:
    """Bucket starts and sorted fingerprints of a static key set."""

    __slots__ = ("bits", "keys", "offsets", "steps")

    def __init__(self, keys: np.ndarray, offsets: np.ndarray) -> None:
        self.keys = keys  # (n,) uint32 fingerprints, sorted within each bucket
        self.offsets = offsets  # (2**bits + 1,) uint32 bucket starts
        self.bits = (len(offsets) - 1).bit_length() - 1
        widest = int(np.diff(offsets).max()) if len(offsets) > 1 else 0
        self.steps = widest.bit_length()  # binary-search steps that resolve any bucket

    @staticmethod
    def build(raw_keys: np.ndarray) -> tuple[KeyIndex, np.ndarray]:
        """The index of distinct ``raw_keys`` and the permutation to apply to their values."""
        mixed = mix64(raw_keys)
        order = np.argsort(mixed, kind="stable")
        bits = _bucket_bits(len(mixed))
        bucket, fingerprint = _split(mixed[order], bits)
        offsets = np.searchsorted(bucket, np.arange((1 << bits) + 1)).astype(np.uint32)
        return KeyIndex(fingerprint, offsets), order

    def clashes(self) -> int:
        """Stored keys sharing bucket and fingerprint with the key before them."""
        if len(self.keys) < 2:
            return 0
        bucket = np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))
        same = (bucket[1:] == bucket[:-1]) & (self.keys[1:] == self.keys[:-1])
        return int(np.count_nonzero(same))

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, raw_queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Position of each query among the keys (valid where found) and whether found."""
        keys = self.keys
        if len(keys) == 0:
            shape = np.shape(raw_queries)
            return np.zeros(shape, dtype=np.intp), np.zeros(shape, dtype=bool)
        b, q = _split(mix64(raw_queries), self.bits)
        base = self.offsets.take(b).astype(np.intp)
        end = self.offsets.take(b + 1).astype(np.intp)
        n = end - base
        for _ in range(self.steps):  # branch-free lower bound within each bucket
            half = n >> 1
            base += (keys.take(base + half, mode="clip") < q) * half
            n -= half
        base += (keys.take(base, mode="clip") < q) & (n > 0)
        inside = base < end
        np.minimum(base, len(keys) - 1, out=base)
        return base, (keys.take(base) == q) & inside
