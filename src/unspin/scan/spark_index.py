"""``unspin index --engine spark``: fingerprint the archive on Spark, commit on the driver.

Spark tasks read the input files (one partition per file or Parquet row group) and compute
each document's fingerprint keys with :func:`unspin.trace.fingerprint.document_keys` --
the expensive part of indexing. The driver streams ``(id, text, keys)`` back in input
order and commits them, pre-fingerprinted, through :meth:`unspin.trace.Index.add_batches`
in batches, so the index is the one the local builder writes (same document numbers, same
segments) and stays crash-safe and resumable in the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.io.jsonio import Fields
from unspin.scan.spark import Unit, _unit_documents, spark_session, work_units

__all__ = ["Fingerprinted", "build_index_spark", "fingerprint_partition"]


@dataclass(frozen=True, slots=True)
class Fingerprinted:
    """A document with its index keys already computed (what :meth:`Index.add` takes as
    pre-fingerprinted; ``keys`` is ``None`` for an unreadable or empty document)."""

    id: str
    text: str
    error: str | None
    keys: np.ndarray | None


def fingerprint_partition(units: Iterable[Unit], fields: Fields) -> Iterator[tuple]:
    """A Spark task: ``(id, text, error, keys)`` for every document of ``units``."""
    from unspin.trace.fingerprint import document_keys

    for unit in units:
        for doc in _unit_documents(unit, fields):
            keys = b""
            if doc.error is None and doc.text.strip():
                keys = document_keys(doc.text).astype(np.uint32).tobytes()
            yield (doc.id, doc.text, doc.error, keys)


def build_index_spark(
    paths: Sequence[str],
    db: str | Path,
    *,
    fields: Fields = Fields(),  # noqa: B008 -- frozen dataclass
    master: str = "local[*]",
    batch_size: int = 1000,
    on_batch: Callable[[Any], None] | None = None,
    watch: Callable[[Iterator[Fingerprinted]], Iterator[Fingerprinted]] | None = None,
) -> Any:
    """Build or extend the index at ``db`` from ``paths`` with Spark; returns the AddReport.

    ``on_batch(report)`` runs after every committed batch; ``watch`` may wrap the stream of
    documents (in input order) on its way to the index, e.g. to count unreadable inputs.
    """
    from unspin.trace import AddReport, Index

    units = work_units(paths)
    report = AddReport()
    if not units:
        return report
    spark = spark_session(master)
    rdd = spark.sparkContext.parallelize(units, len(units)).mapPartitions(
        lambda it: fingerprint_partition(it, fields)
    )

    def docs() -> Iterator[Fingerprinted]:
        for doc_id, text, error, keys in rdd.toLocalIterator(prefetchPartitions=True):
            arr = np.frombuffer(keys, dtype=np.uint32) if keys else None
            yield Fingerprinted(doc_id, text, error, arr)

    stream = watch(docs()) if watch is not None else docs()
    with Index(db, batch_size=batch_size) as idx:
        for rep in idx.add_batches(stream, report):
            if on_batch is not None:
                on_batch(rep)
    return report
