"""Candidate originals worth scoring at a site: the lexicon's answers, filtered and ranked
for detection, with bounded caches.

Two kinds, both per lookup key (a lower-cased surface):

* :meth:`OptionSource.options` -- first-hop candidates: learned and tortured-phrase pairs
  always, then the most frequent words (originals are plain news words; spinners pick
  rarer ones), never one the language model does not know. Ranked once per key, kept in
  an LRU cache.
* :meth:`OptionSource.in_context` -- for suspicious words, second-hop single-word
  candidates ranked by how well they fit between its two neighbours (how "replace talks"
  finds "trade talks"). A key has hundreds of them; they are handled as arrays end to end
  (lexicon phrase ids -> LM ids through one precomputed table), and strings are made only
  for the few that are chosen.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from unspin.lexicon.tables import save_npz, sources_of
from unspin.lm.vocab import lm_form
from unspin.text import tokenize

__all__ = [
    "CONTEXT_OPTIONS",
    "MAX_OPTIONS",
    "NONE",
    "TABLE",
    "Choices",
    "Option",
    "OptionSource",
    "OptionTable",
    "build_table",
    "load_table",
    "option_forms",
    "phrase_zipf",
    "table_keys",
    "zipf",
]

MAX_OPTIONS = 16  # candidates scored per site (learned and tortured-phrase pairs always kept)
CONTEXT_OPTIONS = 6  # second-hop candidates added at a suspicious word
PRUNE_MARGIN = 6.0  # log-prob below a site's best fit at which candidates go unsorted
CACHE_SIZE = 20_000  # first-hop keys cached: a news vocabulary's working set, ~20 MB
HOP2_CACHE_SIZE = 16_000  # second-hop keys cached (suspicious words; ~7 KB each)

Option = tuple[str, frozenset[str], int]  # (text, sources, hops)
_TRUSTED = frozenset({"learned", "pps"})
_LEARNED = frozenset({"learned"})
_SOURCES = tuple(sources_of(bits) for bits in range(256))  # lexicon relation bits -> names
# Source names of an option <-> the bits of the option table (its own set: an option may
# also come from learned pairs, a re-cased key or a padded word).
_NAMES = ("wordnet", "moby", "pps", "rules", "learned", "case", "part")
_BIT = {name: 1 << k for k, name in enumerate(_NAMES)}
_MASKS = tuple(frozenset(n for n in _NAMES if m & _BIT[n]) for m in range(1 << len(_NAMES)))
TABLE = Path(__file__).resolve().parent.parent / "resources" / "detect" / "options.npz"
# Bump when the ranking of first-hop options changes: a table built by older code is stale.
RANKING_VERSION = 1

K = TypeVar("K")
V = TypeVar("V")


class _LRU(Generic[K, V]):
    """A small bounded least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._d: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, make: Callable[[K], V]) -> V:
        d = self._d
        hit = d.get(key)
        if hit is not None:
            d.move_to_end(key)
            return hit
        val = make(key)
        d[key] = val
        if len(d) > self.size:
            d.popitem(last=False)
        return val

    def __len__(self) -> int:
        return len(self._d)


@lru_cache(maxsize=100_000)
def option_forms(text: str) -> tuple[str, ...]:
    """The LM forms of an option's tokens."""
    return tuple(lm_form(f) for f in tokenize(text).forms)


MAX_RARER = 1.5
"""Zipf frequency by which an original may fall below its spun form. Spinners swap common
words for rarer ones; an "original" much rarer than the word that is there is the 1987
training stories' house style ("percent" -> "pct") or sense-blind noise. Restore's
decoder and the shipped learned pairs leave such options out."""


