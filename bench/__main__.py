"""``python -m bench NAME [ARGS...]``: run one benchmark, write bench/results/NAME.md.

Each benchmark is a module ``bench/NAME.py`` with ``run(argv: list[str]) -> str`` that
returns the Markdown report. The runner adds a header (date, machine, git commit) and
writes it; ``python -m bench`` alone lists the benchmarks.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import subprocess
import sys
from pathlib import Path

from bench import Skipped

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _header(name: str) -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
        ).stdout.strip()
    except OSError:
        commit = "?"
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<!-- written by `python -m bench {name}`; do not edit by hand -->\n"
        f"_Run {now} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, commit {commit or '?'}._\n\n"
    )


def main(argv: list[str]) -> int:
    names = sorted(
        p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_") and p.stem != "common"
    )
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: python -m bench NAME [ARGS...]\nbenchmarks: " + ", ".join(names))
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in names:
        print(f"unknown benchmark {name!r}; have: {', '.join(names)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{name}")
    try:
        report = module.run(rest)
    except Skipped as why:
        print(f"{name}: skipped ({why}); {RESULTS.name}/{name}.md left as it was", file=sys.stderr)
        return 3
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.md"
    out.write_text(_header(name) + report.rstrip() + "\n", encoding="utf-8")
    print(report)
    print(f"\nwrote {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
