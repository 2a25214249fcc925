"""On-disk index storage: one SQLite database (WAL), no server.

Tables:

* ``docs(n, id, digest, text)`` -- the archived originals; ``n`` is an internal number that
  is never reused (AUTOINCREMENT), so postings of a replaced document can never point to
  its successor;
* ``segments(seg, keys, offsets, docs)`` -- the inverted index as immutable sorted
  segments (CSR arrays stored as blobs): ``docs[offsets[i]:offsets[i+1]]`` are the
  documents holding ``keys[i]``. Every batch of documents is written together with its
  own segment in one transaction, so a crash (even ``kill -9``) loses at most the batch in
  flight and never leaves documents without postings. Segments are merged
  log-structured (a new segment absorbs older ones that are not more than twice its
  size) up to a size cap (``MAX_SEGMENT_POSTINGS``), which keeps their number
  logarithmic in the archive size below the cap and linear, with a small slope, above it
  (about one segment per 100,000 articles), and bounds the memory and time of a merge.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["MAX_SEGMENT_POSTINGS", "Segment", "Store", "build_segment", "merge_segments"]

SCHEMA_VERSION = "1"
MAX_SEGMENT_POSTINGS = 1 << 25  # ~120,000 news articles; a merge never grows a segment past it

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs(
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    digest BLOB NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS segments(
    seg INTEGER PRIMARY KEY AUTOINCREMENT,
    n_postings INTEGER NOT NULL,
    keys BLOB NOT NULL,
    offsets BLOB NOT NULL,
    docs BLOB NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Segment:
    """Sorted distinct ``keys`` (uint32), CSR ``offsets`` (uint32) and posting ``docs``."""

    keys: np.ndarray
    offsets: np.ndarray
    docs: np.ndarray
    seg: int = 0

    @property
    def n_postings(self) -> int:
        return len(self.docs)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    # stable = timsort for 64-bit ints: a merge of k sorted segments costs n log k, not
    # n log n (and quicksort is at its slowest on such runs)
    x = np.sort(x, kind="stable")
    if len(x):
        x = x[np.concatenate([[True], x[1:] != x[:-1]])]
    return x


def build_segment(keys: np.ndarray, docs: np.ndarray) -> Segment:
    """A segment from parallel arrays of (key, doc) postings (any order, duplicates ok)."""
    pairs = _sorted_unique((keys.astype(np.uint64) << np.uint64(32)) | docs.astype(np.uint64))
    k = (pairs >> np.uint64(32)).astype(np.uint32)
    d = (pairs & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    starts = np.flatnonzero(np.concatenate([[True], k[1:] != k[:-1]])) if len(k) else k
    offsets = np.append(starts, len(k)).astype(np.uint32)
    return Segment(k[starts], offsets, d)


def merge_segments(segments: Sequence[Segment], live: np.ndarray | None = None) -> Segment:
    """One segment holding the postings of ``segments`` (only docs in ``live``, if given)."""
    keys = np.concatenate([np.repeat(s.keys, np.diff(s.offsets)) for s in segments])
    docs = np.concatenate([s.docs for s in segments])
    if live is not None:
        ok = np.isin(docs, live)
        keys, docs = keys[ok], docs[ok]
    return build_segment(keys, docs)


class Store:
    """The SQLite file behind an :class:`~unspin.trace.Index`."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, check_same_thread=False)
            # page size and auto-vacuum only take on a new file; 16 KiB pages pack the
            # 1-4 KB article rows with far less slack than the default 4 KiB
            self.db.execute("PRAGMA page_size=16384")
            self.db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
            self.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
            self.db.commit()
        self.db.execute("PRAGMA cache_size=-65536")
        self.readonly = readonly

    def close(self) -> None:
        """Close; a writer first returns pages freed by merges and folds the WAL back."""
        if not self.readonly:
            try:
                self.db.execute("PRAGMA incremental_vacuum").fetchall()  # steps until done
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError:  # busy with a reader: leave it for next time
                pass
        self.db.close()

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def has_deleted(self) -> bool:
        """Whether any document was ever replaced (document numbers are never reused)."""
        row = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'docs'").fetchone()
        return row is not None and int(row[0]) > self.count()

    def live_docs(self) -> np.ndarray:
        rows = self.db.execute("SELECT n FROM docs").fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.uint32, count=len(rows))

    def digests(self, ids: Sequence[str]) -> dict[str, tuple[int, bytes]]:
        """``id -> (n, digest)`` for the ids already stored."""
        out: dict[str, tuple[int, bytes]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for n, doc_id, digest in self.db.execute(
                f"SELECT n, id, digest FROM docs WHERE id IN ({marks})", chunk
            ):
                out[doc_id] = (n, digest)
        return out

    def numbers(self, ids: Iterable[str]) -> dict[str, int]:
        """``id -> n`` for the ids that are stored."""
        return {doc_id: n for doc_id, (n, _) in self.digests(list(ids)).items()}

    def texts(self, ns: Iterable[int]) -> dict[int, tuple[str, str]]:
        """``n -> (id, text)`` for the documents that still exist."""
        ns = [int(n) for n in ns]
        if not ns:
            return {}
        marks = ",".join("?" * len(ns))
        rows = self.db.execute(f"SELECT n, id, text FROM docs WHERE n IN ({marks})", ns)
        return {n: (doc_id, text) for n, doc_id, text in rows}

    def read_state(self) -> tuple[list[Segment], int]:
        """Segments and document count read in one transaction: one consistent snapshot,
        even while a writer commits batches."""
        own = not self.db.in_transaction
        if own:
            self.db.execute("BEGIN")
        try:
            return self.segments(), self.count()
        finally:
            if own:
                self.db.execute("COMMIT")

    def segments(self) -> list[Segment]:
        rows = self.db.execute("SELECT seg, keys, offsets, docs FROM segments ORDER BY seg")
        return [
            Segment(
                np.frombuffer(k, dtype=np.uint32),
                np.frombuffer(o, dtype=np.uint32),
                np.frombuffer(d, dtype=np.uint32),
                seg,
            )
            for seg, k, o, d in rows
        ]

    def _insert_segment(self, seg: Segment) -> Segment:
        cur = self.db.execute(
            "INSERT INTO segments(n_postings, keys, offsets, docs) VALUES (?, ?, ?, ?)",
            (seg.n_postings, seg.keys.tobytes(), seg.offsets.tobytes(), seg.docs.tobytes()),
        )
        return Segment(seg.keys, seg.offsets, seg.docs, int(cur.lastrowid or 0))

    def write_batch(
        self,
        docs: Sequence[tuple[str, bytes, str, np.ndarray]],
        replace: Sequence[int],
    ) -> Segment:
        """Store ``(id, digest, text, keys)`` rows and their segment in one transaction.

        ``replace`` are the numbers of stored documents whose id is re-added with new text.
        """
        with self.db:
            if not self.db.in_transaction:
                self.db.execute("BEGIN IMMEDIATE")  # the write lock before reading seq
            if replace:
                self.db.executemany("DELETE FROM docs WHERE n = ?", [(n,) for n in replace])
            # the only writer inside this transaction: number the rows seq+1, seq+2, ...
            # exactly as AUTOINCREMENT would
            row = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'docs'").fetchone()
            first = (int(row[0]) if row is not None else 0) + 1
            self.db.executemany(
                "INSERT INTO docs(n, id, digest, text) VALUES (?, ?, ?, ?)",
                [(first + i, d[0], d[1], d[2]) for i, d in enumerate(docs)],
            )
            lens = [len(d[3]) for d in docs]
            seg = build_segment(
                np.concatenate([d[3] for d in docs]) if docs else np.zeros(0, np.uint32),
                np.repeat(np.arange(first, first + len(docs), dtype=np.uint32), lens),
            )
            return self._insert_segment(seg)

    def replace_segments(self, old: Sequence[Segment], new: Segment) -> Segment:
        """Atomically swap ``old`` segments for their merge ``new``."""
        with self.db:
            self.db.executemany("DELETE FROM segments WHERE seg = ?", [(s.seg,) for s in old])
            return self._insert_segment(new)
