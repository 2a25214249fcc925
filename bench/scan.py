"""Scan benchmark: throughput on 1 and 2 workers, Spark local[2] vs local, kill-and-resume,
per-stage costs and peak memory on a 1 GB input.

``python -m bench scan [--docs N] [--restore-docs N] [--kills N] [--rss-seconds S] [--quick]``

Data (built under bench/.cache/scan/ from ``unspin.corpora``; rebuilt when missing): an
archive of Reuters + BBC originals indexed with ``unspin index``, and a crawl of N documents
in 8 JSONL shards: 25% spun copies of archived articles (red-team spinner profiles, rates
0.2-0.5), 10% verbatim copies, 65% articles that are not in the archive; each with a URL on
one of 40 made-up sites. The machine is shared with other jobs: wall-clock figures are
noisy and worker scaling is bounded by the cores actually free.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from unspin import corpora
from unspin.io.document import Document
from unspin.scan import Scanner, ScanSettings, run_scan
from unspin.simulate import TRAIN_PROFILES, spin

CACHE = Path(__file__).resolve().parent / ".cache" / "scan"
CLI = "import unspin.cli, unspin.cli.scan; unspin.cli.main()"
SHARDS = 8


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------
def _articles(n: int) -> list[corpora.Article]:
    out = []
    for a in corpora.all_articles():
        if a.corpus != "isot" and 80 <= len(a.text.split()) <= 1500:
            out.append(a)
            if len(out) >= n:
                break
    return out


def build_data(n_docs: int, seed: int = 7) -> tuple[list[Path], Path, Path]:
    """(crawl shards, archive JSONL, index dir), cached by size."""
    d = CACHE / f"n{n_docs}"
    shards = [d / f"crawl-{i:02d}.jsonl" for i in range(SHARDS)]
    archive, db = d / "archive.jsonl", d / "index"
    if all(p.exists() for p in shards) and (db / "index.sqlite").exists():
        return shards, archive, db
    d.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    n_spun, n_copy = n_docs // 4, n_docs // 10
    n_archive = max(n_spun + n_copy, n_docs // 2)
    arts = _articles(n_archive + (n_docs - n_spun - n_copy))
    archived, fresh = arts[:n_archive], arts[n_archive:]
    with archive.open("w", encoding="utf-8") as fh:
        for a in archived:
            fh.write(json.dumps({"id": a.id, "text": a.text}) + "\n")
    rows: list[dict[str, str]] = []
    profiles = list(TRAIN_PROFILES)
    for i in range(n_spun):
        a = archived[i % len(archived)]
        prof = profiles[i % len(profiles)]
        text = spin(a.text, prof, rng.choice((0.2, 0.3, 0.4, 0.5)), seed=i).text
        rows.append({"id": f"spun/{i}", "text": text, "truth": a.id})
    for i in range(n_copy):
        a = archived[n_spun + i]
        rows.append({"id": f"copy/{i}", "text": a.text, "truth": a.id})
    for a in fresh:
        rows.append({"id": f"fresh/{a.id}", "text": a.text, "truth": ""})
    rng.shuffle(rows)
    for k, row in enumerate(rows):
        row["url"] = f"https://www.site{k % 40}.example/{k}"
    per = -(-len(rows) // SHARDS)
    for i, p in enumerate(shards):
        with p.open("w", encoding="utf-8") as fh:
            for row in rows[i * per : (i + 1) * per]:
                fh.write(json.dumps(row) + "\n")
    _index(archive, db)
    return shards, archive, db


def _index(archive: Path, db: Path) -> None:
    from unspin.io import read_documents
    from unspin.trace import Index

    with Index(db) as idx:
        idx.add(read_documents([archive]))


# --------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------
def _timed_scan(out: Path, inputs: list[Path], **kw: object) -> tuple[float, float, Path]:
    """(wall seconds, steady docs/s after the first chunk arrived, results path)."""
    first: list[tuple[float, int]] = []

    def on_chunk(chunk: list, counts: object) -> None:  # type: ignore[type-arg]
        if not first:
            first.append((time.perf_counter(), len(chunk)))

    t = time.perf_counter()
    outcome = run_scan(
        [str(p) for p in inputs], out, restart=True, finalize=False, on_chunk=on_chunk, **kw
    )  # type: ignore[arg-type]
    end = time.perf_counter()
    n = outcome.counts.documents
    steady = (n - first[0][1]) / max(end - first[0][0], 1e-9) if first else 0.0
    return end - t, steady, out / "results.jsonl"


def stage_costs(inputs: list[Path], db: Path, n: int) -> dict[str, float]:
    """Median CPU ms per document for detect, trace and restore (spun documents only)."""
    from unspin.detect import check_document

    docs = []
    for p in inputs:
        for line in p.open(encoding="utf-8"):
            docs.append(json.loads(line))
            if len(docs) >= n:
                break
    sc = Scanner(ScanSettings(db=str(db)))
    sc.scan(Document("warm", docs[0]["text"]))
    det, tra, res = [], [], []
    for d in docs:
        doc = Document(d["id"], d["text"])
        t = time.process_time()
        check = check_document(doc)
        det.append(time.process_time() - t)
        t = time.process_time()
        traced = sc._trace(doc)
        tra.append(time.process_time() - t)
        if check.label == "spun":
            t = time.process_time()
            sc._restore(doc, check, sc._source_text(traced["matches"]))
            res.append(time.process_time() - t)
    sc.close()
    med = statistics.median
    return {
        "detect": 1000 * med(det),
        "trace": 1000 * med(tra),
        "restore": 1000 * med(res) if res else float("nan"),
        "restore_mean": 1000 * statistics.fmean(res) if res else float("nan"),
        "spun_share": len(res) / len(docs),
        "n": len(docs),
        "mean_all": 1000 * (sum(det) + sum(tra) + sum(res)) / len(docs),
    }


def _ids(path: Path) -> list[str]:
    return [json.loads(x)["id"] for x in path.read_text(encoding="utf-8").splitlines()]


def kill_resume(inputs: list[Path], db: Path, ref: Path, kills: int, seed: int = 3) -> dict:
    """SIGKILL the CLI at random moments ``kills`` times, then let it finish."""
    out = CACHE / "runs" / "killed"
    args = [sys.executable, "-c", CLI, "scan", *map(str, inputs), "--db", str(db), "--out",
            str(out), "--no-restore", "--fast", "--no-progress", "--workers", "2"]  # fmt: skip
    shutil.rmtree(out, ignore_errors=True)
    rng = random.Random(seed)
    progress: list[int] = []
    res = out / "results.jsonl"
    for _ in range(kills):
        before = res.stat().st_size if res.exists() else 0
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:  # until it writes
            if res.exists() and res.stat().st_size > before:
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 1.5))  # then a random moment while it is writing
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        progress.append(res.read_bytes().count(b"\n") if res.exists() else 0)
    subprocess.run(args, check=False, capture_output=True)
    got = _ids(out / "results.jsonl")
    want = _ids(ref)
    return {
        "identical": (out / "results.jsonl").read_bytes() == ref.read_bytes(),
        "duplicates": sum(c - 1 for c in Counter(got).values() if c > 1),
        "lost": len(set(want) - set(got)),
        "records": len(got),
        "expected": len(want),
        "progress": progress,
    }


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def big_input(inputs: list[Path], size: int) -> Path:
    """A JSONL file of ``size`` bytes made by repeating the crawl with fresh ids."""
    path = CACHE / "big.jsonl"
    if path.exists() and path.stat().st_size >= size:
        return path
    lines = [json.loads(x) for p in inputs for x in p.read_text(encoding="utf-8").splitlines()]
    written, k = 0, 0
    with path.open("w", encoding="utf-8") as fh:
        while written < size:
            row = dict(lines[k % len(lines)], id=f"big/{k}")
            s = json.dumps(row) + "\n"
            fh.write(s)
            written += len(s.encode())
            k += 1
    return path


def peak_rss(path: Path, db: Path, seconds: float) -> dict:
    out = CACHE / "runs" / "big"
    args = [sys.executable, "-c", CLI, "scan", str(path), "--db", str(db), "--out", str(out),
            "--no-progress", "--workers", "2", "--restart", "--fast", "--no-restore"]  # fmt: skip
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.monotonic()
    samples: list[tuple[float, int]] = []
    while time.monotonic() - t0 < seconds and proc.poll() is None:
        samples.append((time.monotonic() - t0, _tree_rss(proc.pid)))
        time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    res = out / "results.jsonl"
    done = res.read_bytes().count(b"\n") if res.exists() else 0
    half = [r for t, r in samples if t <= seconds / 2]
    return {
        "peak": max(r for _, r in samples),
        "peak_first_half": max(half) if half else 0,
        "peak_second_half": max((r for t, r in samples if t > seconds / 2), default=0),
        "done": done,
        "seconds": seconds,
        "size": path.stat().st_size,
        "docs": sum(1 for _ in path.open("rb")),
    }


# --------------------------------------------------------------------------------------
def run(argv: list[str]) -> str:
    ap = argparse.ArgumentParser(prog="python -m bench scan")
    ap.add_argument("--docs", type=int, default=10000, help="crawl size for throughput")
    ap.add_argument("--restore-docs", type=int, default=24, help="docs for the restore parity")
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--cost-docs", type=int, default=24, help="docs for per-stage costs")
    ap.add_argument("--kill-docs", type=int, default=2000)
    ap.add_argument("--rss-seconds", type=float, default=90.0)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args(argv)
    if a.quick:
        a.docs, a.restore_docs, a.kills, a.kill_docs, a.rss_seconds = 200, 8, 3, 200, 30.0
        a.cost_docs = 8
    if corpora.shared_dir() is None:
        return "_skipped: ../shared (research corpora) not present_\n"
    runs = CACHE / "runs"
    t_build = time.perf_counter()
    shards, archive, db = build_data(a.docs)
    t_build = time.perf_counter() - t_build
    n_arch = sum(1 for _ in archive.open("rb"))
    n_crawl = sum(1 for p in shards for _ in p.open("rb"))
    code = os.environ.get("UNSPIN_BENCH_CODE", "this checkout")
    lines = [
        f"Crawl: {n_crawl} documents in {SHARDS} JSONL shards; archive {n_arch} originals "
        f"(data built/loaded in {t_build:.0f}s). unspin code: {code}.",
        "",
    ]

    # 1. per-stage costs
    costs = stage_costs(shards, db, a.cost_docs)
    lines += [
        "## Per-document cost (one process, CPU time, median)",
        "",
        "| stage | ms/doc |",
        "|---|---:|",
        f"| detect (check_document) | {costs['detect']:.1f} |",
        f"| trace (Index.trace, {n_arch}-doc archive) | {costs['trace']:.1f} |",
        f"| restore (spun documents only; mean {costs['restore_mean']:.0f}) "
        f"| {costs['restore']:.1f} |",
        f"| all stages, mean over all documents ({costs['spun_share']:.0%} labelled spun) "
        f"| {costs['mean_all']:.1f} |",
        "",
    ]

    # 2. local 1 vs 2 workers, no restore (restore cost is reported above)
    nr = ScanSettings(db=str(db), restore=False, scorer="baseline")
    t1, s1, ref1 = _timed_scan(runs / "w1", shards, settings=nr, workers=1)
    t2, s2, ref2 = _timed_scan(runs / "w2", shards, settings=nr, workers=2)
    same12 = ref1.read_bytes() == ref2.read_bytes()
    # 3. Spark local[2]
    ts, ss, refs = _timed_scan(
        runs / "spark", shards, settings=nr, engine="spark", master="local[2]"
    )
    same_spark = refs.read_bytes() == ref1.read_bytes()
    recs = [json.loads(x) for x in ref1.read_text(encoding="utf-8").splitlines()]
    n = len(recs)
    lines += [
        f"## Throughput on {n} documents (fast baseline detector + trace, restore off)",
        "",
        "The engine comparison uses the rare-word baseline detector (`--fast`): with the "
        "shipped detector at the per-document cost above, 10,000 documents would take hours "
        "on this shared machine. The engine's scaling does not depend on which detector runs.",
        "",
        "| engine | wall s | docs/s (wall) | steady docs/s | steady vs 1 worker "
        "| output identical to 1 worker |",
        "|---|---:|---:|---:|---:|---|",
        f"| local, 1 worker | {t1:.1f} | {n / t1:.1f} | {s1:.1f} | 1.00x | - |",
        f"| local, 2 workers | {t2:.1f} | {n / t2:.1f} | {s2:.1f} | {s2 / s1:.2f}x | {same12} |",
        f"| Spark local[2] | {ts:.1f} | {n / ts:.1f} | {ss:.1f} | {ss / s1:.2f}x | {same_spark} |",
        "",
        "Wall time includes start-up (worker processes importing unspin and loading the "
        "detector; Spark: the JVM and Python workers); steady docs/s counts from the first "
        "results to the end.",
        "",
        f"Target: 2 workers >= 1.8x one worker -> **{'met' if s2 / s1 >= 1.8 else 'missed'}** "
        f"(steady {s2 / s1:.2f}x, wall {t1 / t2:.2f}x; load average at the end "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores shared with other jobs).",
        "",
    ]
    truth = {}
    for p in shards:
        for x in p.read_text(encoding="utf-8").splitlines():
            r = json.loads(x)
            truth[r["id"]] = r["truth"]
    found = sum(
        1
        for r in recs
        if truth[r["id"]]
        and r["matches"]
        and r["matches"][0]["relation"] == "derived"
        and r["matches"][0]["source_id"] == truth[r["id"]]
    )
    n_copies = sum(1 for t in truth.values() if t)
    labels = Counter(r["label"] for r in recs)
    lines += [
        f"Sanity: {found}/{n_copies} copies traced to their true source (derived, top 1); "
        f"labels {dict(labels)}.",
        "",
    ]

    # 4. parity with restore on a subset
    sub = CACHE / "restore_subset.jsonl"
    first = [x for p in shards for x in p.read_text(encoding="utf-8").splitlines()]
    first = first[: a.restore_docs]
    sub.write_text("\n".join(first) + "\n", encoding="utf-8")
    full = ScanSettings(db=str(db))
    tl, _, rl = _timed_scan(runs / "r_local", [sub], settings=full, workers=2)
    tsp, _, rsp = _timed_scan(
        runs / "r_spark", [sub], settings=full, engine="spark", master="local[2]"
    )
    tj, _, rj = _timed_scan(
        runs / "r_join",
        [sub],
        settings=full,
        engine="spark",
        master="local[2]",
        trace_join=True,
    )
    rrec = [json.loads(x) for x in rl.read_text(encoding="utf-8").splitlines()]
    n_restored = sum(1 for r in rrec if r["restored"])
    lines += [
        f"## Spark vs local with restore ({len(rrec)} documents, {n_restored} restored)",
        "",
        "| engine | wall s | docs/s |",
        "|---|---:|---:|",
        f"| local, 2 workers | {tl:.1f} | {len(rrec) / tl:.2f} |",
        f"| Spark local[2], index per task | {tsp:.1f} | {len(rrec) / tsp:.2f} |",
        f"| Spark local[2], trace by key join | {tj:.1f} | {len(rrec) / tj:.2f} |",
        "",
        f"Identical records (labels, probabilities, sources, restorations): index per task "
        f"**{rl.read_bytes() == rsp.read_bytes()}**, key join "
        f"**{rl.read_bytes() == rj.read_bytes()}**.",
        "",
    ]

    # 5. kill and resume
    kin = CACHE / "kill_input.jsonl"
    allrows = [x for p in shards for x in p.read_text(encoding="utf-8").splitlines()]
    kin.write_text("\n".join(allrows[: a.kill_docs]) + "\n", encoding="utf-8")
    _, _, kref = _timed_scan(runs / "kill_ref", [kin], settings=nr, workers=1)
    kr = kill_resume([kin], db, kref, a.kills)
    lines += [
        f"## Kill and resume ({a.kills} SIGKILLs at random moments, {kr['expected']} documents)",
        "",
        f"Records after each kill: {kr['progress']}. Final: {kr['records']} records, "
        f"{kr['duplicates']} duplicates, {kr['lost']} lost; byte-identical to an "
        f"uninterrupted run: **{kr['identical']}**.",
        "",
    ]

    # 6. peak RSS on a 1 GB input
    big = big_input(shards, 1 << 30 if not a.quick else 50 << 20)
    rss = peak_rss(big, db, a.rss_seconds)
    mb = 1 << 20
    lines += [
        f"## Memory on a {rss['size'] / mb:,.0f} MB input ({rss['docs']:,} documents)",
        "",
        f"Peak RSS of the whole process tree (driver + 2 workers; fast detector, trace, no "
        f"restore): **{rss['peak'] / mb:.0f} MB** (first half of the window "
        f"{rss['peak_first_half'] / mb:.0f} MB, second half "
        f"{rss['peak_second_half'] / mb:.0f} MB). Measured over {rss['seconds']:.0f}s, in "
        f"which {rss['done']:,} documents were scanned; the whole file would take about "
        f"{rss['docs'] / max(rss['done'], 1) * rss['seconds'] / 3600:.1f} h on these 2 cores, "
        "so it was not run to the end. "
        + (
            "Memory stayed flat over the window (reading is streamed; at most 4 chunks per "
            "worker are in flight)."
            if rss["peak_second_half"] <= 1.1 * rss["peak_first_half"]
            else "Memory grew within the window: boundedness is not shown by this run."
        ),
        "",
    ]
    return "\n".join(lines)
