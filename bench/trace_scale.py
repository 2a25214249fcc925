"""Trace at scale: build throughput, disk, memory and query latency of an index of 10k,
100k (and 1M) documents, and how each grows.

``python -m bench trace_scale [--sizes 10000,100000,1000000] [--queries 200]
[--workers 2] [--no-baselines]``

Documents are synthesised by recombining 8-25 sentences of the corpus articles of split
``lm`` (``unspin.corpora``), seeded, streamed into the index (never held in memory all at
once); the indexes live under ``bench/.cache/trace_scale/`` and are deleted afterwards.
Queries are copies of indexed documents: a contiguous 30-100% of the sentences, spun at
30% by the in-bench Moby thesaurus spinner (``bench.trace.MobySpinner``), traced with
``Index.trace`` on a freshly opened read-only index (5 untimed warm-up queries first).
Baselines on the same documents and queries, in memory (up to 100k documents): bm25s
with the whole copy as the query and datasketch MinHash-LSH on word 5-shingles.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import re
import resource
import shutil
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import Skipped
from bench.trace import BM25System, MinHashSystem, MobySpinner, _partial
from unspin import corpora
from unspin.trace import Index

CACHE = Path(__file__).resolve().parent / ".cache" / "trace_scale"
SPIN_RATE = 0.3
BASELINE_MAX = 100_000


@dataclass(slots=True)
class Row:
    n: int
    build_s: float
    disk: int
    text_bytes: int
    segments: int
    index_ram: int
    open_s: float
    lat: list[float]
    derived_ok: int
    top1_ok: int

    @property
    def rate(self) -> float:
        return self.n / self.build_s

    @property
    def beyond_kib(self) -> float:
        return (self.disk - self.text_bytes) / self.n / 1024

    @property
    def p50(self) -> float:
        return statistics.median(self.lat)

    @property
    def p99(self) -> float:
        return float(np.percentile(self.lat, 99))


def sentence_pool(seed: int = 7) -> list[str]:
    """Sentences (>= 6 words) of the ``lm`` split's articles, shuffled with ``seed``."""
    pool: list[str] = []
    for a in corpora.all_articles():
        if a.split == "lm":
            pool += [s for s in re.split(r"(?<=[.!?])\s+", a.text) if len(s.split()) >= 6]
    random.Random(seed).shuffle(pool)
    return pool


def synth_docs(n: int, pool: list[str], seed: int) -> Iterator[tuple[str, str]]:
    """``n`` documents of 8-25 random pool sentences each, reproducible from ``seed``."""
    rng = random.Random(seed)
    for i in range(n):
        k = rng.randint(8, 25)
        yield f"synth/{i}", " ".join(pool[rng.randrange(len(pool))] for _ in range(k))


def _disk(d: Path) -> int:
    return sum(f.stat().st_size for f in d.iterdir() if f.is_file())


