"""``results.parquet``: the JSONL records as a typed Parquet table (written from the JSONL)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["jsonl_to_parquet", "schema"]


def schema() -> Any:
    """The Arrow schema of a scan record (see :data:`unspin.scan.record.RECORD_FIELDS`)."""
    import pyarrow as pa

    i64, f64, s = pa.int64(), pa.float64(), pa.string()
    span = pa.struct(
        [("start", i64), ("end", i64), ("text", s), ("original", s), ("score", f64),
         ("evidence", s)]
    )  # fmt: skip
    change = pa.struct(
        [("start", i64), ("end", i64), ("text", s), ("original", s), ("confidence", f64)]
    )
    passage = pa.struct([("start", i64), ("end", i64), ("source_start", i64), ("source_end", i64)])
    match = pa.struct(
        [("source_id", s), ("score", f64), ("relation", s), ("derived_fraction", f64),
         ("passages", pa.list_(passage)), ("rewrite_type", s), ("confidence", f64)]
    )  # fmt: skip
    return pa.schema(
        [
            ("id", s),
            ("spin_probability", f64),
            ("label", s),
            ("reason", s),
            ("spans", pa.list_(span)),
            ("n_words", i64),
            ("warnings", pa.list_(s)),
            ("scorer", s),
            ("restored", s),
            ("restore_reason", s),
            ("changes", pa.list_(change)),
            ("matches", pa.list_(match)),
            ("trace_reason", s),
            ("url", s),
            ("origin", s),
        ]
    )


def jsonl_to_parquet(jsonl: Path, out: Path, batch_rows: int = 2000) -> int:
    """Stream ``jsonl`` into ``out`` (atomically replaced) in row groups; returns the rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sch = schema()
    names = sch.names
    tmp = out.with_suffix(".parquet.tmp")
    rows = 0
    with pq.ParquetWriter(tmp, sch, compression="zstd") as writer, jsonl.open("rb") as fh:
        batch: list[dict[str, Any]] = []
        for line in fh:
            rec = json.loads(line)
            batch.append({k: rec.get(k) for k in names})
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=sch))
                rows += len(batch)
                batch = []
        if batch or rows == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=sch))
            rows += len(batch)
    os.replace(tmp, out)
    return rows
