"""The Spark engine: the same per-document step as Spark tasks (extra ``[spark]``).

Work units are input files (Parquet files: row groups), one Spark partition each, in
input order; every partition builds one :class:`~unspin.scan.record.Scanner` (one
detector and index load) and the driver streams the records back in order
(``toLocalIterator``), so the output files are the local engine's, byte for byte.
On a cluster, the index path (``--db``) must be readable by every executor (shared
file system, or shipped with ``--files``; see docs/scale.md).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from unspin.io import problems
from unspin.scan.inputs import InputFields, expand_inputs, is_parquet, parquet_row_groups
from unspin.scan.local import Processed, _processed
from unspin.scan.record import Scanner, ScanSettings

__all__ = ["Unit", "scan_partition", "spark_chunks", "spark_session", "work_units"]

# (path, error, parquet row groups or None)
Unit = tuple[str, str | None, list[tuple[int, int]] | None]
APP_NAME = "unspin scan"


def work_units(paths: Sequence[str], row_groups_per_unit: int = 1) -> list[Unit]:
    """Input files in order; a Parquet file becomes one unit per ``row_groups_per_unit``."""
    units: list[Unit] = []
    for path, error in expand_inputs(paths):
        if path == "-":
            raise ValueError("--engine spark cannot read stdin")
        if error is None and is_parquet(path):
            try:
                groups = parquet_row_groups(path)
            except Exception:
                groups = []  # unreadable: the reader reports it in the task
            for i in range(0, max(len(groups), 1), row_groups_per_unit):
                units.append((path, None, groups[i : i + row_groups_per_unit] or None))
        else:
            units.append((path, error, None))
    return units


def _unit_documents(unit: Unit, fields: InputFields) -> Iterator[Any]:
    from unspin.scan.inputs import read_file, read_parquet

    path, error, groups = unit
    if error is not None:
        yield problems.error_document(path, error)
    elif groups is not None:
        yield from read_parquet(path, fields, groups)
    else:
        yield from read_file(path, fields)


def scan_partition(
    units: Iterable[Unit], settings: ScanSettings, fields: InputFields
) -> Iterator[tuple[str, str, bool, bool]]:
    """A Spark task: scan the documents of ``units`` with one Scanner."""
    with Scanner(settings) as scanner:
        for unit in units:
            for doc in _unit_documents(unit, fields):
                p = _processed(scanner.scan(doc), doc)
                yield (p.line, p.label, p.derived, p.unreadable)


def spark_session(master: str, cores: int | None = None) -> Any:
    """A SparkSession whose Python workers run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName(APP_NAME)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.python.worker.reuse", "true")
    )
    if cores:
        builder = builder.config("spark.default.parallelism", str(cores))
    return builder.getOrCreate()


def spark_chunks(
    paths: Sequence[str],
    settings: ScanSettings,
    fields: InputFields,
    *,
    master: str = "local[*]",
    workers: int | None = None,
    chunk_size: int = 64,
) -> Iterator[list[Processed]]:
    """Scanned records in input order, computed by Spark tasks, streamed to the driver."""
    if workers and master == "local[*]":
        master = f"local[{workers}]"
    if settings.db is not None:
        settings = ScanSettings(os.path.abspath(settings.db), settings.threshold, settings.restore)
    units = work_units(paths)
    if not units:
        return
    spark = spark_session(master)
    rdd = spark.sparkContext.parallelize(units, len(units)).mapPartitions(
        lambda it: scan_partition(it, settings, fields)
    )
    rows = (Processed(*r) for r in rdd.toLocalIterator(prefetchPartitions=True))
    while chunk := list(islice(rows, chunk_size)):
        yield chunk
