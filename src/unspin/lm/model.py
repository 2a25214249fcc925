"""The run-time language model: memory-mapped arrays and vectorised look-ups.

A model directory holds ``vocab.txt`` (one token per line, line ``i`` = id ``i``),
``meta.json`` and ``.npy`` arrays: unigram log-probabilities and back-off weights indexed by
id, and for bigrams and trigrams a :class:`~unspin.lm.index.KeyIndex` (bucket starts and
32-bit fingerprints of hashed keys) with the values in the same order (log-probabilities
and back-off weights as float16 in the shipped model). Arrays are loaded with
``mmap_mode="r"``, so loading costs little more than reading the vocabulary.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from unspin.lm.estimate import KneserNey, pack2, pack3
from unspin.lm.index import KeyIndex
from unspin.lm.vocab import SPECIALS, UNK, is_number

__all__ = ["DEFAULT_PATH", "LanguageModel", "load_lm"]

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "resources" / "lm"
FORMAT = 2  # bump when the array layout changes; load() refuses other formats
_ARRAYS = (
    "uni_logp",
    "uni_bow",
    "bi_keys",
    "bi_offsets",
    "bi_logp",
    "bi_bow",
    "tri_keys",
    "tri_offsets",
    "tri_logp",
)


class LanguageModel:
    """A trigram model of lower-cased news tokens (natural-log probabilities).

    ``encode`` maps tokens to ids (numbers -> the number class, unknown words -> ``unk``);
    :meth:`logprob` scores any number of trigrams at once.
    """

    def __init__(self, vocab: Sequence[str], arrays: dict[str, np.ndarray], meta: dict[str, Any]):
        if tuple(vocab[: len(SPECIALS)]) != SPECIALS:
            raise ValueError(f"vocabulary must start with {SPECIALS}")
        self.vocab: list[str] = list(vocab)
        self.meta = meta
        self.arrays = arrays
        self.uni_logp = arrays["uni_logp"]
        self.uni_bow = arrays["uni_bow"]
        self.bi = KeyIndex(arrays["bi_keys"], arrays["bi_offsets"])
        self.bi_logp = arrays["bi_logp"]
        self.bi_bow = arrays["bi_bow"]
        self.tri = KeyIndex(arrays["tri_keys"], arrays["tri_offsets"])
        self.tri_logp = arrays["tri_logp"]
        self.unk, self.bos, self.eos, self.num = (self.vocab.index(s) for s in SPECIALS)
        self.path: Path | None = None  # the directory it was loaded from, if any

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_estimate(
        cls, vocab: Sequence[str], kn: KneserNey, meta: dict[str, Any] | None = None
    ) -> LanguageModel:
        """An in-memory model from :func:`~unspin.lm.estimate.estimate_kn` output."""
        bi, bi_order = KeyIndex.build(kn.bi_keys)
        tri, tri_order = KeyIndex.build(kn.tri_keys)
        arrays = {
            "uni_logp": kn.uni_logp,
            "uni_bow": kn.uni_bow,
            "bi_keys": bi.keys,
            "bi_offsets": bi.offsets,
            "bi_logp": kn.bi_logp[bi_order],
            "bi_bow": kn.bi_bow[bi_order],
            "tri_keys": tri.keys,
            "tri_offsets": tri.offsets,
            "tri_logp": kn.tri_logp[tri_order],
        }
        meta = {**(meta or {}), "fingerprint_clashes": bi.clashes() + tri.clashes()}
        return cls(vocab, arrays, meta)

    @classmethod
    def load(cls, path: str | Path) -> LanguageModel:
        """Memory-map a model directory written by :meth:`save`."""
        path = Path(path)
        vocab = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(
                f"{path}: LM format {meta.get('format')}, need {FORMAT}: rerun scripts/build_lm.py"
            )
        # Plain ndarray views of the maps: indexing a np.memmap subclass is much slower.
        arrays = {
            name: np.asarray(np.load(path / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS
        }
        lm = cls(vocab, arrays, meta)
        lm.path = path
        return lm

    def __reduce__(self) -> tuple[Any, ...]:
        """A loaded model pickles as its path (cheap for worker processes)."""
        if self.path is not None:
            return (load_lm, (self.path,))
        return (
            LanguageModel,
            (self.vocab, {k: np.asarray(v) for k, v in self.arrays.items()}, self.meta),
        )

    def save(self, path: str | Path, *, float_dtype: str = "float16") -> None:
        """Write the model directory (log-probabilities and weights as ``float_dtype``)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "vocab.txt").write_text("\n".join(self.vocab), encoding="utf-8")
        for name in _ARRAYS:
            arr = np.asarray(self.arrays[name])
            if arr.dtype.kind == "f":
                arr = arr.astype(float_dtype)
            np.save(path / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        meta = {**self.meta, "float_dtype": float_dtype, "format": FORMAT}
        (path / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")

    # ------------------------------------------------------------------ vocabulary
    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.vocab)}

    def word_id(self, word: str) -> int:
        """Id of one token (lower-cased if needed); numbers -> ``num``, unknown -> ``unk``."""
        i = self._index.get(word)
        if i is None:
            i = self._index.get(word.lower())
        if i is None:
            return self.num if is_number(word) else self.unk
        return i

    def encode(self, words: Sequence[str]) -> np.ndarray:
        """Ids (``int32``) of lower-cased project tokens."""
        return np.fromiter(map(self.word_id, words), dtype=np.int32, count=len(words))

    def decode(self, ids: Sequence[int] | np.ndarray) -> list[str]:
        return [self.vocab[int(i)] for i in ids]

    def __contains__(self, word: str) -> bool:
        """True for a token with its own id (not ``unk``; numbers always count)."""
        return self.word_id(word) != self.unk or word == UNK

    # ------------------------------------------------------------------ scoring
    def unigram_logprob(self, ids: np.ndarray | Sequence[int]) -> np.ndarray:
        """log P(w) of the unigram distribution (``float32``)."""
        return np.asarray(self.uni_logp[np.asarray(ids, dtype=np.intp)], dtype=np.float32)

    def bigram_logprob(self, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
        """log P(w2 | w1), broadcasting like :meth:`logprob`."""
        a, b = (np.asarray(x, dtype=np.int64) for x in np.broadcast_arrays(w1, w2))
        shape = a.shape
        return self._bigram(a.ravel(), b.ravel()).reshape(shape)

    def _bigram(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        i2, hit2 = self.bi.find(pack2(a, b))
        out = self.uni_bow[a].astype(np.float32)
        out += self.uni_logp[b]
        sel = np.flatnonzero(hit2)
        out[sel] = self.bi_logp[i2[sel]]
        return out

    def logprob(self, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray) -> np.ndarray:
        """Natural log P(w3 | w1 w2) for arrays of ids (any broadcastable shapes, ``float32``).

        ``w1`` (or ``w1`` and ``w2``) may be ``bos`` at the start of a sentence. A 2-D ``w3``
        against contexts of shape ``(n, 1)`` scores a batch of candidates per position.
        """
        a, b, c = (np.asarray(x, dtype=np.int64) for x in np.broadcast_arrays(w1, w2, w3))
        shape = a.shape
        a, b, c = a.ravel(), b.ravel(), c.ravel()
        out = np.empty(len(a), dtype=np.float32)
        # Only a seen context (a, b) can start a seen trigram.
        ic, hitc = self.bi.find(pack2(a, b))
        seen = np.flatnonzero(hitc)
        i3, hit3 = self.tri.find(pack3(a[seen], b[seen], c[seen]))
        done = seen[hit3]
        out[done] = self.tri_logp[i3[hit3]]
        todo = np.ones(len(a), dtype=bool)
        todo[done] = False
        rest = np.flatnonzero(todo)
        bow = np.zeros(len(rest), dtype=np.float32)
        ctx_seen = hitc[rest]
        bow[ctx_seen] = self.bi_bow[ic[rest[ctx_seen]]]
        out[rest] = bow + self._bigram(b[rest], c[rest])
        return out.reshape(shape)

    def token_logprobs(self, words: Sequence[str], *, eos: bool = False) -> np.ndarray:
        """Per-token log P(w_i | w_{i-2} w_{i-1}) of one sentence, BOS-padded.

        With ``eos=True`` one more value is appended: log P(</s> | last two tokens).
        """
        ids = self.encode(words)
        if eos:
            ids = np.append(ids, np.int32(self.eos))
        padded = np.concatenate([np.full(2, self.bos, dtype=np.int32), ids])
        return self.logprob(padded[:-2], padded[1:-1], padded[2:])

    def token_logprobs_many(
        self, sentences: Sequence[Sequence[str]], *, eos: bool = False
    ) -> list[np.ndarray]:
        """:meth:`token_logprobs` of many sentences in one vectorised call (a document)."""
        if not sentences:
            return []
        extra = 1 if eos else 0
        lengths = np.fromiter((len(s) + extra for s in sentences), np.int64, len(sentences))
        # Scored tokens, with </s> closing each sentence when asked.
        words = np.full(int(lengths.sum()), self.eos, dtype=np.int64)
        is_word = np.ones(len(words), dtype=bool)
        if eos:
            is_word[np.cumsum(lengths) - 1] = False
        words[is_word] = self.encode([w for s in sentences for w in s])
        # Each sentence as [<s>, <s>, tokens...]: every scored token has two to its left.
        seq = np.full(len(words) + 2 * len(sentences), self.bos, dtype=np.int64)
        starts = np.cumsum(lengths + 2) - (lengths + 2)
        is_pad = np.zeros(len(seq), dtype=bool)
        is_pad[starts] = is_pad[starts + 1] = True
        body = np.flatnonzero(~is_pad)
        seq[body] = words
        lp = self.logprob(seq[body - 2], seq[body - 1], words)
        return np.split(lp, np.cumsum(lengths)[:-1])

    def substitution_logprobs(
        self,
        words: Sequence[str] | np.ndarray,
        positions: Sequence[int] | np.ndarray,
        candidates: np.ndarray,
    ) -> np.ndarray:
        """How well each candidate fits each position of one sentence (vectorised).

        ``words`` are the sentence's tokens (or their ids), ``positions`` ``(n,)`` token
        indices, ``candidates`` ``(n, k)`` candidate ids for those positions. Returns
        ``(n, k)``: the log-probability of the three trigrams the token at each position
        takes part in, ``log P(c | w[-2] w[-1]) + log P(w[+1] | w[-1] c) + log P(w[+2] | c
        w[+1])``, BOS-padded on the left and closed by ``</s>`` on the right. Differences
        along a row compare the candidates (the rest of the sentence is unchanged).
        """
        ids = words if isinstance(words, np.ndarray) else self.encode(words)
        pos = np.asarray(positions, dtype=np.int64)
        cand = np.asarray(candidates, dtype=np.int64).reshape(len(pos), -1)
        # Two <s> in front, </s> and a filler behind: every window index is valid.
        pad = np.concatenate(
            [[self.bos, self.bos], np.asarray(ids, dtype=np.int64), [self.eos, self.eos]]
        )
        j = pos + 2
        l2, l1 = pad[j - 2, None], pad[j - 1, None]
        r1, r2 = pad[j + 1, None], pad[j + 2, None]
        has_r2 = (j + 2 < len(pad) - 1)[:, None]  # no trigram after </s>
        score = self.logprob(l2, l1, cand) + self.logprob(l1, cand, r1)
        return score + np.where(has_r2, self.logprob(cand, r1, r2), np.float32(0))

    def replacement_logprobs(
        self,
        words: Sequence[str],
        start: int,
        end: int,
        candidates: Sequence[Sequence[str]],
    ) -> np.ndarray:
        """Score replacing ``words[start:end]`` by each candidate token sequence.

        For each candidate (any length, empty allowed) returns the log-probability of the
        candidate's tokens plus the two tokens after it (``</s>`` included), in the sentence
        with the replacement made: the only terms that differ between candidates, so the
        values compare directly (``"could presumably presumably perhaps"`` vs ``"may"``).
        """
        ids = self.encode(words)
        left = np.concatenate([[self.bos, self.bos], ids[:start]])[-2:]
        right = np.concatenate([ids[end:], [self.eos]])[:2]
        triples, lengths = [], []
        for cand in candidates:
            seq = np.concatenate([left, self.encode(cand), right])
            n = len(cand) + len(right)  # trigrams ending on a candidate or a right token
            triples.append(np.stack([seq[:n], seq[1 : n + 1], seq[2 : n + 2]]))
            lengths.append(n)
        if not triples:
            return np.zeros(0, dtype=np.float32)
        t = np.concatenate(triples, axis=1)
        lp = self.logprob(t[0], t[1], t[2]).astype(np.float64)
        return np.add.reduceat(lp, np.cumsum([0, *lengths[:-1]])).astype(np.float32)

    def sentence_logprob(self, words: Sequence[str]) -> float:
        """Total log-probability of one sentence including its end."""
        return float(self.token_logprobs(words, eos=True).sum(dtype=np.float64))

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """Per-token perplexity of token sentences (every token and sentence end counted)."""
        total, n = 0.0, 0
        for s in sentences:
            lp = self.token_logprobs(s, eos=True)
            total += float(lp.sum(dtype=np.float64))
            n += len(lp)
        return math.exp(-total / n) if n else math.nan

    def __repr__(self) -> str:
        return (
            f"LanguageModel(vocab={self.vocab_size}, bigrams={len(self.bi)}, "
            f"trigrams={len(self.tri)})"
        )


@lru_cache(maxsize=4)
def load_lm(path: str | Path | None = None) -> LanguageModel:
    """The shipped model (``resources/lm``), or the model directory at ``path``; cached."""
    return LanguageModel.load(DEFAULT_PATH if path is None else path)
