"""Load test of ``unspin serve`` on loopback: /v1/check with 600-word texts.

For each worker pool (processes, the default; threads), starts the server (the real
``serve`` command) in a subprocess on 127.0.0.1, runs a bounded closed-loop load at 1, 8
and 32 concurrent clients (httpx async), probes /v1/health from a separate process during
the load, reads the server's RSS (whole process tree) before and after, and stops it.
Baseline in the same run: in-process ``check_text`` on the same texts (no HTTP).

    python -m bench serve [--seconds-per-level 8] [--levels 1,8,32] [--pools process,thread]

Also sends one request at the size limits (64 documents of ~140 KB) and probes /v1/health
while it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from bench import tree_rss_bytes

ROOT = Path(__file__).resolve().parent.parent
WORDS = 600
N_TEXTS = 64

_SERVER = (
    "import typer\n"
    "from unspin.cli.serve import serve\n"
    "app = typer.Typer()\n"
    "app.command()(serve)\n"
    "app()\n"
)


def _texts() -> tuple[list[str], str]:
    """600-word texts: news articles from the corpora (lm split), else seed 000 windows."""
    from unspin.corpora import all_articles, shared_dir

    words: list[str] = []
    source = "examples/000 (seed, repeated windows)"
    if shared_dir() is not None:
        source = "unspin.corpora all_articles(), split lm, concatenated to 600 words"
        for art in all_articles():
            if art.split == "lm":
                words.extend(art.text.split())
            if len(words) >= WORDS * N_TEXTS:
                break
    else:
        seed = (ROOT / "examples" / "000_spun_reuters_us_china_trade.txt").read_text()
        while len(words) < WORDS * N_TEXTS:
            words.extend(seed.split())
    texts = [" ".join(words[i * WORDS : (i + 1) * WORDS]) for i in range(N_TEXTS)]
    return texts, source


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants (worker processes), in MB."""
    return tree_rss_bytes(pid) / 2**20


def _probe_health(url: str, seconds: float, out: Any, stop: Any = None) -> None:
    """In its own process: GET /v1/health every 0.2 s for ``seconds`` or until ``stop`` is
    set; put the latencies (s) on ``out``."""
    lat: list[float] = []
    end = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=30) as http:
        while time.monotonic() < end and not (stop is not None and stop.is_set()):
            t0 = time.perf_counter()
            http.get("/v1/health")
            lat.append(time.perf_counter() - t0)
            time.sleep(0.2)
    out.put(lat)


@dataclass
class Level:
    pool: str
    clients: int
    seconds: float
    latencies: list[float]
    errors: int
    health: list[float]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds


