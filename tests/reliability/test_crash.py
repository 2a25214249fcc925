"""Quick crash-safety runs (3 SIGKILLs each, small inputs): `python -m bench killharness`
does the full campaign. These start real `unspin` processes, so they take some seconds."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from bench.killharness import acknowledged, index_campaign, scan_campaign


def test_acknowledged_counts_committed_progress_lines() -> None:
    lines = [
        "committed: 50 added, 0 updated, 0 unchanged (50 in index)",
        "something else",
        "committed: 80 added, 2 updated, 18 unchanged (130 in index)",
    ]
    assert acknowledged(lines) == 100
    assert acknowledged([]) == 0


@pytest.mark.slow
def test_index_survives_sigkill(tmp_path: Path) -> None:
    camp = index_campaign(tmp_path, kills=3, n_docs=300, batch=30, seed=1)
    assert camp.kills == 3, camp
    assert camp.problems == [] and camp.lost == 0


@pytest.mark.slow
def test_scan_resumes_after_sigkill(tmp_path: Path) -> None:
    camp = scan_campaign(tmp_path, kills=3, n_docs=40, seed=1, reference=False)
    assert camp.kills >= 2, camp  # a tiny scan may finish before the third kill lands
    assert camp.problems == [] and camp.lost == 0 and camp.duplicates == 0


def _marked(mark: str) -> list[int]:
    """Live processes whose environment holds ``mark``."""
    import os

    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as fh:
                    if mark.encode() in fh.read():
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_sigkilled_scan_leaves_no_worker_processes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time
    import uuid

    from bench.killharness import ROOT, synthetic_docs, write_jsonl

    src = tmp_path / "crawl.jsonl"
    write_jsonl(src, synthetic_docs(200, seed=9, words=120))
    mark = f"UNSPIN_RELIABILITY_MARK={uuid.uuid4().hex}"
    key, value = mark.split("=")
    cmd = [sys.executable, "-c", "from unspin.cli import main; main()", "scan", str(src)]
    cmd += ["--out", str(tmp_path / "out"), "--workers", "2", "--no-progress", "--no-restore"]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, key: value},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = tmp_path / "out" / "results.jsonl"
    try:
        for _ in range(1200):
            if (results.exists() and results.stat().st_size) or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "scan finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        time.sleep(3)  # time for orphans to notice and exit
        left = _marked(mark)
    finally:
        for pid in _marked(mark):  # only the processes this test started
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert left == [], f"{len(left)} processes left behind"
