"""Benchmarks: ``python -m bench NAME [ARGS]`` runs ``bench/NAME.py`` and writes
``bench/results/NAME.md``. See bench/README.md."""

from pathlib import Path


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM). Not ``ru_maxrss``: Linux
    carries that over from a forking parent, so a fresh subprocess of a big benchmark
    would report the benchmark's peak."""
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in status if x.startswith("VmHWM")).split()[1]) / 1024