def _ms(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000 if values else float("nan")


async def _load(
    url: str, texts: list[str], clients: int, seconds: float
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:

        async def client(k: int) -> None:
            nonlocal errors
            i = k
            while time.monotonic() < stop:
                body = {"documents": [{"id": str(i), "text": texts[i % len(texts)]}]}
                t0 = time.perf_counter()
                resp = await http.post("/v1/check", json=body)
                if resp.status_code == 200:
                    latencies.append(time.perf_counter() - t0)
                else:
                    errors += 1
                i += clients

        await asyncio.gather(*(client(k) for k in range(clients)))
    return latencies, errors


def _level(url: str, texts: list[str], pool: str, clients: int, seconds: float) -> Level:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    probe = ctx.Process(target=_probe_health, args=(url, seconds, queue))
    probe.start()
    t0 = time.monotonic()
    latencies, errors = asyncio.run(_load(url, texts, clients, seconds))
    elapsed = time.monotonic() - t0
    health = queue.get(timeout=60)
    probe.join(timeout=10)
    return Level(pool, clients, elapsed, latencies, errors, health)


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited during start-up")
        try:
            if httpx.get(url + "/v1/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def _baseline(texts: list[str], seconds: float) -> float:
    """In-process check_text docs/s on the same texts (warm)."""
    from unspin.detect import check_text

    for t in texts[:4]:
        check_text(t)
    n, t0 = 0, time.monotonic()
    while time.monotonic() - t0 < seconds:
        check_text(texts[n % len(texts)])
        n += 1
    return n / (time.monotonic() - t0)


@dataclass
class BigBatch:
    """One request at the size limits, with /v1/health probed while it runs."""

    mb: float
    seconds: float
    status: int
    health: list[float]
    rss_after: float = float("nan")


def _big_batch(url: str, texts: list[str]) -> BigBatch:
    doc = " ".join(texts) + "\n"
    doc = (doc * (1 + 140_000 // len(doc)))[:140_000]  # ~140 KB per document
    docs = [{"id": str(i), "text": doc} for i in range(64)]
    body = json.dumps({"documents": docs}).encode()
    ctx = multiprocessing.get_context("spawn")
    queue, stop = ctx.Queue(), ctx.Event()
    probe = ctx.Process(target=_probe_health, args=(url, 300.0, queue, stop))
    probe.start()
    time.sleep(2.0)  # the probe is running before the request starts
    t0 = time.monotonic()
    resp = httpx.post(
        url + "/v1/check",
        content=body,
        headers={"content-type": "application/json"},
        timeout=120,
    )
    seconds = time.monotonic() - t0
    stop.set()
    health = queue.get(timeout=30)
    probe.join(timeout=10)
    return BigBatch(len(body) / 1e6, seconds, resp.status_code, health)


@dataclass
class PoolRun:
    pool: str
    levels: list[Level]
    rss_start: float
    rss_before: float
    rss_after: float
    big: BigBatch | None = None


def _serve_and_load(
    pool: str, jobs: int, texts: list[str], levels: list[int], seconds: float, big: bool
) -> PoolRun:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-c", _SERVER, "--port", str(port), "--no-access-log"]
    cmd += ["--jobs", str(jobs), "--pool", pool]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_ready(url, proc)
        rss_start = _rss_mb(proc.pid)
        asyncio.run(_load(url, texts, 4, 6.0))  # warm-up: every worker sees every text
        rss_before = _rss_mb(proc.pid)
        runs = [_level(url, texts, pool, c, seconds) for c in levels]
        rss_after = _rss_mb(proc.pid)
        big_batch = _big_batch(url, texts) if big else None
        if big_batch is not None:
            big_batch.rss_after = _rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return PoolRun(pool, runs, rss_start, rss_before, rss_after, big_batch)


def run(argv: list[str]) -> str:
    ap = argparse.ArgumentParser(prog="python -m bench serve")
    ap.add_argument("--seconds-per-level", type=float, default=8.0)
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--pools", default="process,thread")
    ap.add_argument("--jobs", type=int, default=2, help="server workers for CPU-bound work")
    ap.add_argument("--big-batch", default="process,thread", help="pools to send 9 MB to")
    args = ap.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    texts, source = _texts()
    load_before = os.getloadavg()[0]
    baseline = _baseline(texts, 5.0)
    runs = [
        _serve_and_load(
            pool, args.jobs, texts, levels, args.seconds_per_level, pool in args.big_batch
        )
        for pool in args.pools.split(",")
    ]
    load_after = os.getloadavg()[0]

    lines = [
        "# serve: /v1/check under load (loopback)",
        "",
        f"Server: `unspin serve --jobs {args.jobs} --pool POOL --no-access-log` (one uvicorn "
        f"process) in a subprocess on 127.0.0.1. Clients: httpx async, closed loop, "
        f"{args.seconds_per_level:g} s per level, one {WORDS}-word document per request "
        f"({source}; {len(texts)} distinct texts; 6 s warm-up at 4 clients first). "
        "/v1/health probed every 0.2 s from a "
        "separate process during each level. Scorer: the one `check_document` uses today.",
        "",
        f"Machine load average (1 min) {load_before:.1f} at the start, {load_after:.1f} at the "
        f"end, on {os.cpu_count()} cores shared with other jobs: absolute figures are "
        "pessimistic and noisy; compare rows of the same run.",
        "",
        "| pool | clients | requests/s | p50 ms | p99 ms | errors | health p50 ms | "
        "health p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        for lv in r.levels:
            lines.append(
                f"| {lv.pool} | {lv.clients} | {lv.rps:.1f} | {_ms(lv.latencies, 50):.0f} | "
                f"{_ms(lv.latencies, 99):.0f} | {lv.errors} | {_ms(lv.health, 50):.1f} | "
                f"{_ms(lv.health, 99):.1f} |"
            )
    lines += [
        "",
        f"Baseline (same run): in-process `check_text`, one thread, no HTTP: "
        f"**{baseline:.1f} docs/s**.",
        "",
        "| pool | best requests/s | ratio to baseline | at 1 client |",
        "| --- | ---: | ---: | ---: |",
    ]
    for r in runs:
        best = max(lv.rps for lv in r.levels)
        lines.append(
            f"| {r.pool} | {best:.1f} | {best / baseline:.2f}x | "
            f"{r.levels[0].rps / baseline:.2f}x |"
        )
    lines += [
        "",
        "Server RSS (server process and its worker processes):",
        "",
        "| pool | after start MB | after warm-up MB | after all levels MB | growth |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        growth = (r.rss_after - r.rss_before) / r.rss_before * 100
        lines.append(
            f"| {r.pool} | {r.rss_start:.0f} | {r.rss_before:.0f} | {r.rss_after:.0f} | "
            f"{r.rss_after - r.rss_before:+.0f} MB ({growth:+.1f}%) |"
        )
    bigs = [r for r in runs if r.big is not None]
    if bigs:
        lines += [
            "",
            "Then one request at the limits (64 documents of ~140 KB each), /v1/health probed "
            "every 0.2 s from 2 s before it until its answer (does the server stay "
            "responsive?), and the server's RSS after it:",
            "",
            "| pool | body MB | status | seconds | health probes | health p50 ms | "
            "health p99 ms | health max ms | RSS after MB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in bigs:
            b = r.big
            assert b is not None
            lines.append(
                f"| {r.pool} | {b.mb:.1f} | {b.status} | {b.seconds:.1f} | {len(b.health)} | "
                f"{_ms(b.health, 50):.0f} | {_ms(b.health, 99):.0f} | "
                f"{max(b.health, default=float('nan')) * 1000:.0f} | {b.rss_after:.0f} |"
            )
    total = sum(len(lv.latencies) for r in runs for lv in r.levels)
    errors = sum(lv.errors for r in runs for lv in r.levels)
    lines += ["", f"Total requests: {total}; errors: {errors}."]
    return "\n".join(lines)