@lru_cache(maxsize=100_000)
@lru_cache(maxsize=300_000)
def zipf(text: str) -> float:
    """wordfreq's English Zipf frequency of ``text`` (cached: detection asks it per word)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(text, "en"))


def phrase_zipf(text: str) -> float:
    """wordfreq Zipf frequency of a word, or of the rarest word of a phrase."""
    words = text.split()
    return min(zipf(w) for w in words) if words else 0.0


def max_option_len(n_key: int, sources: frozenset[str]) -> int:
    """Spinners mostly swap a word for a word or pad a word into a phrase ("Chinese" ->
    "Chinese language"); an original much longer than its spun form is rare, and long
    idioms would otherwise win on their predictable inner words. Trusted pairs (learned,
    tortured phrases, case repairs such as "usa" -> "United States") may be longer."""
    if sources & {"learned", "pps", "case"}:
        return n_key + 3
    return n_key if n_key == 1 else n_key + 1


@dataclass(frozen=True, slots=True)
class OptionTable:
    """First-hop options of every lookup key the shipped lexicon can answer, ranked
    ahead of time (:func:`build_table`) for the keys of :func:`table_keys`: a one-word
    key absent from ``keys`` has none.

    CSR layout: key ``i``'s options are ``texts[opt[k]]`` with source bits ``src[k]`` and
    hops ``hops[k]`` for ``k`` in ``indptr[i]:indptr[i + 1]``. ``fingerprint`` names the
    lexicon, language model and ranking it was built from (:func:`fingerprint`).
    """

    keys: list[str]  # sorted
    indptr: np.ndarray
    opt: np.ndarray
    src: np.ndarray
    hops: np.ndarray
    texts: list[str]
    fingerprint: str
    # :func:`lm_id_table` of the same lexicon and model
    # (:func:`with_lm_ids`), shipped so that a fresh process need not build it (~1 s).
    lm_ids: np.ndarray | None = None

    def lookup(self, key: str) -> tuple[Option, ...] | None:
        """The options of ``key``, ``None`` if the table does not hold it."""
        i = bisect_left(self.keys, key)
        if i >= len(self.keys) or self.keys[i] != key:
            return None
        a, b = int(self.indptr[i]), int(self.indptr[i + 1])
        texts, masks = self.texts, _MASKS
        return tuple(
            (texts[o], masks[m], h)
            for o, m, h in zip(
                self.opt[a:b].tolist(), self.src[a:b].tolist(), self.hops[a:b].tolist(), strict=True
            )
        )


@dataclass(frozen=True, slots=True)
class Choices:
    """Options for one site, columnar, with the LM ids that score them."""

    texts: tuple[str, ...]
    sources: tuple[frozenset[str], ...]
    hops: tuple[int, ...]
    ids: np.ndarray  # int64, the options' token ids, concatenated
    lens: np.ndarray  # int64, tokens per option

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def options(self) -> tuple[Option, ...]:
        return tuple(zip(self.texts, self.sources, self.hops, strict=True))

    def __add__(self, other: Choices) -> Choices:
        if not len(other):
            return self
        if not len(self):
            return other
        return Choices(
            self.texts + other.texts,
            self.sources + other.sources,
            self.hops + other.hops,
            np.concatenate([self.ids, other.ids]),
            np.concatenate([self.lens, other.lens]),
        )


_NO_IDS = np.zeros(0, dtype=np.int64)
NONE = Choices((), (), (), _NO_IDS, _NO_IDS)


class OptionSource:
    """Detection's view of a lexicon through a language model (see the module doc).

    With a ``table`` built for this lexicon and model, first-hop options are read from it
    (keys with learned pairs excepted); without one they are ranked on first use.
    """

    def __init__(
        self, lexicon: Any, lm: Any, table: OptionTable | None = None, cache_size: int = CACHE_SIZE
    ) -> None:
        self.lexicon = lexicon
        self.lm = lm
        self.table = table
        self._hop1: _LRU[str, Choices] = _LRU(cache_size)
        self._hop2: _LRU[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = _LRU(
            max(1, cache_size * HOP2_CACHE_SIZE // CACHE_SIZE)
        )
        self._ids: np.ndarray | None = None  # (phrase, column) -> LM id, -1 for none

    # ------------------------------------------------------------------ first hop
    def options(self, key: str) -> tuple[Option, ...]:
        """First-hop options of ``key``, best first."""
        return self.first_hop(key).options

    def first_hop(self, key: str) -> Choices:
        """First-hop options of ``key`` with their LM ids (cached)."""
        return self._hop1.get(key, self._first_hop)

    def _first_hop(self, key: str) -> Choices:
        opts = None
        if self.table is not None:
            opts = self.table.lookup(key)
            if opts is None and " " not in key:
                opts = ()  # a word outside the table has no first-hop candidates
            learned = self.lexicon.learned.get(key)
            if learned and opts is not None:
                opts = self.add_learned(key, opts, learned)
        if opts is None:  # no table, or a phrase the table does not list
            opts = self.rank_first_hop(key)
        if not opts:
            return NONE
        forms = [option_forms(t) for t, _, _ in opts]
        return Choices(
            tuple(o[0] for o in opts),
            tuple(o[1] for o in opts),
            tuple(o[2] for o in opts),
            self.lm.encode([f for fs in forms for f in fs]).astype(np.int64),
            np.fromiter(map(len, forms), dtype=np.int64, count=len(forms)),
        )

    def rank_first_hop(self, key: str) -> tuple[Option, ...]:
        """First-hop options of ``key`` from the lexicon itself (what the table holds)."""
        lm = self.lm
        unk = lm.unk
        n_key = key.count(" ") + 1
        cands = [
            c
            for c in self.lexicon.candidates(key, max_hops=1)
            if c.text.lower() != key
            and len(forms := option_forms(c.text)) <= max_option_len(n_key, c.sources)
            and unk not in lm.encode(list(forms))
        ]
        keep = [c for c in cands if c.sources & _TRUSTED]
        rest = sorted(
            (c for c in cands if not c.sources & _TRUSTED), key=lambda c: -phrase_zipf(c.text)
        )
        chosen = (keep + rest)[: max(MAX_OPTIONS, len(keep))]
        return tuple((c.text, c.sources, c.hops) for c in chosen)

    def add_learned(
        self, key: str, ranked: tuple[Option, ...], learned: Mapping[str, int]
    ) -> tuple[Option, ...]:
        """:meth:`rank_first_hop` of ``key`` once ``learned`` pairs (original -> count) are
        added, from the options ``ranked`` without them (the table's), in the same order:
        learned options first (most seen first), then tortured-phrase ones, then the
        rest by frequency (the table's ranking is kept, the lexicon is asked only for the
        sources of a learned option the table had cut off)."""
        lm = self.lm
        n_key = key.count(" ") + 1
        have = {t.lower(): src for t, src, _ in ranked}
        zipf = self.lexicon.zipf_of
        fresh: list[tuple[int, int, int, str, Option]] = []
        merged: dict[str, tuple[str, int]] = {}  # the lexicon merges case variants
        for text, count in learned.items():
            first, n = merged.get(text.lower(), (text, 0))
            merged[text.lower()] = (first, n + count)
        merged.pop(key, None)
        usable = {
            low: tc
            for low, tc in merged.items()
            if len(forms := option_forms(tc[0])) <= max_option_len(n_key, _LEARNED)
            and lm.unk not in lm.encode(list(forms))
        }
        # cut off the table's list: their sources are the lexicon's to tell
        cut = [low for low in usable if low not in have]
        full = self.lexicon.hop1_sources(key, cut) if cut else {}
        for low, (text, count) in usable.items():
            sources = (have[low] if low in have else full.get(low, frozenset())) | _LEARNED
            fresh.append((-count, -len(sources), -zipf(text), text, (text, sources, 1)))
        if not fresh:
            return ranked
        fresh.sort(key=lambda f: f[:4])
        taken = {f[3].lower() for f in fresh}
        keep = [f[4] for f in fresh] + [
            o for o in ranked if o[1] & _TRUSTED and o[0].lower() not in taken
        ]
        rest = [o for o in ranked if not o[1] & _TRUSTED and o[0].lower() not in taken]
        return tuple((keep + rest)[: max(MAX_OPTIONS, len(keep))])

    # ------------------------------------------------------------------ second hop
    def in_context(self, requests: list[tuple[str, int, int, tuple[str, ...]]]) -> list[Choices]:
        """Up to :data:`CONTEXT_OPTIONS` single-word candidates (first or second hop) per
        request ``(key, prev_id, next_id, texts to skip)``: those that best fit between the
        LM ids ``prev_id`` and ``next_id`` (bigram scores), all reported as hop 2. Every
        request is scored in one pass over the language model."""
        found = [self._hop2.get(key, self._second_hop) for key, _, _, _ in requests]
        n = np.fromiter((f[0].size for f in found), dtype=np.int64, count=len(found))
        if not n.sum():
            return [NONE] * len(requests)
        lm_ids = np.concatenate([f[0] for f in found])
        prev = np.repeat(np.fromiter((r[1] for r in requests), np.int64, len(requests)), n)
        nxt = np.repeat(np.fromiter((r[2] for r in requests), np.int64, len(requests)), n)
        fit = self.lm.bigram_logprob(prev, lm_ids) + self.lm.bigram_logprob(lm_ids, nxt)
        # Enough of each request's best to fill it after skipping what it already has.
        need = CONTEXT_OPTIONS + np.fromiter((len(r[3]) for r in requests), np.int64, len(requests))
        top = best_per_segment(fit, n, need)
        ends = np.cumsum(n)
        starts = ends - n
        top_seg = np.searchsorted(ends, top, side="right")  # the request of each
        bounds = np.searchsorted(top_seg, np.arange(len(requests) + 1)).tolist()
        local = (top - starts[top_seg]).tolist()
        out: list[Choices] = []
        form = self.lexicon.form
        for r, ((_, _, _, skip), (ids, phrases, cols, rels)) in enumerate(
            zip(requests, found, strict=True)
        ):
            seen = {t.lower() for t in skip}
            texts: list[str] = []
            chosen: list[int] = []
            for j in local[bounds[r] : bounds[r + 1]]:
                text = form(int(phrases[j]), int(cols[j]))
                if text is None or text.lower() in seen:
                    continue
                texts.append(text)
                chosen.append(j)
                if len(texts) >= CONTEXT_OPTIONS:
                    break
            if not texts:
                out.append(NONE)
                continue
            out.append(
                Choices(
                    tuple(texts),
                    tuple(_SOURCES[int(rels[j])] for j in chosen),
                    (2,) * len(texts),
                    ids[chosen].astype(np.int64),
                    np.ones(len(texts), dtype=np.int64),
                )
            )
        return out

    def _second_hop(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Distinct LM-known single-word candidates of ``key``: LM ids, one (phrase,
        column) that yields each, and the relation bits of every path to it."""
        phrases, cols, rels, _ = self.lexicon.raw_candidates(key, max_hops=2)
        table = self._id_table()
        lm_ids = table[phrases, cols] if phrases.size else np.zeros(0, dtype=np.int64)
        ok = (lm_ids >= 0) & (lm_ids != self.lm.word_id(key))
        lm_ids, phrases, cols, rels = lm_ids[ok], phrases[ok], cols[ok], rels[ok]
        if not lm_ids.size:
            return lm_ids, phrases, cols, rels
        order = np.argsort(lm_ids, kind="stable")
        lm_ids, phrases, cols, rels = lm_ids[order], phrases[order], cols[order], rels[order]
        lm_ids, first = np.unique(lm_ids, return_index=True)
        rels = np.bitwise_or.reduceat(rels, first)
        # compact: these arrays sit in the cache
        return (
            lm_ids.astype(np.int32),
            phrases[first].astype(np.int32),
            cols[first].astype(np.int8),
            rels.astype(np.uint8),
        )

    def _id_table(self) -> np.ndarray:
        """:func:`lm_id_table` of this lexicon and model: the table's copy if it has one,
        else built on first use (~1 s)."""
        if self._ids is None:
            shipped = self.table.lm_ids if self.table is not None else None
            self._ids = shipped if shipped is not None else lm_id_table(self.lexicon, self.lm)
        return self._ids


def best_per_segment(
    fit: np.ndarray, sizes: np.ndarray, need: np.ndarray, margin: float = PRUNE_MARGIN
) -> np.ndarray:
    """Indices of the ``need[r]`` largest ``fit`` values of each consecutive segment of
    ``sizes[r]`` elements (all of a smaller segment), grouped by segment, largest first,
    ties in index order; values below -999 count as -999.

    Only the values within ``margin`` of their segment's largest are sorted, unless fewer
    than ``need[r]`` of a segment's are: the need-th largest of a segment lies within the
    margin whenever at least ``need`` values do, so the result is that of a full sort.
    """
    if not fit.size:
        return np.zeros(0, dtype=np.int64)
    seg = np.repeat(np.arange(len(sizes)), sizes)
    # one stable sort on a single key (log-probs are > -1000): faster than np.lexsort
    key = seg * 1000.0 - np.maximum(fit, -999.0)
    full = sizes > 0
    best = np.zeros(len(sizes), dtype=np.float64)
    best[full] = np.minimum.reduceat(key, (np.cumsum(sizes) - sizes)[full])
    near = key <= best[seg] + margin
    few = np.bincount(seg[near], minlength=len(sizes)) < need
    sub = np.flatnonzero(near | few[seg])
    order = sub[np.argsort(key[sub], kind="stable")]
    sub_sizes = np.bincount(seg[sub], minlength=len(sizes))
    rank = np.arange(order.size) - np.repeat(np.cumsum(sub_sizes) - sub_sizes, sub_sizes)
    return order[rank < need[seg[order]]]


def lm_id_table(lexicon: Any, lm: Any) -> np.ndarray:
    """LM id of every single-word phrase's display form and inflections, as a (phrase,
    column) table (-1: none, unknown to the LM, or not a single word)."""
    js, cols, forms = lexicon.inflection_columns()
    ids = lm.encode([lm_form(f) for f in forms])
    ids[ids == lm.unk] = -1
    table = np.full((len(lexicon), int(cols.max(initial=0)) + 1), -1, dtype=np.int32)
    table[js, cols] = ids
    return table


# ---------------------------------------------------------------------- the shipped table


def fingerprint(lexicon_path: Path, lm_dir: Path) -> str:
    """Names the inputs of an option table: lexicon bytes, LM metadata, ranking code."""
    h = hashlib.sha1()
    h.update(lexicon_path.read_bytes())
    h.update((lm_dir / "meta.json").read_bytes())
    h.update(f"ranking {RANKING_VERSION} max {MAX_OPTIONS}".encode())
    return h.hexdigest()


def table_keys(lexicon: Any) -> list[str]:
    """Every lookup key with possible first-hop options: the lexicon's phrases and every
    inflected form its lemma table knows ("talks", "agreed"); any other key has none."""
    tables = lexicon.tables
    forms = (line.split("\t", 1)[0] for line in tables.lemmas if line)
    return sorted({*tables.keys, *forms})


def build_table(source: OptionSource, keys: Iterable[str], fp: str) -> OptionTable:
    """Rank the first-hop options of every key (slow: minutes for the shipped lexicon)."""
    keys = sorted(keys)
    text_ids: dict[str, int] = {}
    indptr = [0]
    opt: list[int] = []
    src: list[int] = []
    hops: list[int] = []
    for key in keys:
        for text, sources, hop in source.rank_first_hop(key):
            opt.append(text_ids.setdefault(text, len(text_ids)))
            src.append(sum(_BIT[n] for n in sources))
            hops.append(hop)
        indptr.append(len(opt))
    return OptionTable(
        keys=keys,
        indptr=np.asarray(indptr, dtype=np.int64),
        opt=np.asarray(opt, dtype=np.int32),
        src=np.asarray(src, dtype=np.uint8),
        hops=np.asarray(hops, dtype=np.uint8),
        texts=list(text_ids),
        fingerprint=fp,
    )


def with_lm_ids(table: OptionTable, lexicon: Any, lm: Any) -> OptionTable:
    """``table`` carrying the (phrase, column) -> LM id table of ``lexicon`` and ``lm``
    (the ones the table was built from)."""
    return replace(table, lm_ids=lm_id_table(lexicon, lm))


def merge_tables(parts: list[OptionTable]) -> OptionTable:
    """One table from tables built over disjoint, consecutive key ranges (in order)."""
    texts: dict[str, int] = {}
    opt, indptr, base = [], [np.zeros(1, dtype=np.int64)], 0
    for t in parts:
        remap = np.asarray([texts.setdefault(x, len(texts)) for x in t.texts], dtype=np.int32)
        opt.append(remap[t.opt] if t.opt.size else t.opt)
        indptr.append(t.indptr[1:] + base)
        base += int(t.indptr[-1])
    return OptionTable(
        keys=[k for t in parts for k in t.keys],
        indptr=np.concatenate(indptr),
        opt=np.concatenate(opt).astype(np.int32),
        src=np.concatenate([t.src for t in parts]),
        hops=np.concatenate([t.hops for t in parts]),
        texts=list(texts),
        fingerprint=parts[0].fingerprint,
    )


def save_table(table: OptionTable, path: Path) -> None:
    """Write ``table`` as a compressed ``.npz`` with deterministic bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        "keys": np.frombuffer("\n".join(table.keys).encode(), dtype=np.uint8),
        "texts": np.frombuffer("\n".join(table.texts).encode(), dtype=np.uint8),
        "fingerprint": np.frombuffer(table.fingerprint.encode(), dtype=np.uint8),
        "indptr": table.indptr,
        "opt": table.opt,
        "src": table.src,
        "hops": table.hops,
    }
    if table.lm_ids is not None:
        arrays["lm_ids"] = table.lm_ids
    save_npz(path, arrays)


def load_table(path: Path = TABLE) -> OptionTable | None:
    """The table at ``path``, or ``None`` if there is none."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as z:
        return OptionTable(
            keys=z["keys"].tobytes().decode().split("\n"),
            indptr=z["indptr"],
            opt=z["opt"],
            src=z["src"],
            hops=z["hops"],
            texts=z["texts"].tobytes().decode().split("\n"),
            fingerprint=z["fingerprint"].tobytes().decode(),
            lm_ids=z["lm_ids"] if "lm_ids" in z.files else None,
        )
