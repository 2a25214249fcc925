"""A static, vectorised key index: hashed buckets of 32-bit fingerprints.

``np.searchsorted`` over a million ``uint64`` keys costs ~20 dependent cache misses per
query. Here every n-gram key is first passed through a *bijective* mixer (the splitmix64
finaliser), the mixed keys are sorted, and

* the top ``bits`` bits of a mixed key pick its bucket (``offsets[b] .. offsets[b + 1]``,
  about four keys each);
* only the next 32 bits are stored (``uint32`` fingerprints, sorted within the bucket).

A query is narrowed to its bucket and finished with a short branch-free binary search
that runs for all queries at once. Most look-ups of a language model ask for n-grams it
never saw; a bit set over the top bits of the mixed keys (~1 in 20 bits set, built on
first use from the stored buckets and fingerprints) answers most of those with one
access, and only the rest are searched. Storing ``bits + 32`` of the 64 hash bits means a key
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

    __slots__ = ("_filter", "_filter_bits", "bits", "keys", "offsets", "steps")

    def __init__(self, keys: np.ndarray, offsets: np.ndarray) -> None:
        self.keys = keys  # (n,) uint32 fingerprints, sorted within each bucket
        self.offsets = offsets  # (2**bits + 1,) uint32 bucket starts
        self.bits = (len(offsets) - 1).bit_length() - 1
        widest = int(np.diff(offsets).max()) if len(offsets) > 1 else 0
        self.steps = widest.bit_length()  # binary-search steps that resolve any bucket
        self._filter: np.ndarray | None = None  # see _maybe
        # ~16 bits per key, and no more bits than a stored key has (bucket + fingerprint)
        self._filter_bits = min(self.bits + 32, max(3, int(np.ceil(np.log2(16 * len(keys) + 1)))))

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
        shape = np.shape(raw_queries)
        pos = np.zeros(shape, dtype=np.intp)
        found = np.zeros(shape, dtype=bool)
        if len(self.keys) == 0:
            return pos, found
        mixed = mix64(raw_queries)
        maybe = np.flatnonzero(self._maybe(mixed.ravel()))
        if maybe.size:
            p, f = self._search(mixed.ravel()[maybe])
            pos.ravel()[maybe] = p  # fresh arrays: ravel() is a view
            found.ravel()[maybe] = f
        return pos, found

    def _maybe(self, mixed: np.ndarray) -> np.ndarray:
        """False for mixed keys certainly not stored (the filter has no false negatives)."""
        if self._filter is None:
            bucket = np.repeat(
                np.arange(len(self.offsets) - 1, dtype=np.uint64),
                np.diff(self.offsets.astype(np.int64)),
            )
            top = (bucket << np.uint64(32)) | self.keys.astype(np.uint64)  # bits + 32 bits
            shift = np.uint64(self.bits + 32 - self._filter_bits)
            bits = np.zeros(1 << self._filter_bits, dtype=bool)
            bits[(top >> shift).astype(np.intp)] = True
            self._filter = np.packbits(bits, bitorder="little")
        at = (mixed >> np.uint64(64 - self._filter_bits)).astype(np.intp)
        return ((self._filter.take(at >> 3) >> (at & 7).astype(np.uint8)) & 1).astype(bool)

    def _search(self, mixed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`find` for mixed keys, by bucket and binary search."""
        keys = self.keys
        b, q = _split(mixed, self.bits)
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
