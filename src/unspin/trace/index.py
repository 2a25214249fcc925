"""The public trace API: :class:`Index` (build, extend, query an archive of originals)."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import numpy as np

from unspin.results import TraceResult
from unspin.trace.align import AlignParams, Substitutable
from unspin.trace.candidates import candidates, key_weights
from unspin.trace.fingerprint import document_keys, fingerprint
from unspin.trace.store import MAX_SEGMENT_POSTINGS, Segment, Store, merge_segments
from unspin.trace.terms import Terms, terms_of
from unspin.trace.verdict import VerdictParams, judge

__all__ = ["AddReport", "Archivable", "Index", "TraceParams"]

DB_NAME = "index.sqlite"


class _HasText(Protocol):
    id: str
    text: str


Archivable = _HasText | tuple[str, str] | tuple[str, str, np.ndarray]


@dataclass(frozen=True, slots=True)
class TraceParams:
    """Candidate generation and verification settings."""

    candidates: int = 6  # candidates verified by alignment
    max_df_share: float = 0.02  # keys in more documents than this share (or ...
    min_max_df: int = 50  # ... this many) are too common to look up ...
    max_max_df: int = 1000  # ... and so are keys in more documents than this
    min_shared_keys: int = 4  # distinct keys a candidate shares to be listed at all
    max_matches: int = 5
    related_key_share: float = 0.1  # a related story holds this share of the copy's key weight
    related_weight: float = 10.0  # ... or this much aligned weight
    lexicon: bool = True  # alignment pairs a spinner's swap with its original (spin lexicon)
    align: AlignParams = field(default_factory=AlignParams)
    verdict: VerdictParams = field(default_factory=VerdictParams)


@dataclass(slots=True)
class AddReport:
    """What :meth:`Index.add` did (counts are of committed documents only)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)

    @property
    def stored(self) -> int:
        return self.added + self.updated


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _unpack(doc: Any) -> tuple[str, str, str | None, np.ndarray | None]:
    """``(id, text, error, keys)`` of ``(id, text)``, ``(id, text, keys)`` or an object."""
    if isinstance(doc, tuple):
        doc_id, text, error, keys = doc[0], doc[1], None, doc[2] if len(doc) > 2 else None
    else:
        doc_id, text, error, keys = doc.id, doc.text, getattr(doc, "error", None), None
        keys = getattr(doc, "keys", None)
    if keys is not None:
        keys = np.asarray(keys, dtype=np.uint32)
    return str(doc_id), text, error, keys


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(lo[i], hi[i])`` for all i, without a Python loop."""
    lens = hi - lo
    ends = np.cumsum(lens)
    return np.arange(int(ends[-1])) + np.repeat(lo - (ends - lens), lens)


def _keys_many(texts: list[str]) -> list[np.ndarray]:
    return [document_keys(t) for t in texts]


@dataclass(slots=True)
class _Pending:
    """A batch on its way in: new or changed texts (with their keys when given) and the
    fingerprint jobs of the texts in ``need``."""

    todo: dict[str, tuple[str, np.ndarray | None]]
    need: list[str]
    futures: list[Future[list[np.ndarray]]]
    unchanged: int


def db_path(path: str | Path) -> Path:
    """``DIR/index.sqlite`` for a directory (existing or not); a file path as given."""
    p = Path(path)
    if p.suffix in {".sqlite", ".db", ".sqlite3"} or p.is_file():
        return p
    return p / DB_NAME


class Index:
    """A persistent archive of originals that copies can be traced to.

    >>> with Index("archive/") as idx:          # doctest: +SKIP
    ...     idx.add([("a1", "Original text ...")])
    ...     idx.trace("Spun text ...", id="copy").matches[0].source_id
    'a1'

    ``workers`` > 1 fingerprints documents in that many processes while adding.
    ``substitutable(copy_word, source_word)`` lets alignment count a known synonym swap
    as a match (for instance one backed by the spin lexicon).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        substitutable: Substitutable | None = None,
        params: TraceParams = TraceParams(),
        batch_size: int = 1000,
        readonly: bool = False,
        workers: int = 1,
    ) -> None:
        self.path = db_path(path)
        if readonly and not self.path.exists():
            raise FileNotFoundError(f"no index at {self.path}")
        self.store = Store(self.path, readonly=readonly)
        self.substitutable = substitutable
        self.params = params
        self.batch_size = batch_size
        self.terms_cache_size = 256
        self.workers = workers
        self.max_segment_postings = MAX_SEGMENT_POSTINGS
        self._pool: ProcessPoolExecutor | None = None
        self._segments: list[Segment]
        self._segments, self._n = self.store.read_state()
        self._terms_cache: OrderedDict[int, Terms] = OrderedDict()

    # -- lifecycle ---------------------------------------------------------------------
    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        self.store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __len__(self) -> int:
        return self._n

    # -- building ------------------------------------------------------------------------
    def add(self, documents: Iterable[Archivable]) -> AddReport:
        """Add or update documents; re-adding an id with the same text is a no-op.

        A document is ``(id, text)``, an object with ``id`` and ``text`` (and optionally
        ``error``: skipped, and reported), or pre-fingerprinted: ``(id, text, keys)`` or an
        object with a ``keys`` attribute, where ``keys`` must be
        :func:`~unspin.trace.fingerprint.document_keys` of the text (computed elsewhere,
        for instance in Spark tasks).

        Documents are committed in batches of ``batch_size``; the counts in the returned
        report (and in ``add_batches``) are of committed documents only.
        """
        report = AddReport()
        for _ in self.add_batches(documents, report):
            pass
        return report

    def add_batches(
        self, documents: Iterable[Archivable], report: AddReport | None = None
    ) -> Iterator[AddReport]:
        """Like :meth:`add`, yielding the running report after every committed batch.

        With ``workers`` > 1 the next batch is fingerprinted while this one is written.
        """
        report = report if report is not None else AddReport()
        batch: dict[str, tuple[str, np.ndarray | None]] = {}
        pending: _Pending | None = None
        for doc in documents:
            doc_id, text, error, keys = _unpack(doc)
            if error:
                report.skipped.append((doc_id, error))
                continue
            if not text.strip():
                report.skipped.append((doc_id, "empty text"))
                continue
            batch[doc_id] = (text, keys)
            if len(batch) >= self.batch_size:
                ready, pending = pending, self._prepare(batch)
                batch = {}
                if ready is not None:
                    self._commit(ready, report)
                    yield report
        for ready in (pending, self._prepare(batch) if batch else None):
            if ready is not None:
                self._commit(ready, report)
                yield report

    def _prepare(self, batch: dict[str, tuple[str, np.ndarray | None]]) -> _Pending:
        """Drop documents stored unchanged; start fingerprinting the rest (``workers`` > 1)."""
        known = self.store.digests(list(batch))
        todo = {
            doc_id: item
            for doc_id, item in batch.items()
            if doc_id not in known or known[doc_id][1] != _digest(item[0])
        }
        need = [doc_id for doc_id, (_, keys) in todo.items() if keys is None]
        futures: list[Future[list[np.ndarray]]] = []
        if self.workers > 1 and need:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers)
            texts = [todo[doc_id][0] for doc_id in need]
            futures = [
                self._pool.submit(_keys_many, texts[i : i + 64]) for i in range(0, len(texts), 64)
            ]
        return _Pending(todo, need, futures, len(batch) - len(todo))

    def _commit(self, pending: _Pending, report: AddReport) -> None:
        """Write a prepared batch and its segment in one transaction."""
        report.unchanged += pending.unchanged
        if not pending.todo:
            return
        if pending.futures:
            computed = [k for f in pending.futures for k in f.result()]
        else:
            computed = _keys_many([pending.todo[doc_id][0] for doc_id in pending.need])
        keys_of = dict(zip(pending.need, computed, strict=True))
        known = self.store.digests(list(pending.todo))  # again: a batch may have landed since
        rows: list[tuple[str, bytes, str, np.ndarray]] = []
        replace: list[int] = []
        for doc_id, (text, given) in pending.todo.items():
            k = given if given is not None else keys_of[doc_id]
            digest = _digest(text)
            old = known.get(doc_id)
            if old is not None and old[1] == digest:
                report.unchanged += 1
                continue
            if old is not None:
                replace.append(old[0])
            rows.append((doc_id, digest, text, k))
        if not rows:
            return
        seg = self.store.write_batch(rows, replace)
        self._segments.append(seg)
        self._n += len(rows) - len(replace)
        report.added += len(rows) - len(replace)
        report.updated += len(replace)
        self._compact(force_live=bool(replace))

    def _compact(self, *, force_live: bool = False) -> None:
        """Merge the newest segments while a segment is at most twice the size of the newer
        ones together, and the merge stays within ``max_segment_postings``."""
        segs = self._segments
        take, total = 1, segs[-1].n_postings
        while take < len(segs):
            older = segs[-take - 1].n_postings
            if older > 2 * total or older + total > self.max_segment_postings:
                break
            take, total = take + 1, total + older
        if take < 2:
            return
        old = segs[-take:]
        purge = (force_live or take == len(segs)) and self.store.has_deleted()
        live = self.store.live_docs() if purge else None
        merged = self.store.replace_segments(old, merge_segments(old, live))
        self._segments = [*segs[:-take], merged]

    def _source_terms(self, n: int, text: str) -> Terms:
        """Terms of an archived document, from a small LRU cache (copies come in clusters)."""
        cache = self._terms_cache
        found = cache.get(n)
        if found is None:
            found = cache[n] = terms_of(text)
            if len(cache) > self.terms_cache_size:
                cache.popitem(last=False)
        else:
            cache.move_to_end(n)
        return found

    def text(self, source_id: str) -> str:
        """The archived text of ``source_id`` (``KeyError`` if it is not in the index)."""
        n = self.store.numbers([source_id]).get(source_id)
        found = self.store.texts([n]).get(n) if n is not None else None
        if found is None:
            raise KeyError(source_id)
        return found[1]

    # -- querying ------------------------------------------------------------------------
    def _postings(self, keys: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, ...]:
        """Document frequency of each key, and the postings ``(key index, doc)`` of the
        keys that are not too common (those are never read)."""
        hits: list[tuple[Segment, np.ndarray, np.ndarray, np.ndarray]] = []
        df = np.zeros(len(keys), dtype=np.int64)
        for seg in self._segments:
            if not len(seg.keys):
                continue
            pos = np.searchsorted(seg.keys, keys)
            pos[pos >= len(seg.keys)] = 0
            found = np.flatnonzero(seg.keys[pos] == keys)
            lo = seg.offsets[pos[found]].astype(np.int64)
            hi = seg.offsets[pos[found] + 1].astype(np.int64)
            df[found] += hi - lo
            hits.append((seg, found, lo, hi))
        wanted = key_weights(kinds, df, self._n, self.params) > 0
        post_key: list[np.ndarray] = []
        post_doc: list[np.ndarray] = []
        for seg, found, lo, hi in hits:
            use = wanted[found]
            if use.any():
                post_key.append(np.repeat(found[use], hi[use] - lo[use]))
                post_doc.append(seg.docs[_ranges(lo[use], hi[use])])
        if not post_key:
            return df, np.zeros(0, np.int64), np.zeros(0, np.uint32)
        return df, np.concatenate(post_key), np.concatenate(post_doc)

    def trace(self, text: str, id: str = "", exclude: Collection[str] = ()) -> TraceResult:
        """Sources of ``text`` in the archive: derived ones first, then related ones.

        ``exclude`` names archived documents to ignore (as if they were not indexed).
        """
        copy = terms_of(text)
        if len(copy) == 0:
            return TraceResult(id=id, reason="no words")
        found = self.candidates(copy, exclude)
        return TraceResult(id=id, matches=judge(copy, found, self.params, self.substitutable))

    def candidates(
        self, copy: Terms, exclude: Collection[str] = ()
    ) -> list[tuple[str, Terms, float]]:
        """The archived documents worth aligning with ``copy``, best first:
        ``(source_id, source_terms, key_score)`` (see :func:`unspin.trace.candidates`)."""
        fp = fingerprint(copy)
        skip = np.asarray(sorted(self.store.numbers(exclude).values()), dtype=np.int64)
        df, post_key, post_doc = self._postings(fp.keys, fp.kinds)
        cands, key_scores = candidates(fp.kinds, df, post_key, post_doc, self._n, self.params, skip)
        stored = self.store.texts(cands.tolist())
        return [
            (stored[n][0], self._source_terms(n, stored[n][1]), key_score)
            for n, key_score in zip(cands.tolist(), key_scores.tolist(), strict=True)
            if n in stored  # else replaced since its postings were written
        ]