def _queries(picked: dict[int, str], spinner: MobySpinner, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [
        (f"synth/{i}", spinner.spin(_partial(t, rng.uniform(0.3, 1.0), rng), SPIN_RATE, rng))
        for i, t in sorted(picked.items())
    ]


def measure(
    n: int, pool: list[str], spinner: MobySpinner, n_queries: int, workers: int
) -> tuple[Row, list[tuple[str, str]]]:
    """Build an index of ``n`` synthetic documents, then time queries on it."""
    d = CACHE / f"n{n}"
    shutil.rmtree(d, ignore_errors=True)
    want = set(random.Random(n + 1).sample(range(n), min(n_queries, n)))
    picked: dict[int, str] = {}
    text_bytes = 0

    def stream() -> Iterator[tuple[str, str]]:
        nonlocal text_bytes
        for i, (doc_id, text) in enumerate(synth_docs(n, pool, seed=n)):
            text_bytes += len(text.encode("utf-8"))
            if i in want:
                picked[i] = text
            yield doc_id, text

    t = time.perf_counter()
    with Index(d, workers=workers) as idx:
        idx.add(stream())
        segments = len(idx._segments)
    build = time.perf_counter() - t
    disk = _disk(d)
    queries = _queries(picked, spinner, seed=n + 2)
    t = time.perf_counter()
    with Index(d, readonly=True) as idx:
        open_s = time.perf_counter() - t
        ram = sum(s.keys.nbytes + s.offsets.nbytes + s.docs.nbytes for s in idx._segments)
        for _, q in queries[:5]:
            idx.trace(q)
        lat: list[float] = []
        derived_ok = top1_ok = 0
        for doc_id, q in queries:
            t = time.perf_counter()
            res = idx.trace(q)
            lat.append((time.perf_counter() - t) * 1000)
            top = res.matches[0] if res.matches else None
            top1_ok += top is not None and top.source_id == doc_id
            derived_ok += top is not None and top.source_id == doc_id and top.relation == "derived"
    shutil.rmtree(d, ignore_errors=True)
    row = Row(n, build, disk, text_bytes, segments, ram, open_s, lat, derived_ok, top1_ok)
    return row, queries


def baselines(n: int, pool: list[str], queries: list[tuple[str, str]]) -> list[str]:
    """Table rows for bm25s and MinHash-LSH on the same documents and queries."""
    docs = list(synth_docs(n, pool, seed=n))
    out: list[str] = []
    for make in (BM25System, MinHashSystem):
        t = time.perf_counter()
        system = make(docs)
        build = time.perf_counter() - t
        lat: list[float] = []
        ok = 0
        for doc_id, q in queries:
            t = time.perf_counter()
            ans = system.query(q, frozenset())
            lat.append((time.perf_counter() - t) * 1000)
            ok += ans.top == doc_id
        out.append(
            f"| {make.name} | {n:,} | {n / build:,.0f} | {statistics.median(lat):.1f} | "
            f"{np.percentile(lat, 99):.1f} | {ok / len(queries):.3f} |"
        )
        del system
    return out


def _slope(a: float, b: float, na: int, nb: int) -> str:
    return f"{math.log(b / a) / math.log(nb / na):+.2f}" if a > 0 and b > 0 else "-"


def report(rows: list[Row], base: list[str], workers: int, n_queries: int) -> str:
    lines = [
        "# Trace at scale",
        "",
        f"Synthetic documents (8-25 recombined corpus sentences, ~2.3 KB each), built with "
        f"`Index(workers={workers})` in batches of 1,000 committed as they go (build time "
        "includes closing the index). Queries: "
        f"{n_queries} copies of indexed documents (30-100% of the sentences, {SPIN_RATE:.0%} "
        "spun by the Moby thesaurus spinner) on a freshly opened read-only index. Targets: "
        "build >= 1,000 docs/s on 2 cores; <= 3 KB/doc on disk beyond the text; query "
        "p50 <= 20 ms, p99 <= 100 ms.",
        "",
        "| docs | build s | build docs/s | disk MiB | text MiB | KiB/doc beyond text "
        "| segments | postings RAM MiB | open s | query p50 ms | query p99 ms "
        "| recall@1 derived | top-1 right |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.n:,} | {r.build_s:.1f} | {r.rate:,.0f} | {r.disk / 2**20:,.0f} | "
            f"{r.text_bytes / 2**20:,.0f} | {r.beyond_kib:.2f} | {r.segments} | "
            f"{r.index_ram / 2**20:,.0f} | {r.open_s:.2f} | {r.p50:.1f} | {r.p99:.1f} | "
            f"{r.derived_ok / len(r.lat):.3f} | {r.top1_ok / len(r.lat):.3f} |"
        )
    if len(rows) > 1:
        lines += [
            "",
            "Growth between sizes (exponent = log(ratio) / log(size ratio): 0 flat, "
            "1 linear in the archive size):",
            "",
            "| from -> to | build docs/s ratio | KiB/doc ratio | p50 ratio (exponent) "
            "| p99 ratio (exponent) | open s ratio |",
            "|---|---|---|---|---|---|",
        ]
        for a, b in itertools.pairwise(rows):
            lines.append(
                f"| {a.n:,} -> {b.n:,} | {b.rate / a.rate:.2f} | "
                f"{b.beyond_kib / a.beyond_kib:.2f} | {b.p50 / a.p50:.2f} "
                f"({_slope(a.p50, b.p50, a.n, b.n)}) | {b.p99 / a.p99:.2f} "
                f"({_slope(a.p99, b.p99, a.n, b.n)}) | {b.open_s / max(a.open_s, 1e-9):.1f} |"
            )
    if base:
        lines += [
            "",
            "Baselines on the same documents and queries (in memory, not persistent; "
            "top-1 right = the copied document ranked first):",
            "",
            "| system | docs | build docs/s | query p50 ms | query p99 ms | top-1 right |",
            "|---|---|---|---|---|---|",
            *base,
        ]
        by_n = {r.n: r for r in rows}
        for line in base:
            cells = [c.strip() for c in line.strip("|").split("|")]
            name, n = cells[0], int(cells[1].replace(",", ""))
            r = by_n[n]
            lines.append(
                f"| unspin / {name} ratio | {n:,} | "
                f"{r.rate / float(cells[2].replace(',', '')):.2f} | "
                f"{r.p50 / float(cells[3]):.2f} | {r.p99 / float(cells[4]):.2f} | |"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    lines += ["", f"Peak resident memory of the benchmark process: {peak:,.0f} MiB."]
    return "\n".join(lines)


def run(argv: list[str]) -> str:
    ap = argparse.ArgumentParser(prog="python -m bench trace_scale")
    ap.add_argument("--sizes", default="10000,100000", help="archive sizes, comma-separated")
    ap.add_argument("--queries", type=int, default=200, help="queries per size")
    ap.add_argument("--workers", type=int, default=2, help="index build workers")
    ap.add_argument("--no-baselines", action="store_true", help="skip MinHash-LSH and BM25")
    args = ap.parse_args(argv)
    if corpora.shared_dir() is None:
        raise Skipped("../shared (the research corpora) not found")
    sizes = [int(x) for x in args.sizes.split(",")]
    n_queries, workers = args.queries, args.workers
    pool = sentence_pool()
    spinner = MobySpinner()
    rows: list[Row] = []
    base: list[str] = []
    for n in sizes:
        row, queries = measure(n, pool, spinner, n_queries, workers)
        rows.append(row)
        print(f"{n:,}: {row.rate:,.0f} docs/s, p50 {row.p50:.1f} ms, p99 {row.p99:.1f} ms")
        if not args.no_baselines and n <= BASELINE_MAX:
            base += baselines(n, pool, queries)
    return report(rows, base, workers, n_queries)
