"""Trace on Spark without shipping the index to every task: a join on fingerprint keys.

The archive is exported once from the SQLite index to two Parquet tables
(:func:`export_archive`): ``postings(key, n)`` and ``docs(n, id, text)``. A scan then

1. fingerprints every copy in its task (:func:`unspin.trace.fingerprint.fingerprint`,
   the functions the index uses) -> ``(uid, key, kind)``;
2. joins the keys with the document frequency of each key and, for keys not too common,
   with their postings -> per copy, the postings it shares with the archive;
3. scores candidates per copy exactly as :meth:`unspin.trace.Index.trace` does
   (:func:`score_candidates`), keeps the best few, joins their texts, and verifies them
   by alignment in the copy's task (:func:`verify`).

Only the postings of a copy's own keys and the texts of its few candidates travel to its
task; the index is never broadcast.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from unspin.results import TraceResult
from unspin.trace.candidates import candidates, max_df
from unspin.trace.index import TraceParams, db_path

__all__ = ["export_archive", "score_candidates", "spark_traces", "verify"]

DOCS = "docs.parquet"
POSTINGS = "postings.parquet"


def export_archive(db: str | Path, out: str | Path, rows_per_group: int = 5000) -> Path:
    """Write ``out/docs.parquet`` and ``out/postings.parquet`` from a SQLite index."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from unspin.trace.store import Store

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    store = Store(db_path(db), readonly=True)
    try:
        psch = pa.schema([("key", pa.int64()), ("n", pa.int64())])
        with pq.ParquetWriter(out / POSTINGS, psch) as w:
            for seg in store.segments():
                keys = np.repeat(seg.keys, np.diff(seg.offsets)).astype(np.int64)
                w.write_table(pa.table({"key": keys, "n": seg.docs.astype(np.int64)}, psch))
        dsch = pa.schema([("n", pa.int64()), ("id", pa.string()), ("text", pa.string())])
        with pq.ParquetWriter(out / DOCS, dsch) as w:
            cur = store.db.execute("SELECT n, id, text FROM docs ORDER BY n")
            while rows := cur.fetchmany(rows_per_group):
                n, ids, texts = zip(*rows, strict=True)
                w.write_table(pa.table({"n": list(n), "id": list(ids), "text": list(texts)}, dsch))
    finally:
        store.close()
    return out


def score_candidates(
    keys: np.ndarray,
    kinds: np.ndarray,
    df: np.ndarray,
    post_key: np.ndarray,
    post_doc: np.ndarray,
    n_docs: int,
    p: TraceParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidates and key scores for one copy: :func:`unspin.trace.candidates.candidates`
    (what :meth:`unspin.trace.Index.trace` ranks with) on postings given by key value.

    ``df[i]`` is the document frequency of ``keys[i]`` (distinct keys); ``(post_key,
    post_doc)`` hold the postings of the keys that are not too common.
    """
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    at = np.searchsorted(sorted_keys, post_key)
    at[at >= len(sorted_keys)] = 0
    known = sorted_keys[at] == post_key if len(post_key) else np.zeros(0, bool)
    return candidates(kinds, df, order[at[known]], post_doc[known], n_docs, p)


def verify(
    doc_id: str, text: str, cands: list[tuple[int, float, str, str]], p: TraceParams
) -> TraceResult:
    """Align each candidate ``(n, key_score, source_id, source_text)``, best first."""
    from unspin.trace.terms import terms_of
    from unspin.trace.verdict import judge

    copy = terms_of(text)
    if len(copy) == 0:
        return TraceResult(id=doc_id, reason="no words")
    found = [(source_id, terms_of(source_text), key) for _, key, source_id, source_text in cands]
    return TraceResult(id=doc_id, matches=judge(copy, found, p))


def _copy_keys(rows: Iterable[tuple[int, str, str | None]]) -> Iterator[tuple[int, int, int]]:
    from unspin.trace.fingerprint import fingerprint
    from unspin.trace.terms import terms_of

    for uid, text, error in rows:
        if error is not None or not text.strip():
            continue
        fp = fingerprint(terms_of(text))
        for k, kind in zip(fp.keys.tolist(), fp.kinds.tolist(), strict=True):
            yield (uid, int(k), int(kind))


def spark_traces(spark: Any, copies: Any, archive: str | Path, p: TraceParams) -> Any:
    """``(uid, (TraceResult, {source_id: text}))`` pairs for an RDD of ``(uid, text, error)``.

    Copies without any candidate get no pair (the caller treats them as no match).
    """
    from pyspark.sql import functions as F

    archive = os.fspath(archive)
    postings = spark.read.parquet(os.path.join(archive, POSTINGS))
    docs = spark.read.parquet(os.path.join(archive, DOCS))
    n_docs = docs.count()
    too_common = max_df(n_docs, p)
    ck = spark.createDataFrame(copies.mapPartitions(_copy_keys), "uid long, key long, kind int")
    df = postings.groupBy("key").agg(F.count(F.lit(1)).alias("df"))
    ckd = ck.join(df, "key", "left").fillna(0, ["df"]).cache()
    per_copy_keys = ckd.groupBy("uid").agg(
        F.collect_list(F.struct("key", "kind", "df")).alias("keys")
    )
    shared = (
        ckd.filter((F.col("df") > 0) & (F.col("df") <= too_common))
        .select("uid", "key")
        .join(postings, "key")
        .groupBy("uid")
        .agg(F.collect_list(F.struct("key", "n")).alias("posts"))
    )
    joined = per_copy_keys.join(shared, "uid", "left")

    def candidates(rows: Iterable[Any]) -> Iterator[tuple[int, int, int, float]]:
        for r in rows:
            keys = np.array([x["key"] for x in r["keys"]], dtype=np.int64)
            kinds = np.array([x["kind"] for x in r["keys"]], dtype=np.int64)
            dfs = np.array([x["df"] for x in r["keys"]], dtype=np.int64)
            posts = r["posts"] or []
            pk = np.array([x["key"] for x in posts], dtype=np.int64)
            pd = np.array([x["n"] for x in posts], dtype=np.int64)
            ns, scores = score_candidates(keys, kinds, dfs, pk, pd, n_docs, p)
            for rank, (n, s) in enumerate(zip(ns.tolist(), scores.tolist(), strict=True)):
                yield (r["uid"], rank, n, s)

    cands = spark.createDataFrame(
        joined.rdd.mapPartitions(candidates), "uid long, rank int, n long, score double"
    )
    with_text = cands.join(docs, "n").select("uid", "rank", "n", "score", "id", "text")
    grouped = with_text.rdd.map(
        lambda r: (r["uid"], (r["rank"], r["n"], r["score"], r["id"], r["text"]))
    ).groupByKey()
    texts = copies.map(lambda c: (c[0], c[1]))

    def check(item: tuple[int, tuple[Any, str]]) -> tuple[int, tuple[TraceResult, dict]]:
        uid, (found, text) = item
        cs = sorted(found)
        res = verify("", text, [(n, s, i, t) for _, n, s, i, t in cs], p)
        return uid, (res, {i: t for _, _, _, i, t in cs})

    return grouped.join(texts).map(check)
