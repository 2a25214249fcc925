"""Benchmarks: ``python -m bench NAME [ARGS]`` runs ``bench/NAME.py`` and writes
``bench/results/NAME.md`` (see the README's Benchmarks section)."""

import os
from pathlib import Path


class Skipped(RuntimeError):
    """Raised by a benchmark that cannot run here (e.g. ../shared is absent): the runner
    reports the reason and leaves the committed results file alone."""


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM). Not ``ru_maxrss``: Linux
    carries that over from a forking parent, so a fresh subprocess of a big benchmark
    would report the benchmark's peak."""
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in status if x.startswith("VmHWM")).split()[1]) / 1024


def process_tree(root: int) -> list[int]:
    """``root`` and every live descendant (from /proc; processes that vanish while the
    tree is walked are left out)."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        try:
            kids = [
                int(c)
                for task in os.listdir(f"/proc/{pid}/task")
                for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            ]
        except (OSError, ValueError):
            continue
        out.append(pid)
        todo.extend(kids)
    return out


def tree_rss_bytes(root: int) -> int:
    """Resident bytes (VmRSS) of ``root`` and its descendants."""
    total = 0
    for pid in process_tree(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(x.split()[1]) * 1024 for x in status if x.startswith("VmRSS:"))
    return total
