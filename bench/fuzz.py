"""Fuzzing campaigns (atheris, coverage-guided) per reader format and the text layer, plus
adversarial inputs measured for time and peak memory.

``python -m bench fuzz [--seconds N] [--targets a,b] [--no-adversarial]``

Each target (see ``bench/fuzz_targets/targets.py``) runs in its own process for ``--seconds``
(default 600 for the record) from a small seed corpus of valid inputs; libFuzzer mutates the
bytes, guided by coverage of unspin's Python code. A crash is any uncaught exception or a
broken invariant (a document that is neither text nor an error document, text that is not
valid UTF-8, spans outside the text ...). Crash inputs are kept under bench/.cache/fuzz/.
The adversarial part feeds each pathological input to ``read_documents`` / ``check_text``
in a fresh process and reports the outcome, wall time and peak RSS (VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "fuzz"


def _campaign(name: str, seconds: int) -> dict:
    from bench.fuzz_targets.targets import seeds

    slug = re.sub(r"[^a-z0-9]+", "_", name)
    corpus = CACHE / "corpus" / slug
    crashes = CACHE / "crashes" / slug
    for d in (corpus, crashes):
        d.mkdir(parents=True, exist_ok=True)
    for i, s in enumerate(seeds()[name]):
        (corpus / f"seed{i}").write_bytes(s)
    cmd = [
        sys.executable,
        "-m",
        "bench.fuzz_targets.run_one",
        name,
        str(corpus),
        f"-max_total_time={seconds}",
        "-print_final_stats=1",
        f"-artifact_prefix={crashes}/",
        "-rss_limit_mb=3000",
        "-timeout=60",
        f"-max_len={4096 if name == 'check_text' else 65536}",
    ]
    t0 = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=seconds + 300
    )
    out = proc.stdout + proc.stderr
    stat = dict(re.findall(r"stat::(\w+):\s+(\d+)", out))
    cov = re.findall(r"cov: (\d+)", out)
    crash_files = sorted(p.name for p in crashes.iterdir())
    tb = ""
    if proc.returncode != 0:
        m = re.search(r"(=== Uncaught Python exception: ===.*?)(?:==\d+==|$)", out, re.S)
        tb = (m.group(1) if m else out[-1500:]).strip()
    return {
        "target": name,
        "runs": int(stat.get("number_of_executed_units", 0)),
        "exec_s": int(stat.get("average_exec_per_sec", 0)),
        "coverage": int(cov[-1]) if cov else 0,
        "corpus": len(list(corpus.iterdir())),
        "crashed": proc.returncode != 0,
        "crash_files": crash_files,
        "traceback": tb,
        "seconds": time.monotonic() - t0,
        "rss_mb": int(stat.get("peak_rss_mb", 0)),
    }


# -- adversarial inputs: each runs in a fresh process that reports JSON -----------------------
def _baseline_rss() -> float:
    code = (
        "import unspin.io.read, unspin.detect; from bench import peak_rss_mb; print(peak_rss_mb())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip() or 0)


def _adversarial(case: str) -> dict:
    tmp = CACHE / "adv"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.fuzz_targets.adversarial", case, str(tmp)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=900,
        )
    except subprocess.TimeoutExpired:
        return {"case": case, "error": "timeout after 900 s"}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode != 0:
        return {"case": case, "error": f"exit {proc.returncode}: {proc.stderr[-600:]}"}
    return {"case": case, **json.loads(proc.stdout.strip().splitlines()[-1])}


def _outcome(r: dict) -> str:
    if "error" in r:
        return f"**crash**: {r['error']}"
    first = r["out"][0] if r["out"] else {}
    if "label" in first:
        return f"{first['label']}" + (f" ({first['reason']})" if first.get("reason") else "")
    if first.get("error"):
        return f"error document: {first['error']}"
    return f"{r['n']} document(s), {first.get('chars', 0):,} chars"


def run(argv: list[str]) -> str:
    from bench.fuzz_targets.adversarial import CASES
    from bench.fuzz_targets.targets import TARGETS

    ap = argparse.ArgumentParser(prog="python -m bench fuzz")
    ap.add_argument("--seconds", type=int, default=600, help="budget per target")
    ap.add_argument("--targets", default=",".join(TARGETS))
    ap.add_argument("--no-adversarial", action="store_true")
    a = ap.parse_args(argv)
    names = [t for t in a.targets.split(",") if t]
    rows = []
    for name in names:
        r = _campaign(name, a.seconds)
        rows.append(r)
        print(f"{name}: {r['runs']} runs, crashed={r['crashed']}", file=sys.stderr)
    lines = [
        "# Fuzzing: atheris (libFuzzer) per reader format and the text layer",
        "",
        f"Budget: {a.seconds} s per target, one process at a time (machine shared with other "
        "jobs, so executions per second are lower than on an idle machine). Inputs are bytes; "
        "readers get them as a file with the target's extension (`sniffed` has none, so the "
        "format is sniffed); `.gz` targets gzip the input and cut it short when its first byte "
        "< 64. Invariant: every input gives >= 1 document, each text or an error document, "
        "valid UTF-8; check_text gives spun/clean/not_scored with spans inside the text. Inputs "
        "up to 64 KB (check_text: 4 KB); an input running > 60 s would count as a crash.",
        "",
        "| target | inputs tried | exec/s | coverage (edges) | corpus | crashes | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['target']} | {r['runs']:,} | {r['exec_s']:,} | {r['coverage']} "
            f"| {r['corpus']} | {int(r['crashed'])} | {r['rss_mb']} |"
        )
    total = sum(r["runs"] for r in rows)
    crashes = sum(int(r["crashed"]) for r in rows)
    lines += ["", f"**Total: {total:,} inputs, {crashes} crash(es).**", ""]
    for r in rows:
        if r["crashed"]:
            lines += [
                f"### Crash in `{r['target']}` ({', '.join(r['crash_files'])})",
                "",
                "```",
                r["traceback"][:3000],
                "```",
                "",
            ]
    if not a.no_adversarial:
        base = _baseline_rss()
        lines += [
            "## Adversarial inputs (one fresh process each)",
            "",
            f"Peak RSS of a process that only imports the readers and the detector: {base:.0f} MB. "
            "Default per-document limit `max_bytes` = 5,000,000 (decompressed).",
            "",
            "| input | outcome | seconds | peak RSS MB |",
            "|---|---|---:|---:|",
        ]
        for case in CASES:
            r = _adversarial(case)
            print(f"{case}: {_outcome(r)}", file=sys.stderr)
            secs = f"{r['seconds']:.1f}" if "seconds" in r else "-"
            rss = f"{r['rss_mb']:.0f}" if "rss_mb" in r else "-"
            lines.append(f"| {case} | {_outcome(r)} | {secs} | {rss} |")
    return "\n".join(lines) + "\n"
