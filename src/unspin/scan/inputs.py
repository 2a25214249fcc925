"""Scan inputs: every reader of :mod:`unspin.io` plus Parquet, as one ordered stream."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from unspin.io import problems
from unspin.io.document import Document
from unspin.io.jsonio import Fields, doc_from_object
from unspin.io.read import expand_path

__all__ = ["count_documents", "expand_inputs", "read_file", "read_scan_inputs"]

PARQUET_SUFFIX = ".parquet"


def expand_inputs(paths: Sequence[str]) -> list[tuple[str, str | None]]:
    """``(file, None)`` for every input file in order, ``(path, error)`` for unreadable folders.

    Folders are walked as :func:`unspin.io.read_documents` walks them.
    """
    out: list[tuple[str, str | None]] = []
    for name in paths:
        if name == "-":
            out.append((name, None))
        else:
            out.extend(expand_path(os.fspath(name)))
    return out


def is_parquet(path: str) -> bool:
    return path.lower().endswith(PARQUET_SUFFIX)


def parquet_row_groups(path: str) -> list[tuple[int, int]]:
    """``(row_group, first_row)`` of every row group of a Parquet file (Spark work units)."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    out, first = [], 0
    for i in range(meta.num_row_groups):
        out.append((i, first))
        first += meta.row_group(i).num_rows
    return out


def read_parquet(
    path: str, fields: Fields, row_groups: Sequence[tuple[int, int]] | None = None
) -> Iterator[Document]:
    """Documents of a Parquet file, one per row (``path#row`` when a row has no id).

    ``row_groups`` (from :func:`parquet_row_groups`) limits reading to those groups.
    """
    try:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        groups = list(row_groups) if row_groups is not None else parquet_row_groups(path)
    except ImportError:
        yield problems.error_document(path, "Parquet input needs pyarrow (pip install pyarrow)")
        return
    except Exception as e:  # pyarrow raises several types for damaged files
        yield problems.error_document(path, f"unreadable Parquet file {path}: {e}")
        return
    if fields.text not in pf.schema_arrow.names:
        missing = f"Parquet file {path} has no column {fields.text!r}"
        yield problems.error_document(path, missing)
        return
    for group, first in groups:
        for k, obj in enumerate(pf.read_row_group(group).to_pylist(), start=first + 1):
            yield _parquet_doc(obj, path, k, fields)


def _parquet_doc(obj: dict[str, object], path: str, row: int, fields: Fields) -> Document:
    loc = f"{path}#{row}"
    text = obj.get(fields.text)
    if isinstance(text, str) and len(text.encode("utf-8")) > fields.max_bytes:
        doc_id = str(obj.get(fields.id) or loc)
        return problems.error_document(
            doc_id, f"document larger than {fields.max_bytes} bytes", loc
        )
    return doc_from_object(obj, loc, f"{path} row {row}", loc, fields)


def read_file(path: str, fields: Fields) -> Iterator[Document]:
    """The documents of one input file (or ``-``): Parquet here, the rest by unspin.io."""
    if is_parquet(path):
        yield from read_parquet(path, fields)
        return
    from unspin.io import read_documents

    yield from read_documents(
        [path], id_field=fields.id, text_field=fields.text, max_bytes=fields.max_bytes
    )


def read_scan_inputs(paths: Sequence[str], fields: Fields) -> Iterator[Document]:
    """Every document of ``paths`` (files, folders, ``-``) in a stable order."""
    for path, error in expand_inputs(paths):
        if error is not None:
            yield problems.error_document(path, error)
        else:
            yield from read_file(path, fields)


def count_documents(paths: Sequence[str]) -> int | None:
    """The number of input documents when cheap to know (Parquet, plain JSONL), else None."""
    total = 0
    for path, error in expand_inputs(paths):
        if error is not None or path == "-":
            return None
        if is_parquet(path):
            try:
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            except Exception:
                return None
        elif path.lower().endswith((".jsonl", ".ndjson")):
            total += _count_lines(path)
        else:
            return None
    return total


def _count_lines(path: str) -> int:
    n = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")
