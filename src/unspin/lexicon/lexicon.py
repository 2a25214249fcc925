"""The reverse thesaurus: which words could a spinner have replaced WITH this one?"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from unspin.lexicon.inflect import CLOSED_CLASS, TAGS, UPOS_OF, Inflector
from unspin.lexicon.tables import (
    REL_PPS,
    REL_WN_ANY,
    REL_WN_SYN,
    LexiconTables,
    load_tables,
    sources_of,
)
from unspin.text import tokenize

__all__ = ["RESOURCE", "Candidate", "Lexicon", "load_lexicon"]

RESOURCE = Path(__file__).resolve().parent.parent / "resources" / "lexicon" / "lexicon.npz"

# A second hop ends in a tight relation (same WordNet synset, PPS: "bewitch" -Moby-
# "corrupt" -synset- "buy") or stays inside WordNet/PPS ("replace" -synset- "exchange"
# -hyponym- "trade"). Moby's loose lists, chained, would bury the candidates in noise.
_TIGHT = REL_WN_SYN | REL_PPS
_CURATED = REL_WN_ANY | REL_PPS
_CACHE_SIZE = 20000
_SOURCES = tuple(sources_of(bits) for bits in range(32))  # relation bits -> source names
_LEARNED = frozenset({"learned"})
_PART = frozenset({"part"})

Inflection = tuple[str, str] | None  # (upos, Penn tag) to re-inflect candidates with


@dataclass(frozen=True)
class Candidate:
    """A possible original for a spun surface form."""

    text: str  # the candidate original, inflected to match the surface form
    sources: frozenset[str]  # of: wordnet moby pps rules learned case part
    hops: int  # 1 = direct synonym, 2 = second-hop
    count: int = 0  # learned count, if any


@dataclass(slots=True)
class _Acc:
    text: str
    sources: frozenset[str]
    hops: int
    count: int
    zipf: int


class Lexicon:
    """Reverse-thesaurus queries over :class:`LexiconTables` plus learned pairs.

    Sources of a candidate: ``wordnet``/``moby``/``pps`` (the shipped tables), ``rules``
    (clitics: "'s" <-> "is"), ``learned`` (:meth:`add_learned`), ``case`` (a lower-cased
    proper noun or acronym: "usa" -> "USA") and ``part`` (a multi-word surface that pads
    a word of the original: "Chinese language" -> "Chinese"). Hop 2 covers synonyms of
    synonyms (see ``_TIGHT``) and multi-word surfaces with one piece replaced ("the usa"
    -> "the United States").
    """

    def __init__(self, tables: LexiconTables) -> None:
        self.tables = tables
        self._inflector = Inflector(tables.inflections, tables.lemmas)
        self._learned: dict[str, dict[str, int]] = {}
        self._learned_len = 0
        self._table_len = max((k.count(" ") + 1 for k in tables.keys), default=0)
        self._cache: dict[tuple[str, int], list[Candidate]] = {}

    def __len__(self) -> int:
        return len(self.tables)

    def __contains__(self, surface: object) -> bool:
        """True if ``surface`` (text or tokens) is a phrase of the tables or a learned one."""
        if not isinstance(surface, str | list | tuple):
            return False
        key = _key(surface)
        return bool(key) and (self._id(key) is not None or key in self._learned)

    @property
    def _index(self) -> _KeyView:
        """Deprecated: ``key in lex._index``; use ``surface in lex``."""
        return _KeyView(self)

    @property
    def learned(self) -> Mapping[str, Mapping[str, int]]:
        """Learned pairs: spun lookup key -> {original: count} (read-only view)."""
        return MappingProxyType(self._learned)

    @property
    def max_phrase_len(self) -> int:
        """Longest multi-word surface in the lexicon, in tokens."""
        return max(self._table_len, self._learned_len)

    def add_learned(self, spun: str | Sequence[str], original: str, count: int = 1) -> None:
        """Record that ``spun`` was seen replacing ``original`` ``count`` times."""
        key = _key(spun)
        text = self._positional_case(" ".join(original.split()))
        if not key or not text:
            return
        bucket = self._learned.setdefault(key, {})
        bucket[text] = bucket.get(text, 0) + count
        self._learned_len = max(self._learned_len, key.count(" ") + 1)
        self._cache.clear()

    def _positional_case(self, text: str) -> str:
        """``text`` as the tables write it when it is capitalised only where the tables
        write it in lower case ("Also", "According to", "It"): a pair learned at the start
        of a sentence, whose capital belongs to the place, not the word (restore capitalises
        again where the spun word is). Names and acronyms the tables capitalise ("United
        States", "U.S.") keep theirs."""
        if not text[:1].isupper() or text == text.lower():
            return text
        i = self._id(_key(text))
        display = self.tables.display[i] if i is not None else None
        return display if display is not None and display == text.lower() else text

    def candidates(
        self, surface: str | Sequence[str], max_hops: int = 2, limit: int | None = None
    ) -> list[Candidate]:
        """Possible originals of ``surface`` (a word, a phrase or a token list), best first.

        Order: learned pairs by count, then hop 1 before hop 2, then the number of
        agreeing sources, then word frequency (a simple prior). The surface itself is
        never a candidate (except re-cased). ``limit`` keeps the first ``limit``.
        """
        key = _key(surface)
        if not key:
            return []
        raw = surface if isinstance(surface, str) else " ".join(surface)
        out = self._cache.get((key, max_hops))
        if out is None:
            out = self._uncased(key, max_hops)
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[key, max_hops] = out
        case = self._recased(key, " ".join(raw.split()))
        if case is None or any(c.text == case.text for c in out):
            return out[:limit]  # a copy: callers may mutate it
        n_learned = sum(1 for c in out if c.count)
        return [*out[:n_learned], case, *out[n_learned:]][:limit]

    def hop1_sources(self, surface: str, texts: Iterable[str]) -> dict[str, frozenset[str]]:
        """``{c.text.lower(): c.sources for c in candidates(surface, max_hops=1)}``, kept
        to the lower-case ``texts`` asked for (texts that are no candidate are left out).

        About 4x cheaper than :meth:`candidates` on a key not yet cached: the candidates
        are not merged, ranked or turned into :class:`Candidate` objects.
        """
        key = _key(surface)
        asked = set(texts)
        want = asked - {key}  # never the surface itself (but its re-cased form, below)
        if not key or not asked:
            return {}
        out: dict[str, frozenset[str]] = {}
        first: dict[str, str] = {}  # the casing candidates() would show (first merged)
        learned: set[str] = set()

        def add(text: str, sources: frozenset[str]) -> None:
            low = text.lower()
            if low in want:
                out[low] = out.get(low, frozenset()) | sources
                first.setdefault(low, text)

        for text in self._learned.get(key, {}):
            add(text, _LEARNED)
            learned.add(text.lower())
        t = self.tables
        for i, infl in self._reading_ids(key):
            a, b = int(t.indptr[i]), int(t.indptr[i + 1])
            for j, rel in zip(t.targets[a:b].tolist(), t.rels[a:b].tolist(), strict=True):
                text = self._text(j, infl)
                if text is not None:
                    add(text, _SOURCES[rel])
        words = key.split(" ")
        for a, b in _pieces(words):
            i = self._id(" ".join(words[a:b]))
            if i is not None:
                add(t.display[i], _PART)
        # candidates() puts a re-cased surface after the learned candidates, unless one
        # of them has its very text; a later entry of the same lower-case text wins
        case = self._recased(key, key)
        low = case.text.lower() if case is not None else ""
        if (
            case is not None
            and low in asked
            and (low not in out or (first[low] != case.text and low in learned))
        ):
            out[low] = case.sources
        return out

    def fanout(self, original: str) -> int:
        """How many surfaces the tables offer a spinner for ``original`` (or its lemma).

        A noisy-channel prior: a spinner picking uniformly among ``n`` synonyms turns
        ``original`` into one given surface with probability ``1 / n``.
        """
        key = _key(original)
        i = self._id(key)
        if i is None and " " not in key:
            i = next(
                (
                    j
                    for lem, _, _ in self._inflector.analyses(key)
                    if (j := self._id(lem)) is not None
                ),
                None,
            )
        return int(self._in_degree[i]) if i is not None else 0

    @cached_property
    def _in_degree(self) -> np.ndarray:
        return np.bincount(self.tables.targets, minlength=len(self.tables))

    def _uncased(self, key: str, max_hops: int) -> list[Candidate]:
        """Candidates of a lookup key, ranked (cached by :meth:`candidates`)."""
        acc: dict[str, _Acc] = {}
        for text, count in self._learned.get(key, {}).items():
            _merge(acc, text, _LEARNED, 1, count, self.zipf_of(text))
        self._from_tables(acc, key, max_hops)
        words = key.split(" ")
        if len(words) > 1:
            self._from_parts(acc, words, max_hops)
        acc.pop(key, None)  # never the surface itself
        ranked = sorted(
            acc.values(),
            key=lambda a: (-a.count, a.hops, -len(a.sources), -a.zipf, a.text),
        )
        return [Candidate(a.text, a.sources, a.hops, a.count) for a in ranked]

    # ----------------------------------------------------------------- internals

    def _id(self, key: str) -> int | None:
        """Phrase id of ``key`` (keys are sorted: a binary search, no dict to build)."""
        keys = self.tables.keys
        i = bisect_left(keys, key)
        return i if i < len(keys) and keys[i] == key else None

    def _readings(self, key: str) -> list[tuple[str, Inflection]]:
        """(lookup key, inflection for candidates): the surface itself, then its lemmas.

        A multi-word surface is lemmatised at its first word as a verb ("gave up") and
        at its last word as a noun ("trade wars").
        """
        out: list[tuple[str, Inflection]] = [(key, None)]
        words = key.split(" ")
        last = len(words) - 1
        for pos in dict.fromkeys((0, last)):
            for lemma, upos, tag in self._inflector.analyses(words[pos]):
                if last and (upos == "VERB") != (pos == 0):
                    continue
                lw = [*words]
                lw[pos] = lemma
                out.append((" ".join(lw), (upos, tag)))
        return out

    def _reading_ids(self, key: str) -> Iterator[tuple[int, Inflection]]:
        """(phrase id, inflection) of each of :meth:`_readings` the tables hold."""
        for lookup, infl in self._readings(key):
            i = self._id(lookup)
            if i is not None:
                yield i, infl

    def _text(self, j: int, infl: Inflection) -> str | None:
        """Phrase ``j``'s display form, inflected as ``infl`` (``None``: it has no such form)."""
        text = self.tables.display[j]
        return text if infl is None else self._inflector.phrase(text, *infl)

    @cached_property
    def _curated(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The edges from curated sources only (WordNet, PPS) as a CSR of their own:
        ``indptr``, ``targets``, ``rels`` (the only ones a second hop can take)."""
        t = self.tables
        keep = (t.rels & _CURATED) != 0
        counts = np.bincount(_edge_rows(t)[keep], minlength=len(t))
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(t.indptr.dtype)
        return indptr, t.targets[keep], t.rels[keep]

    def _edges(
        self, i: int, max_hops: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Phrase ``i``'s first-hop targets and relation bits, and (``max_hops`` >= 2) its
        distinct second-hop targets with the bits of every path to them, vectorised."""
        t = self.tables
        a, b = int(t.indptr[i]), int(t.indptr[i + 1])
        ids, rels = t.targets[a:b], t.rels[a:b]
        empty = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint8)
        if max_hops < 2 or not ids.size:
            return ids, rels, *empty
        # Second hop: tight neighbours of every first-hop candidate. Either test needs a
        # curated edge (tight ones are curated), so only those are read.
        indptr, targets, crels = self._curated
        starts, ends = indptr[ids], indptr[ids + 1]
        lens = ends - starts
        pos = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
        via = np.repeat(rels, lens)
        rel2 = crels[pos]
        tight = ((rel2 & _TIGHT) != 0) | ((via & _CURATED) != 0)
        j2, rel2 = targets[pos[tight]], rel2[tight] | via[tight]
        if not j2.size:
            return ids, rels, *empty
        order = np.argsort(j2, kind="stable")
        j2, rel2 = j2[order], rel2[order]
        j2, first = np.unique(j2, return_index=True)
        rel2 = np.bitwise_or.reduceat(rel2, first)  # sources of every path
        keep = j2 != i
        return ids, rels, j2[keep], rel2[keep]

    def _from_tables(self, acc: dict[str, _Acc], key: str, max_hops: int) -> None:
        for i, infl in self._reading_ids(key):
            ids, rels, j2, rel2 = self._edges(i, max_hops)
            for j, rel in zip(ids.tolist(), rels.tolist(), strict=True):
                self._add(acc, j, rel, infl, 1)
            for j, rel in zip(j2.tolist(), rel2.tolist(), strict=True):
                self._add(acc, j, rel, infl, 2)

    def raw_candidates(
        self, key: str, max_hops: int = 2
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The table part of :meth:`candidates` for a lookup key, as arrays, unmerged and
        unranked: phrase ids, inflection columns (0: as is, else ``1 + TAGS.index(tag)``;
        see :meth:`inflection_columns`), relation bits and hops. For bulk consumers
        (detection's second hop) that would drown in :class:`Candidate` objects."""
        parts: list[tuple[np.ndarray, int, np.ndarray, int]] = []
        for i, infl in self._reading_ids(key):
            col = 0 if infl is None else 1 + TAGS.index(infl[1])
            ids, rels, j2, rel2 = self._edges(i, max_hops)
            parts += [(ids, col, rels, 1), (j2, col, rel2, 2)]
        if not parts:
            z = np.zeros(0, dtype=np.int64)
            return z, z, z.astype(np.uint8), z
        return (
            np.concatenate([p[0] for p in parts]).astype(np.int64),
            np.concatenate([np.full(len(p[0]), p[1], dtype=np.int64) for p in parts]),
            np.concatenate([p[2] for p in parts]).astype(np.uint8),
            np.concatenate([np.full(len(p[0]), p[3], dtype=np.int64) for p in parts]),
        )

    def phrase_ids(self, surface: str) -> tuple[int, ...]:
        """Phrase ids of ``surface`` as is and of its lemmas (the lookup keys of
        :meth:`candidates`; empty for a surface the tables do not hold)."""
        return tuple(dict.fromkeys(i for i, _ in self._reading_ids(_key(surface))))

    @cached_property
    def _edge_keys(self) -> np.ndarray:
        """Every edge as ``source * n + target``, sorted (targets are sorted per row)."""
        t = self.tables
        return _edge_rows(t) * len(t) + t.targets

    def linked(self, originals: np.ndarray, spun: np.ndarray) -> np.ndarray:
        """Per pair of phrase ids: is ``originals[k]`` a first-hop candidate original of
        ``spun[k]`` (may the spinner have put ``spun[k]`` in its place)? Vectorised;
        :meth:`phrase_ids` gives the ids."""
        keys = self._edge_keys
        q = np.asarray(spun, dtype=np.int64) * len(self.tables) + np.asarray(originals)
        pos = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
        return keys[pos] == q if len(keys) else np.zeros(len(q), dtype=bool)

    def form(self, phrase: int, column: int) -> str | None:
        """The text a :meth:`raw_candidates` row stands for: phrase ``phrase``'s display
        form (column 0) or its inflection ``TAGS[column - 1]``, ``None`` if it has none."""
        text = self.tables.display[phrase]
        if column == 0:
            return text
        tag = TAGS[column - 1]
        return self._inflector.phrase(text, UPOS_OF[tag], tag)

    def inflection_columns(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Every single-word phrase's display form (column 0) and its inflections
        (column ``1 + TAGS.index(tag)``), as rows ``(phrase id, column, form)``: the
        strings :meth:`raw_candidates` stands for. Forms a word lacks are left out."""
        t = self.tables
        single = {
            d: j for j, (k, d) in enumerate(zip(t.keys, t.display, strict=True)) if " " not in k
        }
        js: list[int] = list(single.values())
        cols: list[int] = [0] * len(js)
        forms: list[str] = list(single.keys())
        for line in t.inflections:
            word, *infl = line.split("\t")
            j = single.get(word)
            if j is None:
                continue
            for c, f in enumerate(infl, start=1):
                if f:
                    js.append(j)
                    cols.append(c)
                    forms.append(f)
        return np.asarray(js, dtype=np.int64), np.asarray(cols, dtype=np.int64), forms

    def _add(self, acc: dict[str, _Acc], j: int, rel: int, infl: Inflection, hops: int) -> None:
        text = self._text(j, infl)
        if text is not None:
            _merge(acc, text, _SOURCES[rel], hops, 0, int(self.tables.zipf[j]))

    def _recased(self, key: str, raw: str) -> Candidate | None:
        """A lower-cased proper noun or acronym ("usa") -> its cased form ("USA")."""
        i = self._id(key)
        if i is None or self.tables.display[i] in (key, raw):
            return None
        return Candidate(self.tables.display[i], frozenset({"case"}), 1)

    def _from_parts(self, acc: dict[str, _Acc], words: list[str], max_hops: int) -> None:
        """Multi-word surfaces: a padded word ("Chinese language" -> "Chinese", hop 1) and,
        at hop 2, one piece replaced by its first-hop candidates, the rest kept."""
        for a, b in _pieces(words):
            piece = " ".join(words[a:b])
            i = self._id(piece)
            if i is not None:
                _merge(acc, self.tables.display[i], _PART, 1, 0, int(self.tables.zipf[i]))
            if max_hops < 2:
                continue
            left, right = " ".join(words[:a]), " ".join(words[b:])
            sub: dict[str, _Acc] = {}
            self._from_tables(sub, piece, max_hops=1)
            for c in sub.values():
                _merge(acc, _join(left, c.text, right), c.sources, 2, 0, c.zipf)

    def zipf_of(self, text: str) -> int:
        """The tables' frequency class of a phrase (0 if the tables do not hold it)."""
        i = self._id(_key(text))
        return int(self.tables.zipf[i]) if i is not None else 0


@dataclass(frozen=True, slots=True)
class _KeyView:
    """``key in view``: is a lookup key a phrase of the lexicon (tables or learned)?"""

    lex: Lexicon

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.lex


def _merge(
    acc: dict[str, _Acc], text: str, sources: frozenset[str], hops: int, count: int, zipf: int
) -> None:
    k = text.lower()
    have = acc.get(k)
    if have is None:
        acc[k] = _Acc(text, sources, hops, count, zipf)
        return
    if hops < have.hops:
        have.hops, have.sources = hops, sources
    elif hops == have.hops:
        have.sources = have.sources | sources
    have.count += count
    have.zipf = max(have.zipf, zipf)


def _pieces(words: list[str]) -> Iterator[tuple[int, int]]:
    """Spans ``[a, b)`` of the proper pieces of a multi-word surface that may stand for a
    whole original: not all function words ("as a replacement of" is no padded "of")."""
    n = len(words)
    for a in range(n):
        for b in range(a + 1, n + 1):
            if b - a < n and not all(w in CLOSED_CLASS for w in words[a:b]):
                yield a, b


def _join(left: str, middle: str, right: str) -> str:
    """``left middle right`` without doubling a boundary word ("the" + "the States")."""
    lw, mw, rw = left.split(), middle.split(), right.split()
    if lw and mw and lw[-1].lower() == mw[0].lower():
        mw = mw[1:]
    if mw and rw and mw[-1].lower() == rw[0].lower():
        mw = mw[:-1]
    return " ".join([*lw, *mw, *rw])


def _edge_rows(t: LexiconTables) -> np.ndarray:
    """The source phrase of every edge (the row of the CSR it sits in), int64."""
    return np.repeat(np.arange(len(t), dtype=np.int64), np.diff(t.indptr))


@lru_cache(maxsize=8192)
def _key_of_text(text: str) -> str:
    if text.isascii() and text.isalpha():
        return text.lower()  # one plain word: the tokenizer would say the same
    return " ".join(tokenize(text).lower)


def _key(surface: str | Sequence[str]) -> str:
    """Lookup key: project tokens, lower-cased, one space apart."""
    if isinstance(surface, str):
        return _key_of_text(surface)
    return " ".join(k for k in map(_key_of_text, surface) if k)


@lru_cache(maxsize=1)
def _load_default() -> Lexicon:
    if not RESOURCE.exists():
        raise FileNotFoundError(f"{RESOURCE} missing: run scripts/build_lexicon.py")
    return Lexicon(load_tables(RESOURCE))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The shipped lexicon (cached), or one loaded from ``path``.

    The cached default is shared: learned pairs added to it are seen by every caller.
    """
    if path is None:
        return _load_default()
    return Lexicon(load_tables(path))
