"""``unspin index --engine spark``: fingerprint the archive on Spark, commit on the driver.

Spark tasks read the input files (one partition per file or Parquet row group) and compute
each document's fingerprint keys with :func:`unspin.trace.fingerprint.fingerprint` -- the
expensive part of indexing. The driver streams ``(id, text, keys)`` back in input order
and commits them through :class:`unspin.trace.Index` in batches, so the index is the
one the local builder writes (same document numbers, same segments) and stays crash-safe
and resumable in the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.io.document import Document
from unspin.scan.inputs import InputFields
from unspin.scan.spark import Unit, _unit_documents, spark_session, work_units

__all__ = ["Fingerprinted", "build_index_spark", "fingerprint_partition"]


@dataclass(frozen=True, slots=True)
class Fingerprinted:
    """A document with its keys computed (``keys`` as uint32 bytes)."""

    id: str
    text: str
    error: str | None
    keys: bytes


def fingerprint_partition(units: Iterable[Unit], fields: InputFields) -> Iterator[tuple]:
    """A Spark task: ``(id, text, error, keys)`` for every document of ``units``."""
    from unspin.trace.fingerprint import fingerprint
    from unspin.trace.terms import terms_of

    for unit in units:
        for doc in _unit_documents(unit, fields):
            keys = b""
            if doc.error is None and doc.text.strip():
                keys = fingerprint(terms_of(doc.text)).keys.astype(np.uint32).tobytes()
            yield (doc.id, doc.text, doc.error, keys)


class _KnownKeys:
    """Stands in for the Index's fingerprinting pool: answers ``submit(fn, texts)`` with
    the keys Spark already computed (looked up by text), as a completed future.

    TODO(trace): replace with a public "add pre-fingerprinted documents" hook on Index.
    """

    def __init__(self) -> None:
        self.by_text: dict[str, np.ndarray] = {}

    def submit(self, fn: Callable[..., Any], texts: list[str]) -> Future[list[np.ndarray]]:
        done: Future[list[np.ndarray]] = Future()
        done.set_result([self.by_text[t] for t in texts])
        return done

    def shutdown(self, wait: bool = True) -> None:
        self.by_text.clear()


def build_index_spark(
    paths: Sequence[str],
    db: str | Path,
    *,
    fields: InputFields = InputFields(),  # noqa: B008 -- frozen dataclass
    master: str = "local[*]",
    batch_size: int = 1000,
    on_batch: Callable[[Any], None] | None = None,
) -> Any:
    """Build or extend the index at ``db`` from ``paths`` with Spark; returns the AddReport."""
    from unspin.trace import AddReport, Index

    units = work_units(paths)
    report = AddReport()
    if not units:
        return report
    spark = spark_session(master)
    rdd = spark.sparkContext.parallelize(units, len(units)).mapPartitions(
        lambda it: fingerprint_partition(it, fields)
    )
    known = _KnownKeys()
    with Index(db, batch_size=batch_size) as idx:
        # The Index fingerprints through its pool when workers > 1: hand it Spark's keys.
        idx.workers = 2
        idx._pool = known  # type: ignore[assignment]

        def docs() -> Iterator[Document]:
            for doc_id, text, error, keys in rdd.toLocalIterator(prefetchPartitions=True):
                if error is None and text.strip():
                    known.by_text[text] = np.frombuffer(keys, dtype=np.uint32)
                yield Document(doc_id, text, error=error)

        for rep in idx.add_batches(docs(), report):
            known.by_text.clear()
            if on_batch is not None:
                on_batch(rep)
        idx._pool = None
    return report
